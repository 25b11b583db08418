"""Year closing is tested over a backed-up copy of the demo database."""

from tests.core.backup.conftest import demo_backup  # noqa: F401  (fixture)
