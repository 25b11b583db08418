"""Change one's own password (forced after an account is issued or reset)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from core.session import UserSession
from tui.screens.base import EnterMovesOn, ShowsWorkerErrors
from tui.screens.start import helps
from tui.widgets.keys_footer import KeysFooter


class ChangePasswordScreen(EnterMovesOn, ShowsWorkerErrors, Screen[bool]):
    """New password twice; the database receives only a SCRAM verifier of its argon2 form.

    Args:
        session: The logged-in session.
        forced: True when the database allows nothing else until the password is changed.
    """

    HELP: ClassVar[str] = helps.PASSWORD

    CSS_PATH = "password.tcss"
    BINDINGS = [Binding("escape", "back", "Назад")]
    ENTER_MOVES: ClassVar[dict[str, str]] = {"new1": "new2"}

    def __init__(self, session: UserSession, forced: bool = False) -> None:
        super().__init__()
        self.session = session
        self.forced = forced

    def compose(self) -> ComposeResult:
        with Vertical(id="password-box"):
            yield Label("Смена пароля", id="password-title")
            if self.forced:
                yield Static("Пароль выдан администратором или куратором: задайте свой, "
                             "чтобы продолжить работу.", id="password-forced")
            yield Label("Новый пароль (не короче 8 символов)")
            yield Input(password=True, id="new1")
            yield Label("Повторите новый пароль")
            yield Input(password=True, id="new2")
            yield Button("Сохранить", id="save", variant="primary")
            yield Static("", id="password-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#new1", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "back" and self.forced)

    @on(Input.Submitted, "#new2")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        from kernel.errors import ValidationError
        from kernel.passwords import check_new_password

        first = self.query_one("#new1", Input).value
        second = self.query_one("#new2", Input).value
        try:
            if first != second:
                raise ValidationError("Пароли не совпадают.")
            check_new_password(first, self.session.credentials.login)
        except ValidationError as exc:
            for field in ("#new1", "#new2"):  # typed again from the start, not after the old text
                self.query_one(field, Input).value = ""
            self.query_one("#new1", Input).focus()
            self.app.show_error(exc)
            return
        self.query_one("#password-status", Static).update("Сохранение…")
        self._change(first)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _change(self, password: str) -> None:
        from core.people.accounts import change_own_password

        change_own_password(self.session, password)
        self.app.call_from_thread(self._done)

    def _done(self) -> None:
        self.notify("Пароль изменён.", title="Готово")
        self.dismiss(True)

    def action_back(self) -> None:
        """Leave without changing (not offered when the change is forced)."""
        self.dismiss(False)
