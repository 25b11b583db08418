"""Creating, filling and closing attestation statements (R6), and naming their examiner.

A statement is created for a load with its form, date and examiner (:func:`examiners` lists
the teachers who may be named); its marks are saved at once by :func:`save_marks` (scripts and
tests; the screen saves through the program's saver), an old mark changing only with a reason
(R14). A filled statement is closed (signed) through ``journal.close_statement``, after which
the database refuses every change to it; only the admin reopens one, with a reason kept in the
history. Database errors become the program's own (:mod:`db.errors`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg

from core.journal.page import Change
from core.session import UserSession
from core.statements.queries import TEACHERS
from core.statements.sheet import (
    FORMS,
    AttestableLoad,
    MarkChange,
    MarkOutcome,
    StatementSheet,
    match_person,
    merge_changes,
)
from kernel.errors import ValidationError
from kernel.marks import StatementValue


def choose_examiner(session: UserSession, load: AttestableLoad, typed: str) -> int:
    """The examiner of a new statement: the load's teacher unless another teacher is typed
    (by surname and initials).

    Raises:
        ValidationError: nobody, or more than one teacher, matches what was typed.
    """
    typed = typed.strip()
    if not typed or typed == load.teacher_name:
        return load.teacher_id
    found = match_person(examiners(session), typed)
    if found is None:
        raise ValidationError(f"Преподаватель «{typed}» не найден или найдено несколько: "
                              "уточните фамилию и инициалы.")
    return found[0]


def examiners(session: UserSession) -> list[tuple[int, str]]:
    """Teachers who may be named examiner, as (person id, «Фамилия И. О.»)."""
    with session.cursor() as cur:
        return [(int(pid), name) for pid, name in cur.execute(TEACHERS).fetchall()]


def create_statement(session: UserSession, load_id: int, form: str, held_on: date | None,
                     examiner_id: int | None, number: str = "") -> int:
    """Create a statement for a load; return its id.

    Raises:
        ValidationError: an unknown form, or the load has a statement of that form.
        EJournalError: refused by the database (no right, closed period).
    """
    if form not in FORMS:
        raise ValidationError(f"Форма аттестации «{form}» не ведётся ведомостью.")
    # Neither RETURNING nor ON CONFLICT: both check the new row against the SELECT policy,
    # which counts a teacher's statements as they were when the statement began.
    try:
        _run(session, lambda cur: cur.execute(
            """INSERT INTO journal.statement (load_id, form, number, held_on, examiner_id)
               VALUES (%s, %s, %s, %s, %s)""", (load_id, form, number.strip(), held_on, examiner_id)),
             passing=psycopg.errors.UniqueViolation)
    except psycopg.errors.UniqueViolation:
        raise ValidationError("Ведомость этой формы по этой нагрузке уже создана.") from None
    row = _execute(session, "SELECT id FROM journal.statement WHERE load_id = %s AND form = %s",
                   (load_id, form))
    return int(row[0])


def save_marks(session: UserSession, statement_id: int, changes: Sequence[MarkChange],
               reason: str = "") -> list[MarkOutcome]:
    """Save typed marks at once, without the program's outbox (scripts and tests; the screen
    saves through the saver); a change whose old value no longer holds comes back not applied,
    with the value found.

    Raises:
        ReasonRequired: an old mark changes only with a reason (R14).
        EJournalError: the database refused a mark (closed statement, no right).
    """
    from core.journal.cell_save import save_changes

    merged = merge_changes(changes)
    typed = [Change(c.student_id, 0, None, c.old, c.new, statement_id=statement_id) for c in merged]
    with session.cursor() as cur:
        results = save_changes(cur.connection, typed, reason)
    by_student = {r.edit.change.student_id: r for r in results}
    for result in results:
        if result.error is not None:
            raise result.error
    return [_outcome(c, by_student.get(c.student_id)) for c in merged]


def _outcome(change: MarkChange, result: Any) -> MarkOutcome:
    if result is None or result.status == "applied":
        return MarkOutcome(change, True, change.new)
    return MarkOutcome(change, False, StatementValue(result.found) if result.found else None)


def close_statement(session: UserSession, sheet: StatementSheet) -> None:
    """Close (sign) a filled statement; afterwards the database refuses every change to it.

    Raises:
        ValidationError: some students have no mark yet.
        EJournalError: refused by the database (no right, already closed).
    """
    empty = sheet.empty_lines()
    if empty:
        names = ", ".join(line.name for line in empty[:3]) + (" и др." if len(empty) > 3 else "")
        raise ValidationError(f"Не заполнено {len(empty)}: {names}. Поставьте отметку или «неявка».",
                              title="Ведомость не закрыта")
    _execute(session, "SELECT journal.close_statement(%s)", (sheet.info.statement_id,))


def reopen_statement(session: UserSession, statement_id: int, reason: str) -> None:
    """Reopen a closed statement (the admin only), recording the reason in the history.

    Raises:
        ValidationError: no reason given.
        EJournalError: refused by the database (not the admin, not closed).
    """
    if len(reason.strip()) < 5:
        raise ValidationError("Укажите причину (не короче 5 символов): она сохраняется в истории.")
    _execute(session, "SELECT journal.reopen_statement(%s, %s)", (statement_id, reason.strip()))


def _execute(session: UserSession, sql: str, args: Sequence[object]) -> Any:
    return _run(session, lambda cur: cur.execute(sql, args).fetchone())


def _run(session: UserSession, action: Any, passing: type[Exception] | None = None) -> Any:
    """Run ``action(cursor)``; database errors become the program's (``passing`` ones pass)."""
    from db.errors import translate

    try:
        with session.cursor() as cur:
            return action(cur)
    except psycopg.Error as exc:
        if passing is not None and isinstance(exc, passing):
            raise
        raise translate(exc) from exc


def needs_reason(error: BaseException) -> bool:
    """True when the database refused a correction only because it needs a reason (R14)."""
    from db.errors import needs_reason as database_says

    return database_says(error)
