"""Fixtures of the calendar tests: the security suite's databases, people and connections."""

from tests.security.conftest import login_as, sec_db, su, world  # noqa: F401  (fixtures)
