"""How one typed change of a cell is named in the questions about it (saving, conflicts)."""

from __future__ import annotations

from core.journal.page import CellValue, Change, JournalPage


def cell_line(page: JournalPage, change: Change) -> str:
    """«Иванов Иван, 04.12, 2 пара» for the questions about one cell."""
    who = when = ""
    if change.student_id in page.row_of:
        student = page.students[page.row_of[change.student_id]]
        who = f"{student.surname} {student.name}"
    if change.lesson_id in page.col_of:
        lesson = page.lesson(change.lesson_id)
        when = f"{lesson.date:%d.%m}, {lesson.pair_no} пара"
    return ", ".join(x for x in (who, when) if x)


def shown(value: CellValue | str) -> str:
    """A cell value as the person reads it («пусто» for none)."""
    if value is None:
        return "пусто"
    return str(getattr(value, "value", value))
