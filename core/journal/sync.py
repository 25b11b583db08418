"""Keeping an open page up to date with what others change, off the interface thread.

:class:`PageListener` waits for ``journal_changes`` notifications and tells the page when
someone else changed its load. (Saving is :mod:`core.journal.saver`'s, one per program.)
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from kernel.errors import EJournalError

log = logging.getLogger("ejournal.sync")
RETRY_SECONDS = 2.0
KEEPALIVE_SECONDS = 60.0
RECONNECT_SECONDS = 0.2
SEEN_NOTES = 2000


Connect = Callable[[], Any]


class PageListener:
    """Calls ``on_change`` (from its thread) when another session changes a watched load.

    A note on channel ``journal_changes`` reads ``load:stamp:mac`` (migration 0021); anyone
    can NOTIFY that channel, so the notes for watched loads are shown to
    ``journal.verified_changes()``, which keeps only the genuine recent ones, and a note seen
    once is ignored when it comes again (a replay). When the server ends the listener's
    session (idle limits, a restart) it listens again quietly and calls ``on_change`` once,
    for what changed meanwhile. Once a minute it asks the database to end the sessions of
    persons that went past the time limits (``journal.end_stuck_sessions()``), which also
    keeps its own connection from counting as idle.

    Notes sent by the program's own saver (``own_pids``) are its own commits of what the
    screen shows already, confirmed to the screen by the saver's reports (a cell changed
    meanwhile by someone else comes back from the saver as a conflict): they bring no read.
    Read after each of them, a page was read again after every typed mark, thirty times a
    second on a college server with thirty teachers typing.

    Args:
        connect: Opens a new connection as the person.
        load_id: The load to watch at first (a page); :meth:`watch` changes the set (a day
            of attendance spans several loads).
        on_change: Called from the listener's thread.
        own_pids: The program's own sessions (its saver's), called from the listener's thread.
    """

    VERIFY = "SELECT journal.verified_changes(%s)"
    """Asks the database which of the notes are genuine (those of a message: 0041)."""

    def __init__(self, connect: Connect, load_id: int | None, on_change: Callable[[], None], *,
                 own_pids: Callable[[], set[int]] = set) -> None:
        self.connect, self.on_change, self.own_pids = connect, on_change, own_pids
        self.loads: frozenset[str] = frozenset() if load_id is None else frozenset({str(load_id)})
        self._stop = threading.Event()
        self._seen: OrderedDict[str, None] = OrderedDict()
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
        catch_up = False
        while not self._stop.is_set():
            try:
                self._listen(catch_up)
            except EJournalError as exc:  # the server went away: wait and listen again
                log.warning("listener lost its connection: %s", exc)
                self._stop.wait(RETRY_SECONDS)
            except psycopg.OperationalError as exc:  # the server ended the session: again
                log.info("listener listens again: %s", (str(exc).strip().splitlines() or [""])[0])
                self._stop.wait(RECONNECT_SECONDS)
            except Exception:  # anything else: keep listening, but keep the traceback
                log.warning("listener failed", exc_info=True)
                self._stop.wait(RETRY_SECONDS)
            catch_up = True

    def _listen(self, catch_up: bool) -> None:
        conn = self.connect()
        try:
            my_pid = conn.info.backend_pid
            conn.execute("LISTEN journal_changes")
            if catch_up:
                self.on_change()
            pinged = time.monotonic()
            while not self._stop.is_set():
                notes = [note.payload for note in conn.notifies(timeout=0.5, stop_after=50)
                         if note.pid != my_pid and note.pid not in self.own_pids()]
                if self._genuine(conn, [n for n in notes if self._wanted(n)]):
                    self.on_change()
                if time.monotonic() - pinged >= KEEPALIVE_SECONDS:
                    conn.execute("SELECT journal.end_stuck_sessions()")
                    pinged = time.monotonic()
        finally:
            conn.close()

    def _wanted(self, note: str) -> bool:
        parts = note.split(":")
        return len(parts) == 3 and parts[0] in self.loads and note not in self._seen

    def _genuine(self, conn: Any, notes: list[str]) -> bool:
        """True when some of ``notes`` are genuine (asked of the database); all are then seen."""
        if not notes:
            return False
        row = conn.execute(self.VERIFY, (notes,)).fetchone()
        for note in notes:
            self._seen[note] = None
        while len(self._seen) > SEEN_NOTES:
            self._seen.popitem(last=False)
        return bool(row and row[0])
