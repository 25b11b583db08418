"""The admin screens are tested over a backed-up demo database and the demo teacher's group."""

from tests.core.backup.conftest import demo_backup  # noqa: F401  (fixture)
from tests.core.printouts.conftest import demo_group  # noqa: F401  (fixture)
