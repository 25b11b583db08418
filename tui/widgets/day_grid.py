"""The attendance day grid: a group's students down, the day's пары across.

A :class:`tui.widgets.journal_grid.JournalGrid` (same cursor, drawing, undo and
``CellChanged`` messages) whose edits are attendance only and go through the pure edits of
:mod:`core.attendance.day`, which skip cells that cannot be filled: a student outside the
пара's subgroup, a lesson the teacher has not recorded, a closed period. Typing moves down
the пара through the students expected there and on to the next пара, so a whole day is
filled in one pass of the keyboard.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType

from core.attendance.day import AttendanceDay, clear, fill_present, mark, whole_day
from core.journal.page import Change
from kernel.marks import Attendance
from tui.widgets.grid_render import (
    CELL_W,
    LEFT_W,
    NAME_W,
    NUM_W,
    RIGHT_W,
    SUB_W,
    GridStyles,
    Line,
    LinePainter,
    cell_style,
    cell_text,
    fit,
)
from tui.widgets.journal_grid import JournalGrid

NOT_HERE = "–"
"""Drawn where attendance cannot be taken (not in the subgroup, lesson not recorded)."""
HOURS_TITLE = "Пропущено часов"
HOURS_COLUMNS = (("всего", 8), ("НУ", 6), ("НН", 6))


def _hours_line(values: tuple[str, ...]) -> str:
    text = "".join(f"{v:>{w}}" for v, (_, w) in zip(values, HOURS_COLUMNS, strict=True))
    return fit(text, RIGHT_W - 1)


class DayPainter(LinePainter):
    """Draws the day: пара numbers and disciplines in the header, hours missed on the right.

    Args:
        day: The day drawn.
        styles: The styles to draw with.
    """

    def __init__(self, day: AttendanceDay, styles: GridStyles) -> None:
        super().__init__(day.page, styles)
        self.day = day

    def header(self, line: int, scroll_x: int, area_w: int) -> Line:
        """Line 0: пара numbers (with the subgroup); line 1: disciplines."""
        st = self.styles
        if line == 0:
            left = f"{'№':>{NUM_W}} {fit('Студент', NAME_W)} {'Пг':^{SUB_W}}"
            right = fit(HOURS_TITLE, RIGHT_W - 1, "^")
        else:
            left = fit(self.day.group.name, LEFT_W - 1)
            right = _hours_line(tuple(title for title, _ in HOURS_COLUMNS))

        def paint(column: int) -> tuple[str, Style]:
            pair = self.day.pairs[column]
            sub = "".join(ch for ch in pair.subgroup_name if ch.isdigit())
            text = (f"{pair.pair_no}/{sub}" if sub else str(pair.pair_no)) if line == 0 \
                else pair.short_title
            style = st["header"] if self.day.takes_attendance(pair.key) else st["dim"]
            return fit(text, CELL_W, "^"), style

        return self._line(-1 - line, Segment(left, st["header"]), paint, scroll_x, area_w,
                          Segment(right, st["header"]))

    def row(self, index: int, scroll_x: int, area_w: int) -> Line:
        """The line of the student at ``index``: a cell per пара, hours missed today."""
        student = self.page.students[index]
        sid = student.student_id
        st = self.styles

        def paint(column: int) -> tuple[str, Style]:
            pair = self.day.pairs[column]
            closed_slot = not pair.recorded and not self.day.takes_attendance(pair.key)
            sign = self.page.away_sign(sid, pair.key)
            if sign is not None:
                return fit(cell_text(self.page.cell(sid, pair.key)) or sign, CELL_W, "^"), st["dim"]
            if closed_slot or not self.day.expected(sid, pair.key):
                return fit(NOT_HERE, CELL_W, "^"), st["dim"]
            cell = self.page.cell(sid, pair.key)
            return fit(cell_text(cell), CELL_W, "^"), cell_style(cell, st)

        subgroup = "" if student.subgroup is None else str(student.subgroup)
        left = f"{index + 1:>{NUM_W}} {fit(student.short_name, NAME_W)} {subgroup:^{SUB_W}}"
        excused, unexcused = self.day.missed_hours(sid)
        total = excused + unexcused
        right = _hours_line((str(total) if total else "", str(excused or ""), str(unexcused or "")))
        return self._line(index, Segment(left, st["frozen"]), paint, scroll_x, area_w,
                          Segment(right, st["frozen"]))


class DayGrid(JournalGrid):
    """The attendance of one group's day, typed from the keyboard.

    Args:
        day: The day to show and edit (its page is edited in place).
        id: The widget's id.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("д,d,Д,D", "whole_day", "Весь день", key_display="д", priority=True),
        Binding("б,b,Б,B", "whole_day('НУ')", "Весь день НУ", key_display="б", priority=True),
    ]

    def __init__(self, day: AttendanceDay, *, id: str | None = None) -> None:
        self.day = day
        super().__init__(day.page, id=id)

    def show_day(self, day: AttendanceDay) -> None:
        """Show another day (or the same one reloaded); the undo history is dropped."""
        self.day = day
        self.load_page(day.page)
        self.go_first()

    def go_first(self) -> None:
        """Put the cursor on the first cell that takes attendance."""
        target = self._next_cell(-1, 0) or (0, 0)
        self.move_cursor(*target)

    def _get_painter(self) -> LinePainter:
        if self._painter is None:
            styles = GridStyles.from_widget(self.rich_style, self.get_component_rich_style)
            self._painter = DayPainter(self.day, styles)
        return self._painter

    # --- which keys work here -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Marks are not typed here; attendance keys only on пары that take attendance."""
        if action in ("mark", "sequence"):
            return False
        if action == "whole_day":
            student = self.current_student
            return student is not None and any(
                self.day.can_fill(student.student_id, pair.key) for pair in self.day.pairs)
        if action in ("attendance", "clear", "fill_present"):
            lesson = self.current_lesson
            return (self.current_student is not None and lesson is not None
                    and self.day.takes_attendance(lesson.lesson_id))
        return super().check_action(action, parameters)

    # --- edits -----------------------------------------------------------------------------

    def _here(self) -> tuple[int, int]:
        student, lesson = self.current_student, self.current_lesson
        assert student is not None and lesson is not None  # check_action guarantees it
        return student.student_id, lesson.lesson_id

    def action_attendance(self, value: str) -> None:
        """Record attendance in the cursor's cell and go to the next student expected."""
        sid, key = self._here()
        self._commit(mark(self.day, sid, key, Attendance(value)))
        self._advance()

    def action_clear(self) -> None:
        """Remove the attendance of the cursor's cell."""
        self._commit(clear(self.day, *self._here()))

    def action_fill_present(self) -> None:
        """Everyone of the пара not marked yet was present; go to the next пара."""
        _, key = self._here()
        self._commit(fill_present(self.day, key))
        target = self._next_cell(-1, self.cursor_col + 1)
        if target is not None:
            self.move_cursor(*target)

    def action_whole_day(self, code: str = "") -> None:
        """The student was absent at every пара today: `д` the cell's absence, else НН;
        `б` НУ. Like every attendance key, the cursor then goes to the next student expected
        at this пара (it stays if there is none)."""
        sid, key = self._here()
        self._commit(whole_day(self.day, sid, key, Attendance(code) if code else None))
        self._advance()

    def _commit(self, changes: list[Change], record: bool = True) -> None:
        super()._commit(changes, record)
        if changes:
            self.day.refresh_week()

    # --- moving ----------------------------------------------------------------------------

    def _fillable(self, row: int, column: int) -> bool:
        sid = self._page.students[row].student_id
        return self.day.can_fill(sid, self.day.pairs[column].key)

    def _next_cell(self, row: int, column: int) -> tuple[int, int] | None:
        """The first fillable cell after ``row`` in ``column``, else at the top of the next
        columns."""
        rows = len(self._page.students)
        for col in range(column, len(self.day.pairs)):
            start = row + 1 if col == column else 0
            for r in range(max(0, start), rows):
                if self._fillable(r, col):
                    return r, col
        return None

    def _advance(self) -> None:
        target = self._next_cell(self.cursor_row, self.cursor_col)
        if target is not None:
            self.move_cursor(*target)
