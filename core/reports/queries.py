"""The reports' SQL: one set-based call of a security-definer function per report.

The functions (migration 0070) check the caller's right once — readers of everything see
every load, a teacher their loads, a curator their groups' — and then read without
row-level security, so a report of the whole college costs what the owner's query costs.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import psycopg

from core.calendar.lessons import DateRange
from core.reports.attendance import Line, StudentMonth
from core.reports.control import LATE_DAYS, NO_MARKS_LESSONS, Gap
from core.reports.performance import StudentLoad
from core.reports.program import LoadProgram


def gaps(conn: psycopg.Connection, first: date, last: date, *, late_days: int = LATE_DAYS,
         no_marks: int = NO_MARKS_LESSONS) -> list[Gap]:
    """Gaps in filling the journal among the lessons of the dates."""
    rows = conn.execute("SELECT * FROM journal.report_gaps(%s, %s, %s, %s)",
                        (first, last, late_days, no_marks)).fetchall()
    return [Gap(*row) for row in rows]


def results(conn: psycopg.Connection, first: date, last: date) -> list[StudentLoad]:
    """Every student's marks summed per load over the dates."""
    rows = conn.execute("SELECT * FROM journal.report_results(%s, %s)", (first, last)).fetchall()
    return [StudentLoad(*row) for row in rows]


def absences(conn: psycopg.Connection, first: date, last: date) -> list[StudentMonth]:
    """Hours held and missed per student, load and month."""
    rows = conn.execute("SELECT * FROM journal.report_absences(%s, %s)", (first, last)).fetchall()
    return [StudentMonth(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                         r[11] or 0, r[12] or 0) for r in rows]


def attendance_totals(conn: psycopg.Connection, first: date, last: date,
                      dimension: str) -> dict[tuple[str, ...], Any]:
    """Hours held and missed summed in the database along the dimension."""
    from core.grading.performance import MissedHours

    rows = conn.execute("SELECT * FROM journal.report_attendance_totals(%s, %s, %s)",
                        (first, last, dimension)).fetchall()
    return {((k1, k2) if dimension == "student" else (k1,)): Line(h, MissedHours(e, u))
            for k1, k2, h, e, u in rows}


def attendance_weeks(conn: psycopg.Connection, first: date, last: date) -> dict[date, Line]:
    """Hours held and missed per week (its Monday) over the dates, summed in the database."""
    from core.grading.performance import MissedHours

    rows = conn.execute("SELECT * FROM journal.report_attendance_weeks(%s, %s)",
                        (first, last)).fetchall()
    return {week: Line(h, MissedHours(e, u)) for week, h, e, u in rows}


def program(conn: psycopg.Connection, first: date, last: date) -> list[LoadProgram]:
    """Planned, held and still scheduled hours of every load of the dates."""
    rows = conn.execute("SELECT * FROM journal.report_program(%s, %s)", (first, last)).fetchall()
    return [LoadProgram(*[*row[:9], _hours(row[9]), _hours(row[10]), row[11], row[12], row[13],
                          tuple(tuple(s) for s in _json(row[14]))]) for row in rows]


def breaks(conn: psycopg.Connection, first: date, last: date) -> list[DateRange]:
    """Vacations and days off of the years the dates touch."""
    rows = conn.execute(
        """SELECT h.starts_on, h.ends_on, h.title FROM journal.holiday h
             JOIN journal.academic_year y ON y.id = h.year_id
            WHERE y.starts_on <= %s AND y.ends_on >= %s""", (last, first)).fetchall()
    return [DateRange(*row) for row in rows]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _hours(value: Any) -> dict[str, int]:
    data = json.loads(value) if isinstance(value, str) else (value or {})
    return {str(k): int(v) for k, v in data.items()}


def raise_remarks(conn: psycopg.Connection, first: date, last: date) -> tuple[int, int]:
    """Raise remarks for the gaps of the dates and close the filled ones: (raised, closed)."""
    row = conn.execute("SELECT raised, closed FROM journal.raise_remarks(%s, %s, %s, %s)",
                       (first, last, LATE_DAYS, NO_MARKS_LESSONS)).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def open_remarks(conn: psycopg.Connection) -> list[tuple[Any, ...]]:
    """The caller's open remarks after closing the filled ones."""
    return conn.execute("SELECT * FROM journal.my_open_remarks()").fetchall()


def record_control(conn: psycopg.Connection, first: date, last: date, found: dict[str, int],
                   note: str) -> int:
    """Record the office's control; its id."""
    row = conn.execute("SELECT journal.record_control(%s, %s, %s::jsonb, %s)",
                       (first, last, json.dumps(found), note)).fetchone()
    return int(row[0]) if row else 0


def control_history(conn: psycopg.Connection, limit: int = 20) -> list[tuple[Any, ...]]:
    """The last recorded controls: when, who, the dates, what was found, the note."""
    return conn.execute(
        """SELECT c.checked_at, p.surname || ' ' || left(p.name, 1) || '.', c.date_from,
                  c.date_to, c.found, c.note
             FROM journal.control_check c JOIN journal.person p ON p.id = c.checked_by
            ORDER BY c.checked_at DESC LIMIT %s""", (limit,)).fetchall()


def forecast_rows(conn: psycopg.Connection, first: date, last: date,
                  group_id: int | None = None) -> list[Any]:
    """What the forecast needs per student and load (see ``journal.report_forecast``)."""
    from core.reports.risk import record_of

    rows = conn.execute("SELECT * FROM journal.report_forecast(%s, %s, %s)",
                        (first, last, group_id)).fetchall()
    return [record_of(row) for row in rows]


def debts(conn: psycopg.Connection, first: date, last: date) -> list[tuple[Any, ...]]:
    """Academic debts after closed statements, with the latest retake date."""
    return conn.execute("SELECT * FROM journal.report_debts(%s, %s)", (first, last)).fetchall()


def set_retake(conn: psycopg.Connection, statement_id: int, student_id: int, day: date,
               note: str = "") -> None:
    """Set (a new row: the old dates stay) the retake date of one debt."""
    conn.execute("INSERT INTO journal.retake (statement_id, student_id, retake_on, note) "
                 "VALUES (%s, %s, %s, %s)", (statement_id, student_id, day, note))
