"""Messages live (issue 11, item 10): the journal page's listener, told to hear messages.

A new message in one of the person's threads, or a member reading one, notifies the same
channel as a changed journal cell, with a note signed the same way (migration 0041:
``m<thread>:stamp:mac``). :class:`MessageListener` is :class:`core.journal.sync.PageListener`
(the same reconnecting, replay-proof loop) that wants those notes and asks
``journal.verified_message_notes()``, which keeps only genuine notes of the caller's own
threads.
"""

from __future__ import annotations

from collections.abc import Callable

from core.journal.sync import Connect, PageListener


class MessageListener(PageListener):
    """Calls ``on_change`` (from its thread) when a thread of the person gets a message or
    is read by a member.

    Args:
        connect: Opens a new connection as the person.
        on_change: Called from the listener's thread.
        own_pids: The backends of the program's own session, whose notes are ignored (its
            replies and reads are on the screen already; hearing them would read again).
    """

    VERIFY = "SELECT journal.verified_message_notes(%s)"

    def __init__(self, connect: Connect, on_change: Callable[[], None], *,
                 own_pids: Callable[[], set[int]] = set) -> None:
        super().__init__(connect, None, on_change, own_pids=own_pids)

    def _wanted(self, note: str) -> bool:
        return note.startswith("m") and note.count(":") == 2 and note not in self._seen
