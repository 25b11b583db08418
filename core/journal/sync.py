"""Keeping an open page up to date with what others change, off the interface thread.

:class:`PageListener` waits for ``journal_changes`` notifications and tells the page when
someone else changed its load. (Saving is :mod:`core.journal.saver`'s, one per program.)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from kernel.errors import EJournalError

log = logging.getLogger("ejournal.sync")
RETRY_SECONDS = 2.0


Connect = Callable[[], Any]


class PageListener:
    """Calls ``on_change`` (from its thread) when another session changes a watched load.

    Args:
        connect: Opens a new connection as the person.
        load_id: The load to watch at first (a page); :meth:`watch` changes the set (a day
            of attendance spans several loads).
        on_change: Called from the listener's thread.
    """

    def __init__(self, connect: Connect, load_id: int | None, on_change: Callable[[], None]) -> None:
        self.connect, self.on_change = connect, on_change
        self.loads: frozenset[str] = frozenset() if load_id is None else frozenset({str(load_id)})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"listen-{load_id}", daemon=True)

    def watch(self, load_ids: Iterable[int]) -> None:
        """Listen for these loads from now on."""
        self.loads = frozenset(str(load_id) for load_id in load_ids)

    def start(self) -> None:
        """Start listening."""
        self._thread.start()

    def stop(self) -> None:
        """Stop listening."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=3)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except EJournalError as exc:  # the server went away: wait and listen again
                log.warning("listener lost its connection: %s", exc)
                self._stop.wait(RETRY_SECONDS)
            except Exception:  # anything else: keep listening, but keep the traceback
                log.warning("listener failed", exc_info=True)
                self._stop.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        conn = self.connect()
        try:
            my_pid = conn.info.backend_pid
            conn.execute("LISTEN journal_changes")
            while not self._stop.is_set():
                hit = False
                for note in conn.notifies(timeout=0.5, stop_after=50):
                    hit = hit or (note.payload in self.loads and note.pid != my_pid)
                if hit:
                    self.on_change()
        finally:
            conn.close()
