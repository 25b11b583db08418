"""Someone changed the same cell meanwhile: show both values and let the person choose."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from core.journal.outbox_format import CellEdit
from core.journal.page import JournalPage
from tui.change_text import cell_line, shown
from tui.dialogs import helps
from tui.screens.base import ButtonsAnswerAtOnce, ShowsWorkerErrors


class ConflictScreen(ShowsWorkerErrors, ButtonsAnswerAtOnce[bool], ModalScreen[bool]):
    """Lists conflicting cells; «Оставить моё» sends the person's values over the values found
    (dismisses True), «Принять из базы» keeps what the other person saved (False)."""

    HELP: ClassVar[str] = helps.CONFLICT

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "theirs", "Принять из базы"),
                Binding("left,right", "app.focus_next", "Другая кнопка", show=False)]

    def __init__(self, conflicts: list[CellEdit], page: JournalPage) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.page = page

    def _line(self, edit: CellEdit) -> str:
        change = edit.change
        found = edit.parked.found if edit.parked is not None else None
        what = "посещаемость" if change.is_attendance else "отметка"
        return (f"• {cell_line(self.page, change)} ({what}): вы ввели [b]{shown(change.new)}[/b], "
                f"а в журнале уже [b]{shown(found)}[/b] (было {shown(change.old)})")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Эти ячейки тем временем изменил другой пользователь", classes="dialog-title")
            for edit in self.conflicts:
                yield Static(self._line(edit))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Оставить моё", id="mine")
                yield Button("Принять из базы", id="theirs")

    def on_mount(self) -> None:
        self.query_one("#theirs", Button).focus()

    def answer(self, button: str) -> None:
        self.dismiss(button == "mine")

    def action_theirs(self) -> None:
        """Keep the values found in the database."""
        self.dismiss(False)
