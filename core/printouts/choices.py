"""What the print screen offers to choose from: years and periods, groups, statements, students.

Every list comes through the person's own session, so it holds only what they may print.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.printouts.data_base import ACTIVE_STATUSES, GroupRef
from core.session import UserSession
from kernel import clock
from kernel.text import full_name


@dataclass(frozen=True)
class YearOption:
    """An academic year with its periods (number, title), the current one marked."""

    id: int
    title: str
    periods: tuple[tuple[int, str], ...]
    current: bool


@dataclass(frozen=True)
class ItemOption:
    """A statement or a student to choose, with the line shown for it."""

    id: int
    label: str


YEARS = """
SELECT y.id, y.title, %s::date BETWEEN y.starts_on AND y.ends_on,
       coalesce(array_agg(p.number ORDER BY p.number) FILTER (WHERE p.id IS NOT NULL), '{}'),
       coalesce(array_agg(p.title ORDER BY p.number) FILTER (WHERE p.id IS NOT NULL), '{}')
  FROM journal.academic_year y LEFT JOIN journal.period p ON p.year_id = y.id
 GROUP BY y.id ORDER BY y.starts_on DESC
"""
GROUPS = """
SELECT g.id, g.name FROM journal.study_group g
 WHERE EXISTS (SELECT FROM journal.teaching_load t JOIN journal.period p ON p.id = t.period_id
                WHERE t.group_id = g.id AND p.year_id = %s)
 ORDER BY g.name
"""
STATEMENTS = """
SELECT s.id, coalesce(nullif(s.number, ''), s.id::text), g.name || coalesce(' (' || sg.name || ')', ''),
       d.title, s.form, p.title, s.closed_at IS NOT NULL
  FROM journal.statement s
  JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE p.year_id = %(year)s AND (%(group)s::int IS NULL OR t.group_id = %(group)s)
 ORDER BY p.number, g.name, d.title, s.form
"""
STUDENTS = """
SELECT st.person_id, p.surname, p.name, p.patronymic, st.status
  FROM journal.student st JOIN journal.person p ON p.id = st.person_id
 WHERE st.group_id = %s
 ORDER BY st.status <> ALL(%s), p.surname, p.name, p.patronymic
"""


def list_years(session: UserSession) -> list[YearOption]:
    """Academic years, newest first, with their periods."""
    with session.cursor() as cur:
        rows = cur.execute(YEARS, (clock.today(),)).fetchall()
    return [YearOption(yid, title, tuple(zip(numbers, titles, strict=True)), bool(current))
            for yid, title, current, numbers, titles in rows]


def list_groups(session: UserSession, year_id: int) -> list[GroupRef]:
    """Groups with teaching loads in the year that the person sees."""
    with session.cursor() as cur:
        rows = cur.execute(GROUPS, (year_id,)).fetchall()
    return [GroupRef(gid, name) for gid, name in rows]


def list_statements(session: UserSession, year_id: int, group_id: int | None) -> list[ItemOption]:
    """Statements of the year (of one group, or all), «№ 17 · СЭЗ-24-1 · Математика · экзамен»."""
    with session.cursor() as cur:
        rows = cur.execute(STATEMENTS, {"year": year_id, "group": group_id}).fetchall()
    return [ItemOption(sid, f"№ {number} · {group} · {discipline} · {form} · {period}"
                       + (" · закрыта" if closed else ""))
            for sid, number, group, discipline, form, period, closed in rows]


def list_students(session: UserSession, group_id: int) -> list[ItemOption]:
    """Students of a group, those still studying first."""
    with session.cursor() as cur:
        rows = cur.execute(STUDENTS, (group_id, list(ACTIVE_STATUSES))).fetchall()
    return [ItemOption(pid, full_name(s, n, p) + ("" if status in ACTIVE_STATUSES else f" ({status})"))
            for pid, s, n, p, status in rows]
