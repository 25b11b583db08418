"""Every correction of one cell: who, when, old → new, why (R14)."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from core.journal.lesson_record import HistoryEntry, cell_history
from core.journal.page import LessonColumn, StudentRow
from core.session import UserSession
from tui.dialogs import helps
from tui.screens.base import ShowsWorkerErrors

ACTIONS = {"INSERT": "внесено", "UPDATE": "исправлено", "DELETE": "удалено"}


class CellHistoryScreen(ShowsWorkerErrors, ModalScreen[None]):
    """The history of a student's cell at a lesson; Esc closes."""

    HELP: ClassVar[str] = helps.CELL_HISTORY

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,enter", "close", "Закрыть")]

    def __init__(self, session: UserSession, lesson: LessonColumn, student: StudentRow,
                 unsaved: str = "") -> None:
        super().__init__()
        self.session, self.lesson, self.student = session, lesson, student
        self.unsaved = unsaved
        """Why what was typed into this cell is not in the database ('' when nothing is held)."""
        self.rows: list[HistoryEntry] = []
        """The corrections shown, oldest first."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"История: {self.student.surname} {self.student.name}, "
                        f"{self.lesson.date:%d.%m.%Y}, {self.lesson.pair_no} пара", classes="dialog-title")
            if self.unsaved:
                yield Static(f"[b red]Введённое здесь не сохранено:[/] {self.unsaved}", id="history-unsaved")
            yield DataTable(id="history-table", cursor_type="row")
            yield Static("", id="history-reason")
            yield Static("", id="history-empty")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("когда", "кто", "действие", "было", "стало", "причина")
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        rows = cell_history(self.session, self.lesson.lesson_id, self.student.student_id)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[HistoryEntry]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        for row in rows:
            table.add_row(f"{row.changed_at:%d.%m.%Y %H:%M}", row.changed_by,
                          ACTIONS.get(row.action, row.action), row.old or "—", row.new or "—",
                          row.reason or "")
        if not rows:
            self.query_one("#history-empty", Static).update("Изменений не было.")
        table.focus()

    @on(DataTable.RowHighlighted)
    def _reason(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted correction's reason in full (the column is cut on 80 columns)."""
        row = self.rows[event.cursor_row] if 0 <= event.cursor_row < len(self.rows) else None
        text = f"[b]Причина:[/b] {escape(row.reason)}" if row is not None and row.reason else ""
        self.query_one("#history-reason", Static).update(text)

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss(None)
