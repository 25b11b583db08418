"""The summary statement of groups (R8, R22) and a student's report for parents (R20).

Both read the current marks as one array per (load, student) in date order and the missed
hours summed per (load, student, НУ/НН), so the whole college's year costs the same few
queries as one group; the finals and the figures are computed by ``core.grading.finals`` and
``core.grading.performance``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import psycopg

from core.grading.finals import semester_mean
from core.grading.performance import Absence, AnyMark, MissedHours, attendance_summary, performance
from core.people.validation import phone_text
from core.printouts.data_base import (
    FIXED_FINALS,
    LOADS,
    STATEMENT_MARKS,
    Attested,
    GroupHeading,
    LoadRow,
    PeriodChoice,
    PrintContext,
    StudentRow,
    as_mark,
    group_infos,
    load_rows,
    print_context,
    scope_args,
    snapshot,
    students_of,
)
from core.printouts.form_report import ReportDiscipline, StudentReport
from core.printouts.form_summary import GroupFigures, SummaryColumn, SummaryRow, SummaryStatement
from core.printouts.forms import Student
from core.printouts.scope import read_scope
from kernel.errors import AccessDenied
from kernel.marks import Attendance, MarkValue
from kernel.text import full_name

MARK_LISTS = """
SELECT m.load_id, m.student_id, array_agg(m.value ORDER BY l.lesson_date, l.pair_no, m.id)
  FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id
 WHERE m.load_id = ANY(%(loads)s) AND (%(student)s::bigint IS NULL OR m.student_id = %(student)s)
   AND (%(from)s::date IS NULL OR l.lesson_date >= %(from)s)
   AND (%(to)s::date IS NULL OR l.lesson_date <= %(to)s)
 GROUP BY m.load_id, m.student_id
"""
MISSED = """
SELECT a.load_id, a.student_id, a.code, sum(l.hours)::int
  FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id
 WHERE a.load_id = ANY(%(loads)s) AND a.code <> 'П'
   AND (%(student)s::bigint IS NULL OR a.student_id = %(student)s)
   AND (%(from)s::date IS NULL OR l.lesson_date >= %(from)s)
   AND (%(to)s::date IS NULL OR l.lesson_date <= %(to)s)
 GROUP BY a.load_id, a.student_id, a.code
"""


@dataclass
class LoadResults:
    """Current marks, missed hours, statements and fixed finals of a set of loads."""

    marks: dict[tuple[int, int], list[MarkValue]]
    missed: dict[tuple[int, int], list[Absence[int]]]
    attested: Attested

    def missed_hours(self, load: int, student: int) -> MissedHours:
        """Hours one student missed in one load."""
        return attendance_summary(self.missed.get((load, student), []), [student]).total


def read_results(conn: psycopg.Connection, loads: Sequence[int], *, student: int | None = None,
                 date_from: date | None = None, date_to: date | None = None) -> LoadResults:
    """Marks, missed hours, statement marks and fixed finals of ``loads`` in four queries."""
    args = {"loads": list(loads), "student": student, "from": date_from, "to": date_to}
    with conn.pipeline():
        cursors = [conn.execute(sql, args) for sql in (MARK_LISTS, MISSED, STATEMENT_MARKS,
                                                       FIXED_FINALS)]
    marks_rows, missed_rows, statement_rows, fixed_rows = (c.fetchall() for c in cursors)
    missed: dict[tuple[int, int], list[Absence[int]]] = {}
    for load, sid, code, hours in missed_rows:
        missed.setdefault((load, sid), []).append(Absence(sid, Attendance(code), hours))
    return LoadResults(
        marks={(load, sid): [MarkValue(v) for v in values] for load, sid, values in marks_rows},
        missed=missed, attested=Attested.of(statement_rows, fixed_rows))


def _column_key(load: LoadRow) -> str:
    return f"{load.period_number}:{load.discipline_id}"


def _columns(loads: Sequence[LoadRow], choice: PeriodChoice) -> list[tuple[str, str]]:
    """(key, title) of the discipline columns: subgroup loads of a discipline share one."""
    titles: dict[str, str] = {}
    for load in loads:
        suffix = f", {load.period_number} сем." if choice.is_year else ""
        titles.setdefault(_column_key(load), f"{load.short_title}{suffix}")
    return list(titles.items())


def _figures(marks_by_student: dict[int, list[AnyMark | None]]) -> GroupFigures:
    return GroupFigures.of(performance(marks_by_student))


def build_summary(ctx: PrintContext, info: GroupHeading, choice: PeriodChoice,
                  loads: Sequence[LoadRow], students: Sequence[StudentRow],
                  results: LoadResults) -> SummaryStatement:
    """One group's summary statement from its loads, students and results."""
    columns = _columns(loads, choice)
    finals: dict[int, dict[str, str]] = {s.id: {} for s in students}
    missed = {s.id: MissedHours() for s in students}
    for load in loads:
        for student in students_of(load, students):
            marks = results.marks.get((load.id, student.id), [])
            finals[student.id][_column_key(load)] = results.attested.final(
                load, student.id, marks, ctx.rule)
            missed[student.id] += results.missed_hours(load.id, student.id)
    marks_of = {sid: [as_mark(text) for text in row.values()] for sid, row in finals.items()}
    rows = tuple(
        SummaryRow(Student(s.id, s.name, s.record_book), finals[s.id], missed[s.id].excused,
                   missed[s.id].unexcused, performance({s.id: marks_of[s.id]}).average)
        for s in students)
    summary_columns = tuple(
        SummaryColumn(key, title, _figures({sid: [as_mark(row.get(key, ""))]
                                            for sid, row in finals.items() if key in row}))
        for key, title in columns)
    return SummaryStatement(ctx.college, info.name, choice.label, summary_columns, rows,
                            _figures(marks_of), info.specialty, info.curator)


