"""The security tests' small college (tests/security/world.py) is the reports' hand-made one."""

from tests.security.conftest import login_as, sec_db, su, world  # noqa: F401  (fixtures)
