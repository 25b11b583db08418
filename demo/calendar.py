"""The demo's academic year: two semesters, vacations, public holidays and the bells.

The year is the one running on ``today`` (from 1 September; in July and August, the year just
finished): semester I from 1 September to 28 December, winter vacation to 11 January,
semester II from 12 January to 30 June, summer vacation in July and August. Public holidays
and transferred days off come from the ``holidays`` package (through
:func:`core.calendar.lessons.public_holidays`), so 4 November and the New Year days are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from core.calendar.lessons import public_holidays

BELLS: tuple[tuple[time, time], ...] = (
    (time(8, 30), time(10, 0)),
    (time(10, 10), time(11, 40)),
    (time(12, 10), time(13, 40)),
    (time(13, 50), time(15, 20)),
    (time(15, 30), time(17, 0)),
    (time(17, 10), time(18, 40)),
)


@dataclass(frozen=True)
class Term:
    """A study period (semester)."""

    number: int
    title: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Break:
    """A row of ``journal.holiday``."""

    starts_on: date
    ends_on: date
    title: str
    kind: str


@dataclass(frozen=True)
class AcademicYear:
    """The demo's year: its title, bounds, semesters and breaks."""

    first_year: int
    terms: tuple[Term, Term]
    breaks: tuple[Break, ...]

    @property
    def title(self) -> str:
        """``2026/2027``."""
        return f"{self.first_year}/{self.first_year + 1}"

    @property
    def starts_on(self) -> date:
        """1 September."""
        return date(self.first_year, 9, 1)

    @property
    def ends_on(self) -> date:
        """31 August of the next year."""
        return date(self.first_year + 1, 8, 31)


def year_of(today: date) -> int:
    """The first calendar year of the academic year running on ``today``."""
    return today.year if today.month >= 9 else today.year - 1


def _holiday_ranges(start: date, end: date) -> list[Break]:
    """Consecutive public holidays and days off as one row, named by its holiday."""
    days = public_holidays(start, end)
    groups: list[list[tuple[date, str]]] = []
    for day, name in days.items():
        if groups and groups[-1][-1][0] == day - timedelta(days=1):
            groups[-1].append((day, name))
        else:
            groups.append([(day, name)])
    ranges: list[Break] = []
    for group in groups:
        names = [name for _, name in group if "ыходной" not in name]
        title = names[0] if names else group[0][1]
        ranges.append(Break(group[0][0], group[-1][0], title, "праздник"))
    return ranges


def academic_year(today: date) -> AcademicYear:
    """The year running on ``today`` with its semesters and breaks."""
    y = year_of(today)
    autumn = Term(1, "I семестр", date(y, 9, 1), date(y, 12, 28))
    spring = Term(2, "II семестр", date(y + 1, 1, 12), date(y + 1, 6, 30))
    vacations = [
        Break(date(y, 12, 29), date(y + 1, 1, 11), "Зимние каникулы", "каникулы"),
        Break(date(y + 1, 7, 1), date(y + 1, 8, 31), "Летние каникулы", "каникулы"),
    ]
    holidays = _holiday_ranges(date(y, 9, 1), date(y + 1, 8, 31))
    breaks = sorted(vacations + holidays, key=lambda b: (b.starts_on, b.ends_on, b.title))
    return AcademicYear(y, (autumn, spring), tuple(breaks))
