"""The attendance day as plain data: building it from rows, edits, the week's status."""

from __future__ import annotations

from datetime import date, time

from core.attendance.day import (
    AttendanceDay,
    absence_of,
    adopt_lesson,
    clear,
    fill_present,
    for_lesson,
    mark,
    step_day,
    week_of,
    whole_day,
)
from core.attendance.load import build_day
from core.journal.page import apply_changes
from core.people.forms import GroupInfo
from kernel.marks import Attendance

GROUP = GroupInfo(7, "ИС-26-1", "Петрова А. С.", True)
MONDAY = date(2026, 11, 23)  # a числитель week of the period below
A, B, C = 101, 102, 103  # students; C is in subgroup 2
P, H, U = Attendance.PRESENT, Attendance.UNEXCUSED, Attendance.EXCUSED


def rows(lessons: list[tuple[int, int, date, int]] | None = None,
         attendance: list[tuple[int, int, str]] | None = None) -> dict[str, list[tuple]]:
    """Two loads (whole group at пара 1, subgroup 2 at пара 2) on Mondays; lessons given."""
    start, end = date(2026, 9, 1), date(2026, 12, 28)
    return {
        "loads": [(1, None, "", "Математика", "Матем", "Иванова И. И.", start, end, 1, False),
                  (2, 22, "2 подгр.", "Информатика", "Инф", "Сидоров П. П.", start, end, 1, False)],
        "slots": [(1, 1, 1, "all", "204"), (2, 1, 2, "all", "310"), (1, 3, 3, "odd", "")],
        "breaks": [],
        "bells": [(1, time(8, 30), time(10, 0), 2), (2, time(10, 10), time(11, 40), 2)],
        "lessons": [(lid, load, day, pair, "Т", 2, "", "Иванова И.", False)
                    for lid, load, day, pair in (lessons or [])],
        "students": [(A, "Антонов", "Антон", "", 21, "1 подгр.", "обучается", date(2026, 9, 1), None),
                     (B, "Борисова", "Бэлла", "", 21, "1 подгр.", "обучается", date(2026, 9, 1), None),
                     (C, "Васильев", "Вадим", "", 22, "2 подгр.", "обучается", date(2026, 9, 1), None)],
        "attendance": attendance or [],
    }


def monday(lessons: bool = True, attendance: list[tuple[int, int, str]] | None = None) -> AttendanceDay:
    held = [(11, 1, MONDAY, 1), (12, 2, MONDAY, 2)] if lessons else []
    return build_day(GROUP, MONDAY, rows(held, attendance))


def put(day: AttendanceDay, changes: list) -> None:
    apply_changes(day.page, changes)


def test_day_has_lessons_held_and_timetable_slots() -> None:
    day = build_day(GROUP, MONDAY, rows([(11, 1, MONDAY, 1)]))
    assert [(p.pair_no, p.short_title, p.lesson_id) for p in day.pairs] == [
        (1, "Матем", 11), (2, "Инф", None)]
    assert day.pairs[0].time_text == "08:30–10:00"
    assert day.pairs[1].key < 0 and not day.pairs[1].recorded
    assert day.attends[11] == {A, B, C}
    assert day.attends[day.pairs[1].key] == {C}  # only subgroup 2


