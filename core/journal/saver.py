"""The one background saver of a running program: every typed change reaches the database,
or the person is told which did not and why.

Screens hand edits to :meth:`Saver.submit`, which writes them to the outbox (one write, one
fsync) before returning, so the screen shows only what is already safe on disk. A thread
sends whatever waits — of every page, and what earlier runs left behind — and classifies
every refusal:

- the connection is lost → keep everything, retry with growing pauses;
- a deadlock or serialization failure → retried at once (:mod:`core.journal.cell_save`);
- the password no longer works (reset, blocked, locked out) → keep everything, stop sending,
  and report ``login_needed`` so the program asks for the password;
- a rule refuses one cell → that cell alone is parked with the reason, the rest is saved;
- a correction of an old mark needs a reason → parked until the person gives one;
- someone else changed the cell → parked as a conflict with the value found;
- the database is another one than the outbox was written for (rebuilt, restored) → nothing
  is sent; the changes stay in their file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from core.journal.cell_save import CellResult, save_edits
from core.journal.outbox import Outbox
from core.journal.outbox_format import CellEdit, Parked, Pending
from core.journal.page import CellValue, Change
from kernel.errors import EJournalError, LoginError, ServerError
from kernel.marks import Attendance, MarkValue, StatementValue

log = logging.getLogger("ejournal.saver")
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
IDLE_S = 5.0
OTHER_DATABASE = ("Программа подключена к другой базе данных, чем та, для которой набраны "
                  "изменения (база пересоздана или восстановлена из копии): {n} изм. не "
                  "отправлены и сохранены в файле {path}.")


@dataclass(frozen=True)
class SaveReport:
    """What the saver did or where it stands, for the screens."""

    results: tuple[CellResult, ...] = ()
    online: bool = True
    login_needed: EJournalError | None = None
    problem: str = ""


Listener = Callable[[SaveReport], None]


class Saver:
    """Sends the outbox to the database in the background.

    Args:
        connect: Opens a new connection as the person (raises LoginError, ServerError).
        outbox: This program's outbox.
    """

    def __init__(self, connect: Callable[[], Any], outbox: Outbox) -> None:
        self.connect, self.outbox = connect, outbox
        self.online = True
        self.login_needed: EJournalError | None = None
        self.other_database = False
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = threading.Event()
        self._conn: Any = None
        self._pid: int | None = None
        self._failures = 0
        self._thread = threading.Thread(target=self._run, name="saver", daemon=True)

    # --- for the screens (interface thread) --------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` (from the saver's thread) after every batch and state change."""
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling ``listener``."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def submit(self, load_id: int, changes: list[Change]) -> list[Pending]:
        """Write one edit's changes to the outbox (durably) and wake the thread."""
        added = self.outbox.add(load_id, changes)
        self._wake.set()
        return added

    def edits(self, lessons: set[int] | None = None, statement: int | None = None) -> list[CellEdit]:
        """Unconfirmed edits: all, of some lessons, or of one statement."""
        return self.outbox.edits(lessons, statement)

    def give_reason(self, edits: list[CellEdit], reason: str) -> None:
        """Send corrections of old marks again, now with the person's reason (R14)."""
        self.outbox.give_reason([s for e in edits for s in e.seqs], reason)
        self._wake.set()

    def drop(self, edits: list[CellEdit]) -> None:
        """The person gives these edits up (the database's value stays)."""
        self.outbox.ack([s for e in edits for s in e.seqs])
        self._notify(SaveReport(online=self.online))

    def keep_mine(self, edits: list[CellEdit]) -> None:
        """Conflicts resolved as «mine»: send the typed values over the values found."""
        for edit in edits:
            found = edit.parked.found if edit.parked is not None else None
            change = replace(edit.change, old=_value(edit.change, found))
            self.outbox.replace_with(edit.seqs, edit.load_id, [change])
        self._wake.set()

    def logged_in_again(self) -> None:
        """The person typed their (new) password: try sending again."""
        self.login_needed = None
        self._failures = 0
        self._wake.set()

    @property
    def problem(self) -> str:
        """A standing reason why changes are not safe or not sent ('' when all is well)."""
        if self.other_database:
            return OTHER_DATABASE.format(n=self.outbox.count(), path=self.outbox.path)
        return self.outbox.problem

    def backend_pid(self) -> int | None:
        """The server process of the saver's connection (whose notifications are its own
        commits); None while it has none."""
        return self._pid

    def has_pending(self) -> bool:
        """Something typed is not confirmed by the database yet (parked edits included)."""
        return len(self.outbox) > 0

    def start(self) -> None:
        """Start sending (what earlier runs left is sent first)."""
        if not self._thread.is_alive() and not self._stop.is_set():
            self._thread.start()
        self._wake.set()

    def send_once(self) -> None:
        """One round of sending on the calling thread (scripts and tests; the thread is not
        started then)."""
        if self.login_needed is None and not self.other_database:
            self._round()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is waiting to be sent (parked edits do not count)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._sendable() and not self._busy.is_set():
                return True
            self._wake.set()
            time.sleep(0.01)
        return False

    def stop(self) -> None:
        """Stop the thread; the outbox keeps what is left for the next run."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.outbox.close()

    # --- the thread -----------------------------------------------------------------------

    def _sendable(self) -> list[CellEdit]:
        return [e for e in self.outbox.edits() if e.parked is None]

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._pause())
            self._wake.clear()
            if self._stop.is_set() or self.login_needed is not None or self.other_database:
                continue
            self._busy.set()
            try:
                self._round()
            except Exception:  # a bug must not stop saving: keep the outbox, log, retry
                log.exception("saving failed unexpectedly")
                self._failures += 1
            finally:
                self._busy.clear()
        if self._conn is not None:
            self._conn.close()

    def _pause(self) -> float:
        if not self._failures:
            return IDLE_S
        return BACKOFF_S[min(self._failures, len(BACKOFF_S)) - 1]

    def _round(self) -> None:
        edits = self._sendable()
        noops = [e for e in edits if e.is_noop]
        if noops:
            self.outbox.ack([s for e in noops for s in e.seqs])
        todo = [e for e in edits if not e.is_noop]
        if not todo:
            if noops:
                self._notify(SaveReport(tuple(CellResult(e, "applied") for e in noops)))
            return
        try:
            results = save_edits(self._connection(), todo)
        except LoginError as exc:
            self._offline(login_needed=exc)
            return
        except ServerError as exc:
            log.warning("not saved now, kept for retry: %s", exc)
            self._offline()
            return
        self._failures = 0
        self._settle(results)
        self._notify(SaveReport(tuple(CellResult(e, "applied") for e in noops) + tuple(results)))
        if self._sendable():
            self._wake.set()

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn, self._pid = None, None   # a dead backend's pid may be given to another
            conn = self.connect()
            database = conn.execute("SELECT journal.database_id()").fetchone()[0]
            if database != self.outbox.database:
                conn.close()
                self.other_database = True
                raise ServerError(self.problem)
            self._conn = conn
            self._pid = conn.info.backend_pid
            if not self.online:
                self.online = True
                self._notify(SaveReport())
        return self._conn

    def _offline(self, login_needed: EJournalError | None = None) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._pid = None
        self._failures += 1
        self.online = False
        self.login_needed = login_needed
        self._notify(SaveReport(online=False, login_needed=login_needed, problem=self.problem))

    def _settle(self, results: list[CellResult]) -> None:
        """Confirmed edits leave the outbox; the others are parked with their reason."""
        self.outbox.ack([s for r in results if r.status == "applied" for s in r.edit.seqs])
        for r in results:
            if r.status == "conflict":
                self.outbox.park(r.edit.seqs, Parked("conflict", "Ячейку тем временем изменил "
                                                     "другой пользователь.", r.found))
            elif r.status in ("refused", "reason"):
                self.outbox.park(r.edit.seqs, Parked(r.status, r.why))

    def _notify(self, report: SaveReport) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(report)
            except Exception:  # a closed screen must not stop the saver
                log.exception("a save listener failed")


def _value(change: Change, text: str | None) -> CellValue:
    if text is None:
        return None
    if change.statement_id is not None:
        return StatementValue(text)
    return Attendance(text) if change.work_kind is None else MarkValue(text)
