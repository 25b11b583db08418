"""One line of text asked for in a dialog (Enter = готово, Esc = отмена)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.dialogs import helps
from tui.screens.base import ShowsWorkerErrors


class PromptScreen(ShowsWorkerErrors, ModalScreen[str | None]):
    """Asks for a line of text; dismisses with it, or None when cancelled."""

    HELP: ClassVar[str] = helps.PROMPT

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Отмена"),
                Binding("enter", "done", "Готово", show=False, priority=True)]

    def __init__(self, title: str, hint: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text, self.hint, self.value = title, hint, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.hint:
                yield Static(self.hint, classes="dialog-hint")
            yield Input(value=self.value, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def action_done(self) -> None:
        """Answer and close in the key's own turn, so that keys typed right after Enter go to
        the screen beneath, not into this closing dialog."""
        self.dismiss(self.query_one("#prompt-input", Input).value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
