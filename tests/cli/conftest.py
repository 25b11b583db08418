"""The print command is tested on the demo teacher's group."""

from tests.core.mail.conftest import mail_world, smtp_server  # noqa: F401  (fixtures of test_mail.py)
from tests.core.printouts.conftest import demo_group  # noqa: F401  (fixture)
