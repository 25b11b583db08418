"""The lock screen: hides the screen until the person types their password again (R13, R19).

Two reasons to lock. Idle: what was on the screen stays underneath, unsaved changes keep
being saved in the background; the password is checked on this computer against the
session's derived password, so a dropped network does not keep a teacher out of their open
page. Refused by the server (``refused`` given: the password was reset, the account blocked
or locked out): nothing can be saved until the person logs in again, so the typed password
is tried against the server, and the changes wait in the outbox meanwhile.
"""

from __future__ import annotations

import hmac
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from core.session import UserSession, log_in_again
from kernel.errors import EJournalError
from tui.screens.base import ShowsWorkerErrors
from tui.screens.start import helps

MAX_TRIES = 5


class LockScreen(ShowsWorkerErrors, ModalScreen[bool]):
    """Asks for the password; dismisses True when unlocked, False when the person logs out."""

    HELP: ClassVar[str] = helps.LOCK

    CSS_PATH = "lock.tcss"

    def __init__(self, session: UserSession, refused: EJournalError | None = None) -> None:
        super().__init__()
        self.session = session
        self.refused = refused
        self.tries = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            if self.refused is None:
                yield Label("Экран заблокирован", id="lock-title")
                yield Static(f"{self.session.person.full_name}: программа долго не использовалась. "
                             "Введите пароль, чтобы продолжить. Несохранённое не потеряно.")
            else:
                yield Label("Сервер не принял вход", id="lock-title")
                yield Static(f"{self.session.person.full_name}: {self.refused.message} Введите "
                             "пароль (если его сбросили — выданный заново). Набранные изменения "
                             "сохранены на этом компьютере и будут отправлены после входа.")
            yield Input(password=True, id="lock-password")
            yield Static("", id="lock-status")
            yield Button("Сменить пользователя (вернуться ко входу)", id="lock-logout")

    def on_mount(self) -> None:
        self.query_one("#lock-password", Input).focus()

    @on(Input.Submitted, "#lock-password")
    def _submit(self, event: Input.Submitted) -> None:
        self.query_one("#lock-status", Static).update("Проверка…")
        self._check(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _check(self, password: str) -> None:
        if self.refused is not None:
            self._check_on_server(password)
            return
        from kernel.passwords import derive_password

        credentials = self.session.credentials
        derived = derive_password(credentials.login, password,
                                  installation_salt=credentials.settings.auth_salt)
        ok = hmac.compare_digest(derived, credentials.derived_password)
        self.app.call_from_thread(self._checked, ok, "")

    def _check_on_server(self, password: str) -> None:
        try:
            log_in_again(self.session, password)
        except EJournalError as exc:
            self.app.call_from_thread(self._checked, False, exc.message)
            return
        self.app.call_from_thread(self._checked, True, "")

    def _checked(self, ok: bool, why: str) -> None:
        if ok:
            self.dismiss(True)
            return
        self.tries += 1
        field = self.query_one("#lock-password", Input)
        field.value = ""
        if self.tries >= MAX_TRIES:
            self.dismiss(False)
            return
        self.query_one("#lock-status", Static).update(
            f"[red]{why or 'Неверный пароль.'}[/] Осталось попыток: {MAX_TRIES - self.tries}.")

    @on(Button.Pressed, "#lock-logout")
    def _logout(self) -> None:
        self.dismiss(False)
