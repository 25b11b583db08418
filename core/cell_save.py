"""Applying collapsed cell edits to the database, and saying per cell exactly what happened.

A batch goes in one transaction per correction reason, set-based. When the database refuses
the batch for a rule (a closed period, an archived year, a student not studying that day, a
correction that needs a reason), the same transaction is tried again one cell at a time, each
in its own savepoint, so the refused cells are named and everything else is saved. Deadlocks,
serialization failures and lock time-outs are retried; a lost connection is raised as
:class:`~core.errors.ServerError` for the caller to keep the batch and retry later.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import psycopg

from core.errors import ServerError
from core.journal_page import Change
from core.marks import Attendance, MarkValue
from core.outbox import CellEdit, Pending, collapse
from db.connect import transaction
from db.errors import REASON_REQUIRED, translate
from db.journal_sql import (
    AttendanceRow,
    MarkRow,
    found_attendance,
    found_marks,
    save_attendance,
    save_marks,
)

CellStatus = Literal["applied", "conflict", "refused", "reason"]
RETRYABLE = frozenset({"40001", "40P01", "55P03"})
"""Serialization failure, deadlock, lock not available: the same batch again will do."""
RETRIES = 6
MISSING = "Занятие не найдено: его удалили, или у вас больше нет доступа к этой странице."


@dataclass(frozen=True)
class CellResult:
    """What became of one edit.

    Attributes:
        status: ``applied`` (the database holds the typed value), ``conflict`` (someone
            else's value is there: ``found``), ``refused`` (a rule: ``why``), ``reason`` (a
            correction of an old mark needs a reason, R14).
    """

    edit: CellEdit
    status: CellStatus
    found: str | None = None
    why: str = ""
    written: bool = False
    """A row was written (and a history row with it); False when the cell already held the
    typed value."""


class RetryLater(ServerError):
    """The database stayed busy (deadlocks) through every retry; the batch is kept."""


def save_edits(conn: psycopg.Connection, edits: list[CellEdit]) -> list[CellResult]:
    """Apply edits (at most one per cell); one transaction per correction reason.

    Raises:
        ServerError: the connection was lost or the database stayed busy; nothing of the
            unfinished transaction was applied.
    """
    by_reason: dict[str, list[CellEdit]] = {}
    for edit in edits:
        by_reason.setdefault(edit.reason, []).append(edit)
    results: list[CellResult] = []
    for reason, group in by_reason.items():
        results += _with_retries(conn, group, reason)
    return results


def _with_retries(conn: psycopg.Connection, edits: list[CellEdit], reason: str) -> list[CellResult]:
    for attempt in range(RETRIES):
        try:
            return _save_batch(conn, edits, reason)
        except psycopg.Error as exc:
            if _lost(conn, exc):
                raise translate(exc) if exc.sqlstate else _lost_error() from exc
            if exc.sqlstate not in RETRYABLE:
                raise
            time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
    raise RetryLater("База данных занята другими изменениями; сохранение будет повторено.")


def _lost(conn: psycopg.Connection, exc: psycopg.Error) -> bool:
    state = exc.sqlstate or ""
    return conn.broken or conn.closed or not state or state.startswith(("08", "57", "53"))


def _lost_error() -> ServerError:
    return ServerError("Связь с сервером базы данных прервана; изменения сохранены на диске "
                       "и будут отправлены.")


def _save_batch(conn: psycopg.Connection, edits: list[CellEdit], reason: str) -> list[CellResult]:
    try:
        with transaction(conn, reason):
            return _apply(conn, edits)
    except psycopg.Error as exc:
        if _lost(conn, exc) or exc.sqlstate in RETRYABLE:
            raise
        with transaction(conn, reason):
            return [_one(conn, edit) for edit in edits]


def _one(conn: psycopg.Connection, edit: CellEdit) -> CellResult:
    """One edit in a savepoint: its own result, or the rule that refused it."""
    try:
        with conn.transaction():
            return _apply(conn, [edit])[0]
    except psycopg.Error as exc:
        if _lost(conn, exc) or exc.sqlstate in RETRYABLE:
            raise
        if exc.sqlstate == REASON_REQUIRED:
            return CellResult(edit, "reason", why=translate(exc).message)
        return CellResult(edit, "refused", why=translate(exc).message)


def _text(value: MarkValue | Attendance | None) -> str | None:
    return None if value is None else value.value


def _apply(conn: psycopg.Connection, edits: list[CellEdit]) -> list[CellResult]:
    """The set-based statements of one batch (inside the caller's transaction)."""
    marks: list[MarkRow] = []
    attendance: list[AttendanceRow] = []
    for n, edit in enumerate(edits):
        c = edit.change
        if c.work_kind is None:
            attendance.append((c.lesson_id, c.student_id, _text(c.old), _text(c.new), n, edit.typed_at))
        else:
            marks.append((c.lesson_id, c.student_id, c.work_kind, _text(c.old), _text(c.new), n,
                          edit.typed_at))
    statuses: dict[int, str] = {}
    for chunk_marks, chunk_attendance, typed_at in _chunks(marks, attendance):
        conn.execute("SELECT set_config('journal.typed_at', %s, true)",
                     (typed_at.isoformat() if typed_at else "",))
        statuses.update(save_marks(conn, chunk_marks))
        statuses.update(save_attendance(conn, chunk_attendance))
    found = {**found_marks(conn, [r for r in marks if statuses[r[5]] == "conflict"]),
             **found_attendance(conn, [r for r in attendance if statuses[r[4]] == "conflict"])}
    return [_result(edit, statuses[n], found.get(n)) for n, edit in enumerate(edits)]


def _chunks(marks: list[MarkRow], attendance: list[AttendanceRow]
            ) -> Iterable[tuple[list[MarkRow], list[AttendanceRow], Any]]:
    """Statements to run: everything that writes a row at once; deletions grouped by the time
    they were typed, which the history takes from the transaction's ``journal.typed_at``."""
    yield ([r for r in marks if r[4] is not None], [r for r in attendance if r[3] is not None], None)
    moments = sorted({r[6] for r in marks if r[4] is None} | {r[5] for r in attendance if r[3] is None})
    for moment in moments:
        yield ([r for r in marks if r[4] is None and r[6] == moment],
               [r for r in attendance if r[3] is None and r[5] == moment], moment)


def _result(edit: CellEdit, status: str, found: str | None) -> CellResult:
    if status in ("applied", "same"):
        return CellResult(edit, "applied", written=status == "applied")
    if status == "missing":
        return CellResult(edit, "refused", why=MISSING)
    return CellResult(edit, "conflict", found=found)


def save_changes(conn: psycopg.Connection, changes: list[Change], reason: str = "") -> list[CellResult]:
    """Save changes typed just now, without an outbox (scripts and tests); consecutive
    changes of one cell collapse into one edit, as the outbox does.

    Raises:
        ServerError: the connection was lost; nothing was saved.
    """
    now = datetime.now(UTC)
    edits = collapse([Pending(n, 0, change, now, reason=reason) for n, change in enumerate(changes)])
    return save_edits(conn, [e for e in edits if not e.is_noop])
