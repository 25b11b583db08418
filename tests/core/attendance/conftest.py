"""Each attendance test keeps its outbox and preferences in its own folder."""

from tests.curator_fixture import own_state_dir  # noqa: F401  (autouse fixture)
