"""The print command is tested on the demo teacher's group."""

from tests.core.printouts.conftest import demo_group  # noqa: F401  (fixture)
