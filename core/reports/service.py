"""Reports for a logged-in person: dates, the SQL and the rules put together.

Every report is a :class:`~core.reports.table.ReportTable`; the screen, the command line
and the files (CSV, XLSX, PDF) all use the same one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from core.reports import queries, source
from core.reports.control import KINDS, count_by_kind, found_text, gaps_table, summary_table
from core.reports.performance import compare_table, performance_table
from core.reports.program import program_table, still_scheduled
from core.reports.table import Builder, Jump, ReportTable
from core.session import UserSession
from kernel import clock
from kernel.errors import ValidationError

FORTNIGHT = 14


@dataclass(frozen=True)
class Dates:
    """The dates a report covers."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValidationError("Дата окончания раньше даты начала.", title="Неверные даты")

    @property
    def text(self) -> str:
        """«с 01.09.2026 по 07.12.2026»."""
        return f"с {self.first:%d.%m.%Y} по {self.last:%d.%m.%Y}"


def fortnight(today: date | None = None) -> Dates:
    """The two weeks up to today (the control of regulation 3.8)."""
    day = today or clock.today()
    return Dates(day - timedelta(days=FORTNIGHT - 1), day)


def school_year(session: UserSession, today: date | None = None) -> Dates:
    """The academic year that holds today (or the latest one), up to today."""
    day = today or clock.today()
    with session.cursor() as cur:
        row = cur.execute(
            """SELECT starts_on, ends_on FROM journal.academic_year
                ORDER BY (starts_on <= %s AND ends_on >= %s) DESC, starts_on DESC LIMIT 1""",
            (day, day)).fetchone()
    if row is None:
        raise ValidationError("В журнале нет учебного года.", title="Нет учебного года")
    return Dates(row[0], max(row[0], min(row[1], day)))


def _run(session: UserSession, action: Callable[[psycopg.Connection], Any]) -> Any:
    """On the primary: what writes (remarks, checks, retakes) and small look-ups."""
    return source.on_primary(session, action)


def _read(session: UserSession, action: Callable[[psycopg.Connection], Any]) -> source.Read[Any]:
    """A report's reading: on the report server when one is set (see core.reports.source)."""
    return source.read(session, action)


def control(session: UserSession, dates: Dates) -> ReportTable:
    """Every gap of the dates (R8, regulation 3.8)."""
    found = _read(session, lambda c: queries.gaps(c, dates.first, dates.last))
    return found.on(gaps_table(found.value, dates.first, dates.last))


def control_summary(session: UserSession, dates: Dates) -> ReportTable:
    """Gaps counted per teacher and group."""
    found = _read(session, lambda c: queries.gaps(c, dates.first, dates.last))
    return found.on(summary_table(found.value, dates.first, dates.last))


def performance(session: UserSession, dates: Dates, by: str = "group") -> ReportTable:
    """Performance by group, discipline, teacher, course or college."""
    from core.journal.service import rounding_rule

    rows = _read(session, lambda c: queries.results(c, dates.first, dates.last))
    return rows.on(performance_table(rows.value, by, dates.text,
                                                 rounding_rule(session)))


def compare(session: UserSession, first: Dates, second: Dates, by: str = "group") -> ReportTable:
    """Performance of two date ranges side by side."""
    from core.journal.service import rounding_rule

    both = _read(session, lambda c: (queries.results(c, first.first, first.last),
                                     queries.results(c, second.first, second.last)))
    a, b = both.value
    return both.on(compare_table(a, b, by, (first.text, second.text),
                                             rounding_rule(session)))


def attendance(session: UserSession, dates: Dates, by: str = "group", *,
               weeks: bool = False) -> ReportTable:
    """Missed hours with the НУ/НН split by student, group, month or discipline; the chart
    by month, or by week with ``weeks``."""
    from core.reports.attendance import totals_table, week_chart

    def read(conn: psycopg.Connection) -> tuple[Any, Any, Any]:
        return (queries.attendance_totals(conn, dates.first, dates.last, by),
                queries.attendance_totals(conn, dates.first, dates.last, "month"),
                queries.attendance_weeks(conn, dates.first, dates.last) if weeks else None)

    found = _read(session, read)
    lines, months, by_week = found.value
    chart = week_chart(by_week, dates.first, dates.last) if by_week is not None else None
    return found.on(totals_table(lines, by, dates.text, months, chart))


def program(session: UserSession, dates: Dates, *, behind_only: bool = False) -> ReportTable:
    """Hours held against planned per load."""
    def read(conn: psycopg.Connection) -> list[Any]:
        off = queries.breaks(conn, dates.first, dates.last)
        return [still_scheduled(r, dates.last, off)
                for r in queries.program(conn, dates.first, dates.last)]

    rows = _read(session, read)
    return rows.on(program_table(rows.value, f"на {dates.last:%d.%m.%Y}",
                                             behind_only=behind_only))


def forecast(session: UserSession, dates: Dates, group_id: int | None = None) -> ReportTable:
    """The forecast of finals of every load (of one group) with the at-risk count (R9)."""
    from core.journal.service import rounding_rule
    from core.reports.risk import forecast_table

    rows = _read(session, lambda c: queries.forecast_rows(c, dates.first, dates.last, group_id))
    return rows.on(forecast_table(rows.value, dates.text,
                                              rounding_rule(session)))


