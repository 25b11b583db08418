"""Lesson dates of a study period from the timetable (R12), and hours held vs planned (R11).

The college works a six-day week: a timetable slot names a weekday 1…6 (Monday…Saturday),
a пара number and a week parity. Weeks are counted from the week (Monday…Sunday) holding the
period's first day: week 1, 3, 5, … is числитель (odd), week 2, 4, 6, … is знаменатель (even).

No lessons fall on Sundays, on the college's own breaks (vacations, practice weeks: date
ranges given by the yearly setup), or on Russian public holidays and the days off they are
transferred to (from the ``holidays`` package). A transferred working day (a Saturday that
works instead of a weekday off) keeps its own Saturday timetable by default; to make it
follow the timetable of the weekday it replaces, pass ``working_as`` — for example
:func:`transferred_workdays`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

import holidays

from core.grading.performance import HOURS_PER_PAIR, format_percent, share
from kernel.errors import ValidationError

SUNDAY = 7
_TRANSFER_SOURCE = re.compile(r"(\d{2}\.\d{2}\.\d{4})")


class Parity(StrEnum):
    """Which weeks a timetable slot runs in."""

    ALL = "all"
    ODD = "odd"
    EVEN = "even"

    @property
    def label(self) -> str:
        """Russian name: ``каждую неделю``, ``числитель``, ``знаменатель``."""
        return {Parity.ALL: "каждую неделю", Parity.ODD: "числитель",
                Parity.EVEN: "знаменатель"}[self]


@dataclass(frozen=True)
class TimetableSlot:
    """One line of a group's timetable.

    Attributes:
        weekday: 1 (Monday) … 6 (Saturday).
        pair_no: Number of the пара in the bell schedule (1, 2, …).
        parity: Every week, числитель (odd) or знаменатель (even) weeks only.
        load_id: The teaching load (group × discipline × teacher) taught in this slot.
        room: Classroom.
    """

    weekday: int
    pair_no: int
    parity: Parity
    load_id: int
    room: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.weekday <= 6:
            raise ValidationError(f"День недели {self.weekday}: допустимы 1 (пн) … 6 (сб).")
        if self.pair_no < 1:
            raise ValidationError(f"Номер пары {self.pair_no}: должен быть 1 или больше.")


@dataclass(frozen=True)
class DateRange:
    """A closed range of dates without lessons (vacation, practice, a college day off).

    Attributes:
        start: First day.
        end: Last day (inclusive).
        name: What it is, e.g. ``"Зимние каникулы"``.
    """

    start: date
    end: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(f"Период «{self.name}»: конец раньше начала.")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class PlannedLesson(NamedTuple):
    """A lesson the timetable puts on a date (a named tuple: a college's year is ~50,000 of
    them, built, hashed and sorted several times faster than as a frozen dataclass).

    Attributes:
        date: The day.
        pair_no: The пара number.
        load_id: The teaching load.
        room: Classroom.
    """

    date: date
    pair_no: int
    load_id: int
    room: str = ""


def week_number(day: date, period_start: date) -> int:
    """The study week of ``day``: 1 for the week (Mon…Sun) holding ``period_start``."""
    first_monday = period_start - timedelta(days=period_start.weekday())
    return (day - first_monday).days // 7 + 1


def week_parity(day: date, period_start: date) -> Parity:
    """``Parity.ODD`` (числитель) or ``Parity.EVEN`` (знаменатель) for the week of ``day``."""
    return Parity.ODD if week_number(day, period_start) % 2 else Parity.EVEN


def public_holidays(start: date, end: date) -> dict[date, str]:
    """Russian public holidays and transferred days off between two dates, Russian names."""
    years = list(range(start.year, end.year + 1))
    calendar = holidays.country_holidays("RU", years=years, language="ru")
    return {d: str(n) for d, n in sorted(calendar.items()) if start <= d <= end}


def transferred_workdays(years: Iterable[int]) -> dict[date, int]:
    """Weekend days that work by transfer, mapped to the weekday (1…7) of the day off they
    replace, e.g. Saturday 27.04.2024 → 1 (works instead of Monday 29.04.2024)."""
    calendar = holidays.country_holidays("RU", years=list(years), language="ru")
    result: dict[date, int] = {}
    for day_off, name in calendar.items():
        found = _TRANSFER_SOURCE.search(str(name))
        if found is None:
            continue
        source = datetime.strptime(found.group(1), "%d.%m.%Y").date()
        if source in calendar.weekend_workdays:
            result[source] = day_off.isoweekday()
    return dict(sorted(result.items()))


def _days(start: date, end: date) -> Iterator[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def study_days(
    start: date,
    end: date,
    breaks: Iterable[DateRange] = (),
    *,
    use_public_holidays: bool = True,
    working_as: Mapping[date, int] | None = None,
) -> dict[date, int]:
    """Days with lessons in a period, each mapped to the weekday (1…6) whose timetable runs.

    Args:
        start: First day of the period.
        end: Last day of the period (inclusive).
        breaks: Vacations and other ranges without lessons.
        use_public_holidays: Skip Russian public holidays and transferred days off.
        working_as: Days that follow another weekday's timetable (``{date: weekday}``); such
            a day is a study day even on a Sunday or a public holiday, but not in a break.
    """
    if end < start:
        raise ValidationError("Конец периода раньше его начала.")
    ranges = list(breaks)
    off = public_holidays(start, end) if use_public_holidays else {}
    overrides = dict(working_as or {})
    result: dict[date, int] = {}
    for day in _days(start, end):
        if any(day in r for r in ranges):
            continue
        weekday = overrides.get(day)
        if weekday is None and (day in off or day.isoweekday() == SUNDAY):
            continue
        result[day] = weekday or day.isoweekday()
    return result


def generate_lessons(
    slots: Iterable[TimetableSlot],
    start: date,
    end: date,
    breaks: Iterable[DateRange] = (),
    *,
    use_public_holidays: bool = True,
    working_as: Mapping[date, int] | None = None,
) -> list[PlannedLesson]:
    """All lessons the timetable puts into a period, sorted by date, пара and load.

    Args:
        slots: The group's timetable.
        start: First day of the period; week 1 (числитель) is the week holding it.
        end: Last day of the period (inclusive).
        breaks: Vacations and other ranges without lessons.
        use_public_holidays: Skip Russian public holidays and transferred days off.
        working_as: Days that follow another weekday's timetable, see :func:`study_days`.
    """
    by_weekday: dict[int, list[TimetableSlot]] = {}
    for slot in slots:
        by_weekday.setdefault(slot.weekday, []).append(slot)
    days = study_days(start, end, breaks, use_public_holidays=use_public_holidays,
                      working_as=working_as)
    lessons = [
        PlannedLesson(day, slot.pair_no, slot.load_id, slot.room)
        for day, weekday in days.items()
        for slot in by_weekday.get(weekday, [])
        if slot.parity in (Parity.ALL, week_parity(day, start))
    ]
    return sorted(lessons)


@dataclass(frozen=True)
class HoursFulfilment:
    """Hours of one teaching load held against the curriculum (R11).

    Attributes:
        planned: Hours planned by the curriculum / КТП.
        held: Hours of the lessons held so far.
        scheduled: Hours of lessons still scheduled by the timetable in the period.
    """

    planned: int
    held: int
    scheduled: int = 0

    @property
    def remaining(self) -> int:
        """Planned hours not yet held (0 when over-fulfilled)."""
        return max(self.planned - self.held, 0)

    @property
    def share(self) -> Decimal | None:
        """Held hours as a fraction of the planned ones, or None when nothing is planned."""
        return share(self.held, self.planned)

    @property
    def shortfall(self) -> int:
        """Planned hours the held and still scheduled lessons do not cover (negative: excess)."""
        return self.planned - self.held - self.scheduled

    @property
    def text(self) -> str:
        """``"34 из 72 ч (47,2 %)"``."""
        return f"{self.held} из {self.planned} ч ({format_percent(self.share)})"


def hours_planned_vs_held(
    planned_hours: int,
    held_lessons: int,
    hours_per_lesson: int = HOURS_PER_PAIR,
    scheduled_lessons: int = 0,
) -> HoursFulfilment:
    """Compare the curriculum's hours of a load with the lessons held (R11).

    Args:
        planned_hours: Hours of the load in the curriculum or КТП.
        held_lessons: Lessons held so far.
        hours_per_lesson: Academic hours of one lesson (2 for a пара).
        scheduled_lessons: Lessons the timetable still has for the load in the period.

    Raises:
        ValidationError: a negative number.
    """
    if min(planned_hours, held_lessons, hours_per_lesson, scheduled_lessons) < 0:
        raise ValidationError("Часы и число занятий не могут быть отрицательными.")
    return HoursFulfilment(planned_hours, held_lessons * hours_per_lesson,
                           scheduled_lessons * hours_per_lesson)
