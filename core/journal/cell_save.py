"""Applying collapsed cell edits to the database, and saying per cell exactly what happened.

A batch goes in one transaction per correction reason, set-based. When the database refuses
the batch for a rule (a closed period, an archived year, a student not studying that day, a
correction that needs a reason), the same transaction is tried again one cell at a time, each
in its own savepoint, so the refused cells are named and everything else is saved. Deadlocks,
serialization failures and lock time-outs are retried; a lost connection is raised as
:class:`~kernel.errors.ServerError` for the caller to keep the batch and retry later.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import psycopg

from core.journal.outbox_format import CellEdit, Pending, collapse
from core.journal.page import CellValue, Change
from core.journal.queries import (
    found_attendance,
    found_marks,
    found_statement_marks,
    save_attendance,
    save_marks,
    save_statement_marks,
)
from db.connect import transaction
from db.errors import REASON_REQUIRED, translate
from kernel.errors import EJournalError, ServerError

CellStatus = Literal["applied", "conflict", "refused", "reason"]
RETRYABLE = frozenset({"40001", "40P01", "55P03"})
"""Serialization failure, deadlock, lock not available: the same batch again will do."""
RETRIES = 6
MISSING = "Занятие не найдено: его удалили, или у вас больше нет доступа к этой странице."
MISSING_STATEMENT = "Ведомость не найдена: её удалили, или у вас больше нет к ней доступа."


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
    error: EJournalError | None = None
    """The refusal (``refused``, ``reason``) as the program's error."""
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
        error = translate(exc)
        status: CellStatus = "reason" if exc.sqlstate == REASON_REQUIRED else "refused"
        return CellResult(edit, status, why=error.message, error=error)


def _text(value: CellValue) -> str | None:
    return None if value is None else value.value


@dataclass(frozen=True)
class _Table:
    """How one table's changes are written and re-read (set-based, :mod:`core.journal.queries`)."""

    save: Callable[[psycopg.Connection, list[Any]], list[tuple[int, str]]]
    found: Callable[[psycopg.Connection, list[Any]], dict[int, str | None]]


MARKS = _Table(save_marks, found_marks)
ATTENDANCE = _Table(save_attendance, found_attendance)
STATEMENT_MARKS = _Table(save_statement_marks, found_statement_marks)


def _row(edit: CellEdit, n: int) -> tuple[_Table, tuple[Any, ...]]:
    c = edit.change
    old, new, at = _text(c.old), _text(c.new), edit.typed_at
    if c.statement_id is not None:
        return STATEMENT_MARKS, (c.statement_id, c.student_id, old, new, n, at)
    if c.work_kind is None:
        return ATTENDANCE, (c.lesson_id, c.student_id, old, new, n, at)
    return MARKS, (c.lesson_id, c.student_id, c.work_kind, old, new, n, at)


def _apply(conn: psycopg.Connection, edits: list[CellEdit]) -> list[CellResult]:
    """The set-based statements of one batch (inside the caller's transaction).

    Everything that writes a row goes at once; deletions are grouped by the time they were
    typed, which the history takes from the transaction's ``journal.typed_at``.
    """
    rows = [(*_row(edit, n), edit, n) for n, edit in enumerate(edits)]
    moments = sorted({e.typed_at for _t, _r, e, _n in rows if e.change.new is None})
    statuses: dict[int, str] = {}
    for moment in [None, *moments]:
        chunk = [(t, r) for t, r, e, _n in rows
                 if (e.change.new is not None if moment is None else
                     e.change.new is None and e.typed_at == moment)]
        if not chunk:
            continue
        conn.execute("SELECT set_config('journal.typed_at', %s, true)",
                     (moment.isoformat() if moment else "",))
        # attendance first: «п» then «5» on a student marked absent saves in one batch
        # (a mark where the attendance is НН/НУ is refused, migration 0031)
        for table in (ATTENDANCE, MARKS, STATEMENT_MARKS):
            statuses.update(table.save(conn, [r for t, r in chunk if t is table]))
    found: dict[int, str | None] = {}
    for table in (MARKS, ATTENDANCE, STATEMENT_MARKS):
        found.update(table.found(conn, [r for t, r, _e, n in rows
                                        if t is table and statuses[n] == "conflict"]))
    return [_result(edit, statuses[n], found.get(n)) for n, edit in enumerate(edits)]


def _result(edit: CellEdit, status: str, found: str | None) -> CellResult:
    if status in ("applied", "same"):
        return CellResult(edit, "applied", written=status == "applied")
    if status == "missing":
        return CellResult(edit, "refused",
                          why=MISSING if edit.change.statement_id is None else MISSING_STATEMENT)
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
