"""The journal grid: students down, lessons across, typed into from the keyboard.

Textual's ``DataTable`` redraws every cell per edit (331 ms at 35 × 120); this grid is a
line-API widget (:class:`tui.widgets.grid_view.GridView`) that redraws only the edited
student's line (see ``bench/grid_keys.py`` for the figures). Each edit is computed by the
pure operations of :mod:`core.journal.page`, applied to the page at once (the cell turns
'pending') and posted as :class:`JournalGrid.CellChanged` for the screen to save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var

from core.journal.page import (
    Cell,
    CellState,
    Change,
    JournalPage,
    LessonColumn,
    StudentSummary,
    UndoStack,
    apply_changes,
    apply_sequence,
    clear_cell,
    fill_empty,
    set_attendance,
    set_mark,
)
from kernel.errors import LockedError, ValidationError
from kernel.marks import Attendance, MarkValue
from tui.widgets.grid_view import GridView

_EDITS = {"mark", "attendance", "clear", "fill_present"}


def _bind(keys: str, action: str, description: str, display: str | None = None,
          show: bool = True) -> Binding:
    """A grid key, answered in the key's own turn (``priority``): a key that is not is answered
    only after a trip through the grid's queue, and the program's own keys typed after it
    (F1, Ctrl+Q, answered at once) would overtake it — a mark typed just before Ctrl+Q was
    then lost, one typed before F1 answered against the help screen. A key the grid refuses
    here (``check_action``) goes on as any other key."""
    return Binding(keys, action, description, show=show, key_display=display, priority=True)


class JournalGrid(GridView):
    """The marks and attendance of one journal page, edited from the keyboard.

    Args:
        page: The page to show and edit (edited in place).
        name: The widget's name.
        id: The widget's id.
        classes: CSS classes.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        _bind("5", "mark('5')", "Отметка", display="2–5"),
        *(_bind(k, f"mark('{k}')", f"Отметка {k}", show=False) for k in "432"),
        _bind("з,z,З,Z", "mark('зачёт')", "Зачёт", display="з"),
        _bind("minus", "mark('незачёт')", "Незачёт", display="-"),
        _bind("н,n,Н,N", "attendance('НН')", "НН", display="н"),
        _bind("у,u,У,U", "attendance('НУ')", "НУ", display="у"),
        _bind("п,p,П,P", "attendance('П')", "Был", display="п"),
        _bind("asterisk", "fill_present", "Все были", display="*"),
        _bind("backspace,delete", "clear", "Очистить", display="Del"),
        _bind("ctrl+z", "undo", "Отменить"),
        _bind("home", "jump(0)", "Первый урок", show=False),
        _bind("end", "jump(-1)", "Последний урок", show=False),
        _bind("up", "move(-1, 0)", "Вверх", show=False),
        _bind("down,enter", "move(1, 0)", "Вниз", show=False),
        _bind("left", "move(0, -1)", "Влево", show=False),
        _bind("right", "move(0, 1)", "Вправо", show=False),
        _bind("pageup", "page(-1)", "Страница вверх", show=False),
        _bind("pagedown", "page(1)", "Страница вниз", show=False),
    ]

    read_only = var(False, bindings=True)
    """Show the page without letting it be edited (no rights, or a closed period)."""

    class CellChanged(Message):
        """A value of a cell was changed in the grid, to be saved by the screen.

        Args:
            grid: The grid that changed.
            change: What changed, from what to what.
        """

        def __init__(self, grid: JournalGrid, change: Change) -> None:
            super().__init__()
            self.grid = grid
            self.change = change

        @property
        def control(self) -> JournalGrid:
            """The grid, for ``@on(JournalGrid.CellChanged, "#id")``."""
            return self.grid

    class LessonSelected(Message):
        """The cursor moved to another lesson column (e.g. to show its topic).

        Args:
            grid: The grid.
            lesson: The lesson now under the cursor.
        """

        def __init__(self, grid: JournalGrid, lesson: LessonColumn) -> None:
            super().__init__()
            self.grid = grid
            self.lesson = lesson

        @property
        def control(self) -> JournalGrid:
            """The grid."""
            return self.grid

    def __init__(self, page: JournalPage, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(page, name=name, id=id, classes=classes)
        self.work_kind: str | None = None
        """The kind of work typed marks get; ``None`` for each lesson's default."""
        self.undo_stack = UndoStack()
        self.store: Callable[[list[Change]], None] | None = None
        """Called with every edit's changes *before* the grid shows them: the screen writes
        them to the outbox there, so nothing appears on screen that is not safe on disk."""

    # --- updates from outside ---------------------------------------------------------

    def load_page(self, page: JournalPage, keep_undo: bool = False) -> None:
        """Show another page, or the same one re-read (``keep_undo``: Ctrl+Z still undoes
        what was typed before, e.g. after the lesson record was saved)."""
        if not keep_undo:
            self.undo_stack = UndoStack()
        self._show_page(page)
        self.refresh_bindings()

    def select_lesson(self, lesson_id: int) -> None:
        """Put the cursor on a lesson's column (e.g. today's) and scroll it into view."""
        self.move_cursor(self.cursor_row, self._page.col_of[lesson_id])

    def set_cell_state(self, student_id: int, lesson_id: int, state: CellState) -> None:
        """Mark one cell saved, pending, failed or in conflict; redraws only its line."""
        cell = self._page.cell(student_id, lesson_id)
        self._page.put(student_id, lesson_id, replace(cell, state=state))
        self.refresh_cell(self._page.row_of[student_id], self._page.col_of[lesson_id])

    def apply_remote(self, student_id: int, lesson_id: int, cell: Cell) -> None:
        """Replace one cell with what the database holds; redraws only its line."""
        self._page.put(student_id, lesson_id, cell)
        self.refresh_cell(self._page.row_of[student_id], self._page.col_of[lesson_id])

    def set_summary(self, student_id: int, summary: StudentSummary) -> None:
        """Replace a student's right-hand summary; redraws only its line."""
        self._page.summaries[student_id] = summary
        self.refresh_row(self._page.row_of[student_id])

    def cursor_cell(self) -> tuple[int, int] | None:
        """(student id, lesson id) under the cursor; None on an empty page."""
        student, lesson = self.current_student, self.current_lesson
        return None if student is None or lesson is None else (student.student_id, lesson.lesson_id)

    def type_sequence(self, text: str, at: tuple[int, int] | None = None) -> list[Change]:
        """Put a typed sequence ("5 4 н . 3") down a column from a cell: ``at`` (student id,
        lesson id), the cell the person stood on when they began it; the cursor's by default.

        Raises:
            ValidationError: a bad value or too many values; nothing is changed then.
            LockedError: the grid is read-only.
        """
        if self.read_only:
            raise LockedError("Эта страница журнала открыта только для просмотра.")
        start = at or self.cursor_cell()
        if start is None:
            return []
        if start[0] not in self._page.row_of or start[1] not in self._page.col_of:
            raise ValidationError("Пока вводился ряд, страница изменилась: строки или занятия, "
                                  "с которых он начинался, на ней больше нет. Ряд не внесён.")
        changes = apply_sequence(self._page, start[1], start[0], text)
        self._commit(changes)
        return changes

    # --- editing actions --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that do nothing here: edits when read-only or on an empty page,
        зачёт/незачёт off pass/fail pages, undo with nothing to undo."""
        if action in _EDITS | {"undo"} and self.read_only:
            return False
        if action in _EDITS and (self.current_student is None or self.current_lesson is None):
            return False
        if action == "mark" and parameters:
            return MarkValue(str(parameters[0])).points is not None or self._page.pass_fail
        if action == "undo":
            return self.undo_stack.can_undo
        return True

    def action_mark(self, value: str) -> None:
        """Put a mark in the cursor's cell and move down (a refused mark — the student is
        absent or does not study that day — is explained and the cursor stays)."""
        sid, lid = self._cursor_ids()
        try:
            changes = set_mark(self._page, sid, lid, MarkValue(value), self.work_kind)
        except ValidationError as error:
            self.notify(error.message, title=error.title, severity="warning")
            return
        self._commit(changes)
        self._down_to_studying()

    def action_attendance(self, value: str) -> None:
        """Record attendance in the cursor's cell and move down (refused as a mark is)."""
        sid, lid = self._cursor_ids()
        try:
            changes = set_attendance(self._page, sid, lid, Attendance(value))
        except ValidationError as error:
            self.notify(error.message, title=error.title, severity="warning")
            return
        self._commit(changes)
        self._down_to_studying()

    def _down_to_studying(self) -> None:
        """Down to the next student who studies on the lesson's date (the greyed rows of
        students on leave, expelled or not yet enrolled are passed over)."""
        lesson, page = self.current_lesson, self._page
        row = self.cursor_row + 1
        while (lesson is not None and row < len(page.students) - 1
               and page.away_sign(page.students[row].student_id, lesson.lesson_id) is not None):
            row += 1
        self.move_cursor(row, self.cursor_col)

    def action_clear(self) -> None:
        """Remove the marks and attendance of the cursor's cell."""
        self._commit(clear_cell(self._page, *self._cursor_ids()))

    def action_fill_present(self) -> None:
        """Mark present everyone in the cursor's column whose attendance is not taken."""
        _, lid = self._cursor_ids()
        self._commit(fill_empty(self._page, lid, Attendance.PRESENT))

    def action_undo(self) -> None:
        """Undo the newest edit by new changes, and go to the cell it touched."""
        changes = self.undo_stack.undo(self._page)
        self._commit(changes, record=False)
        if not self.undo_stack.can_undo:
            self.refresh_bindings()
        if changes:
            first = changes[0]
            self.move_cursor(self._page.row_of[first.student_id],
                             self._page.col_of[first.lesson_id])

    def _cursor_ids(self) -> tuple[int, int]:
        cell = self.cursor_cell()
        assert cell is not None  # check_action guarantees it
        return cell

    def _commit(self, changes: list[Change], record: bool = True) -> None:
        if changes and self.store is not None:
            self.store(changes)
        apply_changes(self._page, changes)
        if record and changes:
            could_undo = self.undo_stack.can_undo
            self.undo_stack.record(changes)
            if not could_undo:
                self.refresh_bindings()
        page = self._page
        for cell in {(page.row_of[c.student_id], page.col_of[c.lesson_id]) for c in changes}:
            self.refresh_cell(*cell)
        for change in changes:
            self.post_message(self.CellChanged(self, change))

    # --- moving -----------------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        """Move the cursor by rows and columns."""
        self.move_cursor(self.cursor_row + rows, self.cursor_col + columns)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful of rows."""
        self.action_move(direction * self._data_height(), 0)

    def action_jump(self, column: int) -> None:
        """Move to the first (0) or last (-1) lesson."""
        self.move_cursor(self.cursor_row, column % max(1, len(self._page.lessons)))

    def _lesson_changed(self) -> None:
        lesson = self.current_lesson
        if lesson is not None:
            self.post_message(self.LessonSelected(self, lesson))
