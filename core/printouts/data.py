"""Fill the printouts of ``core.printouts.form*`` from the database (R6, R20, R22).

The loaders read through the connection they are given, so a person's own connection prints
only what row-level security lets them read; the year archive passes the superuser's.

- ``load_journal(conn, group_id, choice)`` → ``GroupJournal`` (``core.printouts.journal``);
- ``load_summaries(conn, group_ids, choice)`` → ``{group_id: SummaryStatement}``;
- ``load_statement(conn, statement_id)`` → ``AttestationStatement``;
- ``load_student_report(conn, student_id, choice, date_from=, date_to=)`` → ``StudentReport``;
- ``credential_slips(conn, entries, how_to_connect)`` → ``CredentialSlips`` (passwords come
  from the caller, never from the database).

``resolve_period``, ``find_groups`` and ``groups_of`` turn what a person typed («2026/2027»,
«2», «СЭЗ-24-1») into a :class:`PeriodChoice` and :class:`GroupRef` list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from core.journal.load_sql import LOAD_NAMES
from core.printouts.data_base import (
    ACTIVE_STATUSES,
    GroupRef,
    PeriodChoice,
    find_groups,
    groups_of,
    print_context,
    resolve_period,
    snapshot,
)
from core.printouts.form_statement import AttestationForm, AttestationStatement, StatementLine
from core.printouts.forms import CredentialSlip, CredentialSlips, Student
from core.printouts.journal import load_journal
from core.printouts.summary import load_student_report, load_summaries
from kernel.errors import AccessDenied
from kernel.marks import StatementValue
from kernel.text import full_name, short_name

__all__ = [
    "GroupRef",
    "PeriodChoice",
    "SlipEntry",
    "credential_slips",
    "find_groups",
    "groups_of",
    "load_journal",
    "load_statement",
    "load_student_report",
    "load_summaries",
    "resolve_period",
]

STATEMENT = f"""
SELECT s.id, s.load_id, s.form, s.number, s.held_on, t.group_id, t.subgroup_id, g.name,
       sp.code || ' ' || sp.title, btrim(d.code || ' ' || d.title), coalesce(sg.name, ''),
       p.title || ' ' || y.title || ' учебного года', p.starts_on, p.ends_on,
       ex.surname, ex.name, ex.patronymic, tp.surname, tp.name, tp.patronymic
  FROM journal.statement s
  JOIN journal.teaching_load t ON t.id = s.load_id{LOAD_NAMES}
  JOIN journal.specialty sp ON sp.id = g.specialty_id
  LEFT JOIN journal.person ex ON ex.id = s.examiner_id
  LEFT JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE s.id = %s
"""
STATEMENT_LINES = """
SELECT st.person_id, p.surname, p.name, p.patronymic, st.record_book_no, sm.value
  FROM journal.student st
  JOIN journal.person p ON p.id = st.person_id
  LEFT JOIN journal.statement_mark sm ON sm.statement_id = %(id)s AND sm.student_id = st.person_id
 WHERE st.group_id = %(group)s AND (%(subgroup)s::int IS NULL OR st.subgroup_id = %(subgroup)s)
   AND (sm.value IS NOT NULL OR (st.enrolled_on <= %(end)s
        AND (st.status = ANY(%(active)s) OR st.left_on >= %(start)s)))
 ORDER BY p.surname, p.name, p.patronymic, st.person_id
"""


def load_statement(conn: psycopg.Connection, statement_id: int) -> AttestationStatement:
    """One attestation statement (ведомость, R6) with every student of its load.

    Raises:
        AccessDenied: no such statement, or row-level security hides it.
    """
    with snapshot(conn):
        row = conn.execute(STATEMENT, (statement_id,)).fetchone()
        if row is None:
            raise AccessDenied(f"Ведомость № {statement_id} не найдена или недоступна.")
        (sid, _load, form, number, held_on, group_id, subgroup_id, group, specialty, discipline,
         subgroup, semester, start, end, *people) = row
        ctx = print_context(conn)
        lines = conn.execute(STATEMENT_LINES, {
            "id": sid, "group": group_id, "subgroup": subgroup_id, "start": start, "end": end,
            "active": list(ACTIVE_STATUSES)}).fetchall()
    examiner = short_name(*people[:3]) or short_name(*people[3:])
    return AttestationStatement(
        college=ctx.college, group=f"{group} ({subgroup})" if subgroup else group,
        discipline=discipline, semester=semester, form=AttestationForm(form), examiner=examiner,
        lines=tuple(StatementLine(Student(pid, full_name(s, n, p), book),
                                  StatementValue(value) if value else None)
                    for pid, s, n, p, book, value in lines),
        held_on=held_on, number=number, specialty=specialty)


@dataclass(frozen=True)
class SlipEntry:
    """One account to hand over: whose, which role, the login and the one-time password.

    Attributes:
        person: «Фамилия Имя Отчество».
        role: «обучающийся», «родитель», «преподаватель», …
        login: The login.
        password: The one-time password as issued (never read from the database).
        note: A line of context («обучающийся: Иванов Иван, СЭЗ-24-1»).
    """

    person: str
    role: str
    login: str
    password: str
    note: str = ""


def credential_slips(conn: psycopg.Connection, entries: Iterable[SlipEntry | tuple[str, ...]],
                     how_to_connect: str = "") -> CredentialSlips:
    """Slips for first logins from the accounts the caller has just issued.

    Args:
        conn: Any connection (only the college's name is read).
        entries: ``SlipEntry`` or tuples (person, role, login, password[, note]).
        how_to_connect: How to start the program, printed on every slip.
    """
    slips = []
    for entry in entries:
        item = entry if isinstance(entry, SlipEntry) else SlipEntry(*entry)
        slips.append(CredentialSlip(item.person, item.role, item.login, item.password, item.note))
    ctx = print_context(conn)
    return CredentialSlips(ctx.college, tuple(slips), how_to_connect)
