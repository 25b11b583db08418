"""Lesson dates from the timetable (R12) and hours held vs planned (R11)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.calendar.lessons import (
    DateRange,
    HoursFulfilment,
    Parity,
    PlannedLesson,
    TimetableSlot,
    generate_lessons,
    hours_planned_vs_held,
    public_holidays,
    study_days,
    transferred_workdays,
    week_number,
    week_parity,
)
from kernel.errors import ValidationError

AUTUMN = date(2024, 9, 2)  # a Monday


def slot(weekday: int, pair_no: int = 1, parity: Parity = Parity.ALL,
         load_id: int = 10, room: str = "101") -> TimetableSlot:
    """A timetable slot with defaults."""
    return TimetableSlot(weekday, pair_no, parity, load_id, room)


def dates(lessons: list[PlannedLesson]) -> list[date]:
    """The dates of lessons."""
    return [lesson.date for lesson in lessons]


def test_week_number_and_parity() -> None:
    assert week_number(AUTUMN, AUTUMN) == 1
    assert week_number(date(2024, 9, 8), AUTUMN) == 1  # Sunday of week 1
    assert week_number(date(2024, 9, 9), AUTUMN) == 2
    assert week_parity(AUTUMN, AUTUMN) is Parity.ODD
    assert week_parity(date(2024, 9, 14), AUTUMN) is Parity.EVEN
    assert week_parity(date(2024, 9, 16), AUTUMN) is Parity.ODD


def test_week_one_is_the_week_holding_a_midweek_start() -> None:
    start = date(2024, 9, 4)  # Wednesday
    assert week_parity(date(2024, 9, 2), start) is Parity.ODD
    assert week_parity(date(2024, 9, 9), start) is Parity.EVEN


def test_parity_labels() -> None:
    assert Parity.ODD.label == "числитель" and Parity.EVEN.label == "знаменатель"


def test_unity_day_is_skipped() -> None:
    lessons = generate_lessons([slot(1)], date(2024, 10, 28), date(2024, 11, 11))
    assert dates(lessons) == [date(2024, 10, 28), date(2024, 11, 11)]


def test_public_holidays_can_be_ignored() -> None:
    lessons = generate_lessons([slot(1)], date(2024, 10, 28), date(2024, 11, 11),
                               use_public_holidays=False)
    assert date(2024, 11, 4) in dates(lessons)


def test_new_year_holidays_are_skipped() -> None:
    every_day = [slot(d) for d in range(1, 7)]
    lessons = generate_lessons(every_day, date(2024, 12, 23), date(2025, 1, 18))
    held = set(dates(lessons))
    assert date(2024, 12, 28) in held  # a Saturday, a study day of a six-day week
    for off in [date(2024, 12, 30), date(2024, 12, 31)] + [date(2025, 1, d) for d in range(1, 9)]:
        assert off not in held
    assert date(2025, 1, 9) in held


def test_sundays_never_have_lessons() -> None:
    days = study_days(AUTUMN, date(2024, 12, 28), use_public_holidays=False)
    assert all(d.isoweekday() != 7 for d in days)
    assert all(days[d] == d.isoweekday() for d in days)


def test_numerator_denominator_alternate() -> None:
    slots = [slot(1, 1, Parity.ODD, load_id=1), slot(1, 1, Parity.EVEN, load_id=2),
             slot(1, 2, Parity.ALL, load_id=3)]
    lessons = generate_lessons(slots, AUTUMN, date(2024, 9, 29))
    first_pair = [(lesson.date, lesson.load_id) for lesson in lessons if lesson.pair_no == 1]
    assert first_pair == [(date(2024, 9, 2), 1), (date(2024, 9, 9), 2),
                          (date(2024, 9, 16), 1), (date(2024, 9, 23), 2)]
    assert [lesson.load_id for lesson in lessons if lesson.pair_no == 2] == [3, 3, 3, 3]


def test_lessons_are_sorted_and_keep_room() -> None:
    slots = [slot(2, 3, room="202"), slot(1, 2), slot(1, 1, load_id=11)]
    lessons = generate_lessons(slots, AUTUMN, date(2024, 9, 3))
    assert lessons == [
        PlannedLesson(date(2024, 9, 2), 1, 11, "101"),
        PlannedLesson(date(2024, 9, 2), 2, 10, "101"),
        PlannedLesson(date(2024, 9, 3), 3, 10, "202"),
    ]


def test_breaks_are_skipped() -> None:
    vacation = DateRange(date(2024, 9, 9), date(2024, 9, 15), "Практика")
    lessons = generate_lessons([slot(1)], AUTUMN, date(2024, 9, 22), [vacation])
    assert dates(lessons) == [date(2024, 9, 2), date(2024, 9, 16)]
    assert date(2024, 9, 9) in vacation and "x" not in vacation


def test_parity_counts_weeks_through_breaks() -> None:
    """A vacation week still counts: parity is by calendar week from the start."""
    vacation = DateRange(date(2024, 9, 9), date(2024, 9, 15))
    lessons = generate_lessons([slot(1, parity=Parity.ODD)], AUTUMN, date(2024, 9, 29),
                               [vacation])
    assert dates(lessons) == [date(2024, 9, 2), date(2024, 9, 16)]


def test_transferred_workdays_2024() -> None:
    transfers = transferred_workdays([2024])
    assert transfers[date(2024, 4, 27)] == 1  # works instead of Monday 29.04
    assert transfers[date(2024, 11, 2)] == 2  # instead of Tuesday 30.04
    assert transfers[date(2024, 12, 28)] == 1  # instead of Monday 30.12
    assert all(d.isoweekday() in (6, 7) for d in transfers)


def test_working_as_follows_another_weekday() -> None:
    slots = [slot(1, load_id=1), slot(6, load_id=6)]
    lessons = generate_lessons(slots, date(2024, 12, 23), date(2024, 12, 28),
                               working_as={date(2024, 12, 28): 1})
    assert [(lesson.date, lesson.load_id) for lesson in lessons] == [
        (date(2024, 12, 23), 1), (date(2024, 12, 28), 1)]


def test_working_as_does_not_override_breaks() -> None:
    vacation = DateRange(date(2024, 12, 28), date(2025, 1, 11))
    days = study_days(date(2024, 12, 23), date(2024, 12, 31), [vacation],
                      working_as={date(2024, 12, 28): 1})
    assert date(2024, 12, 28) not in days


def test_public_holidays_have_russian_names() -> None:
    names = public_holidays(date(2024, 11, 1), date(2024, 11, 30))
    assert names == {date(2024, 11, 4): "День народного единства"}


@pytest.mark.parametrize(("weekday", "pair_no"), [(0, 1), (7, 1), (1, 0)])
def test_bad_slot_rejected(weekday: int, pair_no: int) -> None:
    with pytest.raises(ValidationError):
        TimetableSlot(weekday, pair_no, Parity.ALL, 1)


def test_bad_ranges_rejected() -> None:
    with pytest.raises(ValidationError):
        DateRange(date(2024, 9, 2), date(2024, 9, 1))
    with pytest.raises(ValidationError):
        generate_lessons([slot(1)], date(2024, 9, 2), date(2024, 9, 1))


def test_full_semester_count() -> None:
    """Autumn 2024, Monday числитель: 17 weeks, 9 odd ones; 4 November is in week 10."""
    lessons = generate_lessons([slot(1, parity=Parity.ODD)], AUTUMN, date(2024, 12, 28))
    assert week_parity(date(2024, 11, 4), AUTUMN) is Parity.EVEN
    assert len(lessons) == 9
    assert all(week_parity(d, AUTUMN) is Parity.ODD for d in dates(lessons))
    assert dates(lessons)[-1] - dates(lessons)[0] == timedelta(weeks=16)


def test_hours_planned_vs_held() -> None:
    result = hours_planned_vs_held(72, 17)
    assert result == HoursFulfilment(planned=72, held=34)
    assert result.remaining == 38
    assert result.text == "34 из 72 ч (47,2 %)"
    assert result.shortfall == 38


def test_hours_with_scheduled_and_custom_lesson_length() -> None:
    result = hours_planned_vs_held(72, 10, hours_per_lesson=3, scheduled_lessons=12)
    assert (result.held, result.scheduled, result.shortfall) == (30, 36, 6)
    over = hours_planned_vs_held(4, 3)
    assert over.remaining == 0 and over.shortfall == -2
    assert hours_planned_vs_held(0, 0).text == "0 из 0 ч (—)"


def test_hours_negative_rejected() -> None:
    with pytest.raises(ValidationError):
        hours_planned_vs_held(72, -1)
