"""The idle lock: hides the screen until the person types their password again (R13, R19).

What was on the screen stays underneath, unsaved changes keep being saved in the
background; only the password unlocks (checked on this computer against the session's
derived password, so a dropped network does not keep a teacher out of their open page).
"""

from __future__ import annotations

import hmac
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

MAX_TRIES = 5


class LockScreen(ModalScreen[bool]):
    """Asks for the password; dismisses True when unlocked, False when the person logs out."""

    CSS_PATH = "lock.tcss"

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.tries = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Label("Экран заблокирован", id="lock-title")
            yield Static(f"{self.session.person.full_name}: программа долго не использовалась. "
                         "Введите пароль, чтобы продолжить. Несохранённое не потеряно.")
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
        from core.passwords import derive_password

        credentials = self.session.credentials
        derived = derive_password(credentials.login, password,
                                  installation_salt=credentials.settings.auth_salt)
        ok = hmac.compare_digest(derived, credentials.derived_password)
        self.app.call_from_thread(self._checked, ok)

    def _checked(self, ok: bool) -> None:
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
            f"[red]Неверный пароль.[/] Осталось попыток: {MAX_TRIES - self.tries}.")

    @on(Button.Pressed, "#lock-logout")
    def _logout(self) -> None:
        self.dismiss(False)
