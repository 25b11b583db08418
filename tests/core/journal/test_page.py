"""The journal page model and its pure editing operations (no database, no Textual)."""

from __future__ import annotations

from datetime import date

import pytest

from core.journal.page import (
    Cell,
    Change,
    JournalPage,
    LessonColumn,
    MarkEntry,
    StudentRow,
    UndoStack,
    apply_changes,
    apply_sequence,
    clear_cell,
    fill_empty,
    parse_sequence,
    set_attendance,
    set_mark,
)
from kernel.errors import ValidationError
from kernel.marks import Attendance, MarkValue

A, M = Attendance, MarkValue


def page(students: int = 6, lessons: int = 3, pass_fail: bool = False) -> JournalPage:
    """A small page: students 1.., lessons 101.."""
    rows = tuple(StudentRow(i, f"Студент{i}", "Имя", 1) for i in range(1, students + 1))
    cols = tuple(LessonColumn(100 + j, date(2026, 9, j), 1, "Т", default_work_kind="oral")
                 for j in range(1, lessons + 1))
    return JournalPage("ИС-21 · Математика", rows, cols, pass_fail=pass_fail)


def edit(p: JournalPage, changes: list[Change], stack: UndoStack | None = None) -> list[Change]:
    """Apply and (optionally) record, as the grid does."""
    apply_changes(p, changes)
    if stack is not None:
        stack.record(changes)
    return changes


def test_set_mark_records_old_and_new_and_marks_pending() -> None:
    p = page()
    first = edit(p, set_mark(p, 1, 101, M.FIVE))
    assert first == [Change(1, 101, "oral", None, M.FIVE)]
    assert p.cell(1, 101).state == "pending"
    second = edit(p, set_mark(p, 1, 101, M.FOUR))
    assert second == [Change(1, 101, "oral", M.FIVE, M.FOUR)]
    assert set_mark(p, 1, 101, M.FOUR) == []  # the same value is no change


def test_marks_of_different_kinds_share_a_cell() -> None:
    p = page()
    edit(p, set_mark(p, 1, 101, M.FIVE))
    edit(p, set_mark(p, 1, 101, M.FOUR, work_kind="control"))
    assert p.cell(1, 101).marks_text == "5/4"
    edit(p, set_mark(p, 1, 101, M.THREE))  # replaces the oral mark in place
    assert p.cell(1, 101).marks == (MarkEntry("oral", M.THREE), MarkEntry("control", M.FOUR))


def test_attendance_is_a_change_without_work_kind() -> None:
    p = page()
    (change,) = edit(p, set_attendance(p, 2, 101, A.UNEXCUSED))
    assert change.is_attendance and change.work_kind is None
    assert p.cell(2, 101).attendance is A.UNEXCUSED


def test_pass_fail_refused_when_the_page_has_none() -> None:
    p = page(pass_fail=False)
    with pytest.raises(ValidationError, match="зачёт/незачёт"):
        set_mark(p, 1, 101, M.PASS)
    with pytest.raises(ValidationError):
        fill_empty(p, 101, M.FAIL)
    allowed = page(pass_fail=True)
    assert set_mark(allowed, 1, 101, M.PASS)[0].new is M.PASS


def test_clear_removes_every_mark_and_the_attendance() -> None:
    p = page()
    p.cells[(1, 101)] = Cell((MarkEntry("oral", M.FIVE), MarkEntry("control", M.TWO)), A.PRESENT)
    changes = edit(p, clear_cell(p, 1, 101))
    assert [(c.work_kind, c.old, c.new) for c in changes] == [
        ("oral", M.FIVE, None), ("control", M.TWO, None), (None, A.PRESENT, None)]
    assert p.cell(1, 101).is_empty
    assert clear_cell(p, 1, 101) == []


def test_fill_empty_marks_present_only_where_attendance_is_not_taken() -> None:
    p = page(students=4)
    edit(p, set_attendance(p, 2, 102, A.UNEXCUSED))
    changes = fill_empty(p, 102, A.PRESENT)
    assert [c.student_id for c in changes] == [1, 3, 4]
    assert all(c.old is None and c.new is A.PRESENT for c in changes)