def at_risk(session: UserSession, dates: Dates, group_id: int | None = None) -> ReportTable:
    """Students at risk with the reasoning and what it takes (R9)."""
    from core.journal.service import rounding_rule
    from core.reports.risk import risk_table

    rows = _read(session, lambda c: queries.forecast_rows(c, dates.first, dates.last, group_id))
    return rows.on(risk_table(rows.value, dates.text, dates.last,
                                          rounding_rule(session)))


def debts(session: UserSession, dates: Dates) -> ReportTable:
    """Academic debts after closed statements, with retake dates (R9)."""
    from core.reports.risk import debts_table

    rows = _read(session, lambda c: queries.debts(c, dates.first, dates.last))
    return rows.on(debts_table(rows.value, dates.text))


def parents_list(session: UserSession, group: str = "", name: str = "") -> ReportTable:
    """The students whose parents' report may be printed (a curator's own group)."""
    from core.reports.parents import pupils, pupils_table

    curated = not session.person.has("admin", "director", "deputy", "office", "methodologist")
    found = _run(session, lambda c: pupils(c, group, name, curated_only=curated))
    return pupils_table(found, f"группа {group}" if group else "все группы")


def print_parents(session: UserSession, group: str, name: str, out_dir: Path | str,
                  dates: Dates | None = None) -> list[Any]:
    """Print the parents' reports of the group's students (those whose name starts with
    ``name``; all when empty) — one PDF per student."""
    from core.reports.parents import print_for, pupils

    curated = not session.person.has("admin", "director", "deputy", "office", "methodologist")

    def act(conn: psycopg.Connection) -> list[Any]:
        found = pupils(conn, group, name, curated_only=curated)
        return print_for(conn, found, out_dir, first=dates.first if dates else None,
                         last=dates.last if dates else None)

    return _run(session, act)


def set_retake(session: UserSession, load_id: int, form: str, student_id: int, day: date,
               note: str = "") -> None:
    """Set the retake date of a debt (the office): a new row, the earlier dates stay."""
    def act(conn: psycopg.Connection) -> None:
        row = conn.execute("SELECT id FROM journal.statement WHERE load_id = %s AND form = %s",
                           (load_id, form)).fetchone()
        if row is None:
            raise ValidationError("Ведомость не найдена.", title="Нет ведомости")
        queries.set_retake(conn, int(row[0]), student_id, day, note)

    _run(session, act)


def raise_remarks(session: UserSession, dates: Dates) -> tuple[int, int]:
    """Raise remarks for the gaps of the dates, close the filled ones: (raised, closed)."""
    return _run(session, lambda c: queries.raise_remarks(c, dates.first, dates.last))


def my_remarks(session: UserSession) -> ReportTable:
    """The person's open remarks (a filled gap closes its remark first)."""
    rows = Builder()
    for _id, kind, load_id, lesson_id, student_id, day, detail, _raised in _run(
            session, queries.open_remarks):
        rows.add((f"{day:%d.%m.%Y}" if day else "", KINDS.get(kind, kind), detail),
                 Jump(load_id, lesson_id, student_id))
    return rows.table("Замечания по ведению журнала", "открытые замечания",
                      ("Дата", "Нарушение", "Подробно"))


def remark_count(session: UserSession) -> int:
    """How many open remarks the person has (shown at login)."""
    return len(_run(session, queries.open_remarks))


def record_control(session: UserSession, dates: Dates, note: str = "") -> tuple[int, str]:
    """Record the office's control of the dates: its id and what was found."""
    def act(conn: psycopg.Connection) -> tuple[int, str]:
        found = count_by_kind(queries.gaps(conn, dates.first, dates.last))
        return queries.record_control(conn, dates.first, dates.last, found, note), found_text(found)

    return _run(session, act)


def control_history(session: UserSession) -> ReportTable:
    """The office's recorded controls: who checked, when, the dates, what was found."""
    rows = Builder()
    checks = _read(session, queries.control_history)
    for at, who, first, last, found, note in checks.value:
        rows.add((f"{at:%d.%m.%Y %H:%M}", who, f"{first:%d.%m.%Y}–{last:%d.%m.%Y}",
                  found_text(dict(found)), note))
    return checks.on(rows.table("Журнал контроля ведения журнала", "проверки учебной части",
                      ("Когда", "Кто проверил", "Период", "Найдено", "Примечание")))


def college(session: UserSession) -> Any:
    """The college's name and director for the printed reports."""
    from core.printouts.data_base import print_context

    return _run(session, lambda c: print_context(c).college)


def group_id(session: UserSession, name: str) -> int:
    """The id of the group typed by name («СЭЗ-24-1»; case and spaces ignored)."""
    found = _run(session, lambda c: c.execute(
        "SELECT id FROM journal.study_group WHERE upper(replace(name, ' ', '')) = %s",
        (name.replace(" ", "").upper(),)).fetchone())
    if found is None:
        raise ValidationError(f"Группа «{name}» не найдена.", title="Нет такой группы")
    return int(found[0])
