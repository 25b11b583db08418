"""Choosing the kind of work (вид работы) the next marks are for (R3)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.screens.journal import helps


class WorkKindScreen(ShowsWorkerErrors, ModalScreen[tuple[str, str] | None]):
    """Lists the kinds of work; dismisses with (code, title) or None."""

    HELP: ClassVar[str] = helps.WORK_KIND

    CSS_PATH = "../../dialogs/dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Отмена")]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.kinds: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Вид работы для следующих отметок", classes="dialog-title")
            yield OptionList(id="kinds")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        from core.journal.lesson_record import work_kinds

        kinds = work_kinds(self.session)
        self.app.call_from_thread(self._show, kinds)

    def _show(self, kinds: list[tuple[str, str]]) -> None:
        self.kinds = kinds
        options = self.query_one(OptionList)
        options.add_options([Option(title, id=code) for code, title in kinds])
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(k for k in self.kinds if k[0] == event.option.id))

    def action_cancel(self) -> None:
        """Keep the current kind."""
        self.dismiss(None)
