"""Reading attestation statements (ведомости, R6): the list, the loads still to attest, a sheet.

A statement belongs to one teaching load (group × discipline × period) and has the form of
attestation written in the curriculum (экзамен, дифференцированный зачёт, зачёт, курсовая
работа). It is filled one mark per student (2–5, or зачёт/незачёт for a зачёт; неявка for a
no-show), then closed (signed) through ``journal.close_statement``; a closed statement is
read-only in the database. Only the admin reopens one, with a reason kept in the history.

The semester final mark (R7) comes from the statement where there is one, else from the mean
of the current marks; the sheet shows both beside each student. The sheet's rules are in
:mod:`core.statements.sheet`; the examiner, creating, saving, closing and reopening in
:mod:`core.statements.closing`.
"""

from __future__ import annotations

from core.grading.finals import RoundingRule
from core.session import UserSession
from core.statements.queries import ATTESTABLE, LIST, PASS_FAIL, REOPENINGS, SHEET_MARKS, SHEET_STUDENTS
from core.statements.sheet import (
    EDITOR_ROLES,
    FORMS,
    AttestableLoad,
    SheetLine,
    StatementInfo,
    StatementSheet,
)
from kernel import clock
from kernel.marks import MarkValue, StatementValue


def list_statements(session: UserSession) -> list[StatementInfo]:
    """Every statement the person may see, their own first, newest period first."""
    with session.cursor() as cur:
        args = {"me": session.person.person_id, "id": None, "today": clock.today()}
        rows = cur.execute(LIST, args).fetchall()
    return [StatementInfo(*row) for row in rows]


def attestable_loads(session: UserSession) -> list[AttestableLoad]:
    """Loads of open periods whose curriculum item has an attestation without a statement yet:
    the office's and the admin's for every group, a teacher's for their own loads; the current
    and coming periods first."""
    person = session.person
    args = {"me": person.person_id, "forms": list(FORMS), "any": person.has("office", "admin"),
            "today": clock.today()}
    with session.cursor() as cur:
        rows = cur.execute(ATTESTABLE, args).fetchall()
    return [AttestableLoad(*row) for row in rows]


def read_statement(session: UserSession, statement_id: int, rule: RoundingRule | None = None
                   ) -> StatementSheet:
    """A statement with its students, their marks and the current marks of the semester.

    Raises:
        AccessDenied: the statement does not exist or is not visible to the person.
    """
    from core.journal.service import rounding_rule
    from core.people.study import SIGNS
    from kernel.errors import AccessDenied

    args = {"id": statement_id, "me": session.person.person_id, "today": clock.today()}
    with session.cursor() as cur:
        info = cur.execute(LIST, args).fetchall()
        if not info:
            raise AccessDenied("Ведомость не найдена или недоступна.")
        students = cur.execute(SHEET_STUDENTS, args).fetchall()
        marks = cur.execute(SHEET_MARKS, args).fetchall()
        pass_fail = cur.execute(PASS_FAIL, args).fetchone()
        history = cur.execute(REOPENINGS, args).fetchall()
    by_student: dict[int, list[MarkValue]] = {}
    for sid, value in marks:
        by_student.setdefault(sid, []).append(MarkValue(value))
    lines = [SheetLine(sid, name, book, StatementValue(value) if value else None,
                       tuple(by_student.get(sid, ())), SIGNS.get(state, ""))
             for sid, name, book, value, state in students]
    return StatementSheet(StatementInfo(*info[0]), lines, bool(pass_fail and pass_fail[0]),
                          rule or rounding_rule(session), session.person.has(*EDITOR_ROLES),
                          [tuple(h) for h in history])
