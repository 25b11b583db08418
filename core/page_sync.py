"""Keeping an open journal page and the database in step, off the interface thread.

:class:`PageSaver` sends typed changes in the background (batched: whatever accumulated
while the previous batch was in flight goes in one transaction), survives a dropped
connection by reconnecting and replaying the outbox, and reports each change as saved,
refused or in conflict. :class:`PageListener` waits for ``journal_changes`` notifications
and tells the page when someone else changed its load.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from core.errors import EJournalError, ServerError
from core.journal_page import Change
from core.journal_service import SaveOutcome, save_changes
from core.outbox import Outbox, Pending

log = logging.getLogger("ejournal.sync")
RETRY_SECONDS = 2.0


@dataclass(frozen=True)
class BatchResult:
    """What one background save did."""

    outcomes: list[SaveOutcome]
    refused: list[Change]
    error: EJournalError | None = None


Connect = Callable[[], Any]


class PageSaver:
    """Background saving of one page's changes through the outbox.

    Args:
        connect: Opens a new connection as the person.
        outbox: The person's durable outbox.
        load_id: The page's load.
        on_result: Called from the saver thread after each batch.
        on_online: Called from the saver thread with True/False when the link changes.
    """

    def __init__(self, connect: Connect, outbox: Outbox, load_id: int,
                 on_result: Callable[[BatchResult], None],
                 on_online: Callable[[bool], None] = lambda _up: None) -> None:
        self.connect, self.outbox, self.load_id = connect, outbox, load_id
        self.on_result, self.on_online = on_result, on_online
        self.reason = ""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._conn: Any = None
        self._thread = threading.Thread(target=self._run, name=f"saver-{load_id}", daemon=True)

    def start(self) -> None:
        """Start the thread; changes left from an earlier run are sent first."""
        self._thread.start()
        self._wake.set()

    def submit(self, changes: list[Change]) -> list[Pending]:
        """Queue changes (durably) and wake the saver."""
        added = self.outbox.add(self.load_id, changes)
        self._idle.clear()
        self._wake.set()
        return added

    def has_pending(self) -> bool:
        """True while some change of this page is not yet committed."""
        return bool(self.outbox.pending(self.load_id))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending (for tests and a clean exit)."""
        deadline = time.monotonic() + timeout
        while self.has_pending() and time.monotonic() < deadline:
            self._wake.set()
            time.sleep(0.01)
        return not self.has_pending()

    def stop(self) -> None:
        """Stop the thread and close its connection; the outbox keeps what is left."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=RETRY_SECONDS)
            self._wake.clear()
            batch = self.outbox.pending(self.load_id)
            if batch and not self._send(batch):
                self._stop.wait(RETRY_SECONDS)
        if self._conn is not None:
            self._conn.close()

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self.connect()
            self.on_online(True)
        return self._conn

    def _send(self, batch: list[Pending]) -> bool:
        changes = [p.change for p in batch]
        try:
            outcomes = save_changes(self._connection(), changes, self.reason)
        except ServerError:
            log.warning("connection lost; %d changes kept for replay", len(batch))
            self._conn = None
            self.on_online(False)
            return False
        except EJournalError as exc:
            if self._conn is not None and self._conn.broken:
                self._conn = None
                self.on_online(False)
                return False
            self.outbox.ack([p.seq for p in batch])
            self.on_result(BatchResult([], changes, exc))
            return True
        self.outbox.ack([p.seq for p in batch])
        self.on_result(BatchResult(outcomes, []))
        return True


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