def test_fill_empty_with_a_mark_skips_the_absent_and_the_marked() -> None:
    p = page(students=4)
    edit(p, set_attendance(p, 1, 101, A.EXCUSED))
    edit(p, set_mark(p, 2, 101, M.TWO))
    assert [c.student_id for c in fill_empty(p, 101, M.FIVE)] == [3, 4]


def test_parse_sequence_reads_marks_attendance_and_skips() -> None:
    values = parse_sequence("5 4, 4 н . у 3 п", pass_fail=False)
    assert values == [M.FIVE, M.FOUR, M.FOUR, A.UNEXCUSED, None, A.EXCUSED, M.THREE, A.PRESENT]
    assert parse_sequence("з - нз", pass_fail=True) == [M.PASS, M.FAIL, M.FAIL]


@pytest.mark.parametrize(("text", "words"), [
    ("5 4 7", "Значение 3: «7» — не отметка"),
    ("5 x", "Значение 2"),
    ("   ", "Введите отметки"),
    ("5 -", "зачёт/незачёт"),  # '-' is незачёт, refused on this page
])
def test_parse_sequence_bad_tokens_raise_in_russian(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_sequence(text, pass_fail=False)


def test_unknown_token_names_what_a_sequence_accepts_on_this_page() -> None:
    """Attendance codes are listed too; зачёт is not offered where the page has none."""
    with pytest.raises(ValidationError) as graded:
        parse_sequence("5 x", pass_fail=False)
    assert "н (НН), у (НУ), п" in graded.value.message
    assert "з" not in graded.value.message.split("Допустимы", 1)[1].split(",")[0]
    assert "зачёт" not in graded.value.message
    with pytest.raises(ValidationError) as pass_fail:
        parse_sequence("з x", pass_fail=True)
    assert "зачёт/незачёт" in pass_fail.value.message


def test_apply_sequence_goes_down_the_column_from_a_row() -> None:
    p = page(students=6)
    changes = edit(p, apply_sequence(p, 101, 2, "5 4 . н 3"))
    assert [(c.student_id, c.new) for c in changes] == [
        (2, M.FIVE), (3, M.FOUR), (5, A.UNEXCUSED), (6, M.THREE)]
    assert p.cell(4, 101).is_empty and p.cell(1, 101).is_empty


def test_apply_sequence_longer_than_the_rows_below_changes_nothing() -> None:
    p = page(students=3)
    with pytest.raises(ValidationError, match="строк от курсора вниз 2"):
        apply_sequence(p, 101, 2, "5 4 3")
    assert p.cells == {}


def test_undo_produces_a_new_inverse_change() -> None:
    p, stack = page(), UndoStack()
    edit(p, set_mark(p, 1, 101, M.FIVE), stack)
    edit(p, set_mark(p, 1, 101, M.TWO), stack)
    undo = edit(p, stack.undo(p))
    assert undo == [Change(1, 101, "oral", M.TWO, M.FIVE, is_undo=True)]
    assert p.cell(1, 101).mark_for("oral") is M.FIVE
    assert len(stack) == 1  # the undo is not itself recorded: undo again goes further back
    edit(p, stack.undo(p))
    assert p.cell(1, 101).mark_for("oral") is None
    assert not stack.can_undo and stack.undo(p) == []


def test_undo_of_a_column_fill_is_one_step() -> None:
    p, stack = page(students=3), UndoStack()
    edit(p, fill_empty(p, 103, A.PRESENT), stack)
    undo = edit(p, stack.undo(p))
    assert len(undo) == 3 and all(c.new is None and c.is_undo for c in undo)
    assert all(p.cell(s, 103).attendance is None for s in (1, 2, 3))


def test_undo_tells_what_it_overwrites_after_a_remote_change() -> None:
    p, stack = page(), UndoStack()
    edit(p, set_mark(p, 1, 101, M.FIVE), stack)
    p.put(1, 101, Cell((MarkEntry("oral", M.THREE),)))  # a curator corrected it meanwhile
    (undo,) = stack.undo(p)
    assert (undo.old, undo.new) == (M.THREE, None)


def test_saved_empty_cells_are_dropped_and_lookups_work() -> None:
    p = page()
    p.put(1, 101, Cell())
    assert (1, 101) not in p.cells
    assert p.row_of[3] == 2 and p.col_of[102] == 1 and p.lesson(103).lesson_id == 103
    assert p.students[0].short_name == "Студент1 И."
    assert p.summary(1).mean == ""
