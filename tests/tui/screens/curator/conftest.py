"""Each curator screen test keeps its outbox and preferences in its own folder."""

from tests.core.mail.conftest import smtp_server  # noqa: F401  (fixture of test_letters.py)
from tests.curator_fixture import own_state_dir  # noqa: F401  (autouse fixture)