def test_wednesday_odd_week_slot_and_sunday_skipped() -> None:
    wednesday = build_day(GROUP, date(2026, 11, 25), rows())
    assert [p.pair_no for p in wednesday.pairs] == [3]  # числитель only
    next_wednesday = build_day(GROUP, date(2026, 12, 2), rows())
    assert next_wednesday.pairs == ()
    assert step_day(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert step_day(date(2026, 11, 30), -1) == date(2026, 11, 28)
    assert week_of(date(2026, 11, 25)) == (MONDAY, date(2026, 11, 28))


def test_public_holiday_has_no_pairs_and_a_note() -> None:
    day = build_day(GROUP, date(2026, 11, 4), rows())  # День народного единства, a Wednesday
    assert day.pairs == ()
    assert day.note
    assert day.status.state == "holiday"


def test_marks_skip_students_outside_the_subgroup_and_slots_without_lesson() -> None:
    day = monday()
    assert mark(day, A, 12, H) == []  # A is in subgroup 1, пара 2 is subgroup 2
    assert [c.new for c in mark(day, C, 12, H)] == [H]
    slot_day = monday(lessons=False)
    assert mark(slot_day, A, slot_day.pairs[0].key, H) == []  # no lesson, may not create
    slot_day.may_create = True
    assert [c.new for c in mark(slot_day, A, slot_day.pairs[0].key, H)] == [H]


def test_fill_present_only_empty_expected_cells() -> None:
    day = monday()
    put(day, mark(day, B, 11, H))
    changes = fill_present(day, 11)
    assert {(c.student_id, c.new) for c in changes} == {(A, P), (C, P)}
    assert {c.student_id for c in fill_present(day, 12)} == {C}


def test_whole_day_copies_the_absence_or_marks_nn() -> None:
    day = monday()
    assert {(c.student_id, c.lesson_id, c.new) for c in whole_day(day, C)} == {
        (C, 11, H), (C, 12, H)}
    put(day, mark(day, C, 11, U))
    assert absence_of(day, C, 12) is U  # the first absence in the row
    assert {(c.lesson_id, c.old, c.new) for c in whole_day(day, C, 12)} == {(12, None, U)}
    assert whole_day(day, A) == [mark(day, A, 11, H)[0]]  # A is not expected at пара 2


def test_clear_and_missed_hours() -> None:
    day = monday(attendance=[(C, 11, "НУ"), (C, 12, "НН"), (A, 11, "П")])
    assert day.missed_hours(C) == (2, 2)
    assert day.missed_hours(A) == (0, 0)
    changes = clear(day, C, 12)
    assert [(c.old, c.new) for c in changes] == [(H, None)]
    assert clear(day, B, 11) == []


def test_status_filled_only_when_every_expected_student_has_attendance() -> None:
    day = monday(attendance=[(A, 11, "П"), (B, 11, "НН")])
    status = day.status
    assert (status.state, status.missing) == ("unfilled", 2)
    assert "не отмечено пар: 2" in status.explanation
    put(day, fill_present(day, 11) + fill_present(day, 12))
    assert day.status.filled
    day.refresh_week()
    assert day.week[0].filled and day.week[0].label == "Пн 23.11"
    unrecorded = monday(lessons=False)
    assert unrecorded.status.unrecorded == 2
    assert "занятий не записано: 2" in unrecorded.status.explanation


def test_students_who_left_or_are_on_leave_are_not_expected() -> None:
    data = rows([(11, 1, MONDAY, 1)])
    data["students"] += [
        (104, "Гусев", "Глеб", "", None, "", "отчислен", date(2026, 9, 1), date(2026, 11, 20)),
        (105, "Дёмина", "Дарья", "", None, "", "академический отпуск", date(2026, 9, 1), None),
        (106, "Ершов", "Егор", "", None, "", "отчислен", date(2026, 9, 1), date(2026, 11, 30))]
    day = build_day(GROUP, MONDAY, data)
    assert [s.student_id for s in day.page.students] == [A, B, C, 106]
    assert day.attends[11] == {A, B, C, 106}


def test_adopting_a_created_lesson_moves_the_cells_typed_meanwhile() -> None:
    day = monday(lessons=False)
    day.may_create = True
    key = day.pairs[0].key
    typed = mark(day, A, key, H)
    put(day, typed)
    adopt_lesson(day, key, 55)
    assert day.pairs[0].lesson_id == 55 and day.pairs[0].key == 55
    assert day.page.cell(A, 55).attendance is H
    assert day.page.col_of[55] == 0 and key not in day.page.col_of
    assert day.attends[55] == {A, B, C}
    assert [c.lesson_id for c in for_lesson(typed, 55)] == [55]