def load_summaries(conn: psycopg.Connection, group_ids: Sequence[int],
                   choice: PeriodChoice) -> dict[int, SummaryStatement]:
    """The summary statements of several groups (one per group id the connection sees).

    The same few queries for one group or for the whole college.
    """
    with snapshot(conn):
        scope = read_scope(conn, group_ids, choice)
        results = read_results(conn, [load.id for load in scope.loads])
    return {gid: build_summary(scope.ctx, scope.infos[gid], choice,
                               [x for x in scope.loads if x.group_id == gid],
                               [s for s in scope.students if s.group_id == gid], results)
            for gid in group_ids if gid in scope.infos}


STUDENT = """
SELECT st.person_id, p.surname, p.name, p.patronymic, st.group_id, st.subgroup_id,
       st.record_book_no
  FROM journal.student st JOIN journal.person p ON p.id = st.person_id
 WHERE st.person_id = %s
"""


def contact_text(phone: str, email: str) -> str:
    """How to reach the curator: «+7 (905) 123-45-67», the e-mail, or the program's messages."""
    return phone_text(phone) or email or "сообщение в программе"


def _report_discipline(load: LoadRow, sid: int, results: LoadResults, ctx: PrintContext,
                       choice: PeriodChoice, whole_periods: bool) -> ReportDiscipline:
    marks = results.marks.get((load.id, sid), [])
    missed = results.missed_hours(load.id, sid)
    # Before a period is over (or for a part of it) the rounded mean is not a final mark yet:
    # the report shows the mean, and the final only once it exists.
    derive = whole_periods and load.period_id in choice.finished_ids
    final = results.attested.final(load, sid, marks, ctx.rule, derive=derive)
    return ReportDiscipline(load.title(choice.is_year), tuple(marks), semester_mean(marks), final,
                            missed.excused, missed.unexcused)


def load_student_report(conn: psycopg.Connection, student_id: int, choice: PeriodChoice, *,
                        date_from: date | None = None,
                        date_to: date | None = None) -> StudentReport:
    """One student's marks and absences for parents (R20), for a period or between two dates.

    Raises:
        AccessDenied: the student does not exist or is not visible to the connection.
    """
    with snapshot(conn):
        row = conn.execute(STUDENT, (student_id,)).fetchone()
        if row is None:
            raise AccessDenied("Обучающийся не найден или сведения о нём недоступны.")
        sid, surname, name, patronymic, group_id, subgroup_id, book = row
        ctx = print_context(conn)
        args = scope_args([group_id], choice)
        with conn.pipeline():
            info_cur, loads_cur = (conn.execute(sql, args) for sql in (ctx.group_info_sql, LOADS))
        info = group_infos(info_cur.fetchall())[group_id]
        me = StudentRow(sid, group_id, subgroup_id, full_name(surname, name, patronymic), book)
        loads = [x for x in load_rows(loads_cur.fetchall()) if students_of(x, [me])]
        results = read_results(conn, [x.id for x in loads], student=sid,
                               date_from=date_from, date_to=date_to)
    whole = date_from is None and date_to is None
    disciplines = tuple(_report_discipline(x, sid, results, ctx, choice, whole) for x in loads)
    return StudentReport(ctx.college, me.name, info.name, _report_period(choice, date_from, date_to),
                         disciplines, info.curator_full,
                         contact_text(info.curator_phone, info.curator_email))


def _report_period(choice: PeriodChoice, date_from: date | None, date_to: date | None) -> str:
    if date_from is None and date_to is None:
        return choice.label
    start = date_from or choice.starts_on
    end = date_to or choice.ends_on
    return f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
