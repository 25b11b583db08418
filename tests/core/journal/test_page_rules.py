"""Students not studying on a date and the rule for a mark on an absent student (issue 11):
the pure edits of the journal page skip or refuse them, never change attendance by themselves."""

from __future__ import annotations

from datetime import date

import pytest

from core.journal.page import (
    JournalPage,
    LessonColumn,
    StudentRow,
    apply_changes,
    apply_sequence,
    fill_empty,
    set_attendance,
    set_mark,
)
from kernel.errors import ValidationError
from kernel.marks import Attendance, MarkValue


def page() -> JournalPage:
    """Students 1..4, lessons 101..102; student 2 on academic leave at lesson 102."""
    rows = tuple(StudentRow(i, f"Студент{i}", "Имя") for i in range(1, 5))
    cols = tuple(LessonColumn(100 + j, date(2026, 10, j), 1, "Т") for j in (1, 2))
    p = JournalPage("МВС-24-1 · Математика", rows, cols)
    p.away[(2, 102)] = "отп."
    return p


def test_all_present_skips_a_student_on_leave() -> None:
    p = page()
    assert [c.student_id for c in fill_empty(p, 102, Attendance.PRESENT)] == [1, 3, 4]
    assert [c.student_id for c in fill_empty(p, 102, MarkValue("5"))] == [1, 3, 4]
    assert [c.student_id for c in fill_empty(p, 101, Attendance.PRESENT)] == [1, 2, 3, 4]


def test_a_typed_column_skips_the_student_on_leave() -> None:
    p = page()
    changes = apply_sequence(p, 102, 1, "5 4 3")
    assert [(c.student_id, c.new) for c in changes] == [
        (1, MarkValue("5")), (3, MarkValue("4")), (4, MarkValue("3"))]
    with pytest.raises(ValidationError, match="строк от курсора вниз 3"):
        apply_sequence(p, 102, 1, "5 4 3 2")


def test_a_key_on_a_student_on_leave_is_refused_in_russian() -> None:
    p = page()
    with pytest.raises(ValidationError, match="академический отпуск"):
        set_mark(p, 2, 102, MarkValue("5"))
    with pytest.raises(ValidationError, match="не обучается"):
        set_attendance(p, 2, 102, Attendance.PRESENT)


@pytest.mark.parametrize("code", [Attendance.UNEXCUSED, Attendance.EXCUSED])
def test_a_mark_on_an_absent_student_is_refused_and_the_absence_stays(code: Attendance) -> None:
    p = page()
    apply_changes(p, set_attendance(p, 1, 101, code))
    with pytest.raises(ValidationError, match=f"отмечен {code.value}.*сначала исправьте посещаемость"):
        set_mark(p, 1, 101, MarkValue("3"))
    assert p.cell(1, 101).attendance is code and not p.cell(1, 101).marks
    with pytest.raises(ValidationError, match=f"отмечен {code.value}"):
        apply_sequence(p, 101, 1, "3")
    # present first, then the mark: both are explicit changes
    apply_changes(p, set_attendance(p, 1, 101, Attendance.PRESENT))
    assert [c.new for c in set_mark(p, 1, 101, MarkValue("3"))] == [MarkValue("3")]


def test_an_absence_over_a_mark_is_refused() -> None:
    p = page()
    apply_changes(p, set_mark(p, 1, 101, MarkValue("4")))
    with pytest.raises(ValidationError, match="Сначала удалите отметку"):
        set_attendance(p, 1, 101, Attendance.UNEXCUSED)
    assert [c.student_id for c in fill_empty(p, 101, Attendance.UNEXCUSED)] == [2, 3, 4]
