"""The security suite's small college and raw per-person connections, for the catalogue."""

from tests.security.conftest import login_as, sec_db, su, world  # noqa: F401
