"""A yes/no question in Russian (Esc = нет; arrows move between the buttons)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from tui.dialogs import helps
from tui.screens.base import ButtonsAnswerAtOnce, ShowsWorkerErrors


class ConfirmScreen(ShowsWorkerErrors, ButtonsAnswerAtOnce[bool], ModalScreen[bool]):
    """Asks a question; dismisses with True (да) or False (нет). The focus starts on «Нет»
    (the safe answer); arrows or Tab move between the buttons, Enter presses one."""

    HELP: ClassVar[str] = helps.CONFIRM

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "no", "Нет"),
        Binding("left,right", "app.focus_next", "Другая кнопка", show=False),
    ]

    def __init__(self, title: str, question: str, yes: str = "Да", no: str = "Нет", *,
                 settled: tuple[Callable[[], bool], str, str] | None = None) -> None:
        """``settled``: a test of whether the reason for asking has gone (the changes were
        saved while the question was open) and the title and question to show then."""
        super().__init__()
        self.title_text, self.question, self.yes, self.no = title, question, yes, no
        self.settled = settled

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.question, id="question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()
        if self.settled is not None:
            self._watch = self.set_interval(0.25, self._check_settled)

    def _check_settled(self) -> None:
        assert self.settled is not None
        done, title, question = self.settled
        if done():
            self._watch.stop()
            self.query_one(".dialog-title", Label).update(title)
            self.query_one("#question", Static).update(question)

    def answer(self, button: str) -> None:
        self.dismiss(button == "yes")

    def action_no(self) -> None:
        """Answer no."""
        self.dismiss(False)


def leave_when_saved(screen: Widget, pending: Callable[[], bool], leave: Callable[[], None], *,
                     kept: str, ask: str) -> None:
    """Leave at once when nothing is pending; otherwise ask first (the changes stay on disk).
    When the changes reach the database while the question is open, it says so.

    Args:
        screen: The screen being left (or any widget of the program, to quit it).
        pending: Whether some typed change is not committed yet.
        leave: Leaves the screen.
        kept: What becomes of the changes not sent: «Изменения останутся … при следующем
            открытии журнала.»
        ask: The question: «Выйти?», «Выйти из программы?».
    """
    if not pending():
        leave()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            leave()

    screen.app.push_screen(ConfirmScreen(
        "Не все изменения сохранены", f"{kept} {ask}",
        settled=(lambda: not pending(), "Все изменения сохранены",
                 f"Всё введённое уже в базе данных. {ask}")), answered)
