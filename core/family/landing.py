"""What a parent or a student lands on, read in the login's own thread (issue 16).

The login already waits for its worker thread (argon2, the connection); reading the children
there as well lets the first screen after the login be drawn once, already filled, instead of
being drawn empty and again when its own reading returns.
"""

from __future__ import annotations

import logging

from core.family.service import Child, children
from core.session import UserSession
from kernel.errors import EJournalError

log = logging.getLogger("ejournal.family")


def landing_children(session: UserSession) -> list[Child] | None:
    """The children a parent (or the student themself) lands on; None when the reading
    failed: the screen then reads them itself and says what went wrong."""
    try:
        return children(session)
    except EJournalError:
        log.warning("the children were not read at login; the screen reads them", exc_info=True)
        return None
