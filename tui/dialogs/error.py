"""The one error dialog: a Russian title and message, closed with Enter or Esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui.dialogs import helps
from tui.screens.base import ButtonsAnswerAtOnce, ShowsWorkerErrors


class ErrorScreen(ShowsWorkerErrors, ButtonsAnswerAtOnce[None], ModalScreen[None]):
    """Shows an error the person can act on."""

    HELP: ClassVar[str] = helps.ERROR

    CSS_PATH = "error.tcss"
    BINDINGS = [Binding("escape", "close", "Закрыть")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.error_title = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Label(self.error_title, id="error-title")
            yield Static(self.message, id="error-message")
            yield Button("Понятно", id="error-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#error-ok", Button).focus()

    def action_answer_focused(self) -> None:
        """Enter closes, wherever the focus is, in the key's own turn."""
        self.dismiss(None)

    def answer(self, button: str) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
