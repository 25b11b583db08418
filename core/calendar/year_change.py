"""The change of the academic year (R1, R16): groups move to the next course, the last course
graduates, the new year and its periods open.

A group's course is not stored: it is the number of the academic year since the group's
admission (``admission_year``), so opening the next year moves every group up by itself. The
groups whose curriculum ends with the finished year (its last semester, two per course)
graduate: the group gets ``graduated_at`` and its studying students ``status = 'выпущен'``
with ``left_on`` the year's last day — the student table keeps them, their marks stay. The
finished year is not changed: its lessons, marks and statements stay readable, and the admin
closes it into the archive separately (core/archive/year.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from core.calendar.year import (
    Year,
    add_period,
    add_year,
    copy_bells,
    find_year,
    import_public_holidays,
    list_years,
    rows,
)
from kernel.errors import ValidationError

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class GroupMove:
    """What the year change does to one group."""

    group_id: int
    name: str
    course: int
    courses: int
    students: int

    @property
    def graduates(self) -> bool:
        """The group finishes its last course this year."""
        return self.course >= self.courses

    @property
    def text(self) -> str:
        """``ИС-25-1: 1 → 2 курс`` or ``ИС-22-1: выпуск (25 обучающихся)``."""
        if self.graduates:
            return f"{self.name}: выпуск ({self.students} обучающихся)"
        return f"{self.name}: {self.course} → {self.course + 1} курс"


@dataclass
class YearChange:
    """The change computed before anything is written."""

    old: Year
    new_title: str
    new_starts: date
    new_ends: date
    periods: list[tuple[int, date, date]] = field(default_factory=list)
    groups: list[GroupMove] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The change as Russian lines."""
        out = [f"Переход с {self.old.title} на {self.new_title} "
               f"({self.new_starts:%d.%m.%Y} — {self.new_ends:%d.%m.%Y}).", "Периоды:"]
        out += [f"  {n} семестр: {a:%d.%m.%Y} — {b:%d.%m.%Y}" for n, a, b in self.periods]
        out += ["Группы:"] + [f"  {g.text}" for g in self.groups]
        return out


GROUPS = """
SELECT g.id, g.name, %(start)s - g.admission_year + 1,
       greatest(1, ceil(coalesce((SELECT max(ci.semester_no) FROM journal.curriculum_item ci
                                   WHERE ci.curriculum_id = g.curriculum_id), 8) / 2.0))::int,
       (SELECT count(*) FROM journal.student s WHERE s.group_id = g.id AND s.status = 'обучается')
  FROM journal.study_group g
 WHERE g.graduated_at IS NULL
 ORDER BY g.name
"""


def default_periods(start_year: int) -> list[tuple[int, date, date]]:
    """Two semesters: 1 September — 31 December, 12 January — 30 June."""
    return [(1, date(start_year, 9, 1), date(start_year, 12, 31)),
            (2, date(start_year + 1, 1, 12), date(start_year + 1, 6, 30))]


def plan_change(conn: psycopg.Connection, old: Year,
                periods: list[tuple[int, date, date]] | None = None) -> YearChange:
    """What the change from ``old`` to the next year would do; writes nothing."""
    start = old.starts_on.year + 1
    change = YearChange(old, f"{start}/{start + 1}", date(start, 9, 1), date(start + 1, 8, 31),
                        periods or default_periods(start))
    change.groups = [GroupMove(*r) for r in rows(conn, GROUPS, {"start": old.starts_on.year})]
    return change


def apply_change(conn: psycopg.Connection, change: YearChange) -> int:
    """Graduate the last course, open the new year (periods, bells, public holidays).

    Returns:
        The new year's id.

    Raises:
        ValidationError: the new year exists already.
        EJournalError: refused by the database (only the admin changes the year).
    """
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    if any(y.title == change.new_title for y in _years(conn)):
        raise ValidationError(f"Учебный год {change.new_title} уже открыт.")
    graduating = [g.group_id for g in change.groups if g.graduates]
    try:
        with transaction(conn, f"переход на {change.new_title}"):
            conn.execute("""UPDATE journal.student SET status = 'выпущен', left_on = %s
                             WHERE group_id = ANY (%s) AND status = 'обучается'""",
                         (change.old.ends_on, graduating))
            conn.execute("UPDATE journal.study_group SET graduated_at = %s WHERE id = ANY (%s)",
                         (change.old.ends_on, graduating))
            year_id = add_year(conn, change.new_title, change.new_starts, change.new_ends)
            for number, first, last in change.periods:
                add_period(conn, year_id, number, first, last)
            copy_bells(conn, change.old.year_id, year_id)
            import_public_holidays(conn, find_year(conn, change.new_title))
    except psycopg.Error as exc:
        raise translate(exc) from exc
    return year_id


def _years(conn: psycopg.Connection) -> list[Year]:
    return list_years(conn)
