"""The login screen: login and password, checked by the database itself."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from kernel.settings import Settings
from tui.screens.base import EnterMovesOn, ShowsWorkerErrors
from tui.screens.start import helps
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:   # psycopg is imported when the person logs in, after the first frame
    from core.family.service import Child
    from core.session import UserSession
    from demo.setup import DemoAccount

WARM_UP = ("core.session", "tui.screens.start.home", "core.messages.service", "core.reports.service",
           "tui.screens.journal.pick")
"""Modules the login screen imports in the background once drawn."""
WARM_UP_WEB = ("tui.screens.family.screen", "tui.screens.family.week", "core.family.landing")
"""… and in a browser tab, where parents and students log in."""

NARROW = 124
"""Below this width the login box and the demo accounts shrink to fit 80 columns."""


class LoginScreen(EnterMovesOn, ShowsWorkerErrors, Screen[None]):
    """Asks for the login and password; the check runs in a worker thread."""

    HELP: ClassVar[str] = helps.LOGIN

    CSS_PATH = "login.tcss"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Выход")]
    ENTER_MOVES: ClassVar[dict[str, str]] = {"login": "password"}

    def __init__(self, settings: Settings, demo_accounts: list[DemoAccount]) -> None:
        super().__init__()
        self.settings = settings
        self.demo_accounts = demo_accounts

    def compose(self) -> ComposeResult:
        with Horizontal(id="login-row"):
            with Vertical(id="login-box"):
                yield Label("Электронный журнал учебных занятий", id="login-title")
                yield Label("Логин")
                yield Input(placeholder="например, ivanova.ma", id="login")
                yield Label("Пароль")
                yield Input(password=True, id="password")
                yield Button("Войти", id="enter", variant="primary")
                yield Static("", id="login-status")
            if self.demo_accounts:
                with Vertical(id="demo-box"):
                    yield Label("Демонстрационные учётные записи", id="demo-title")
                    yield DataTable(id="demo-table", cursor_type="row")
                    yield Static("Enter на строке подставляет логин и пароль.", id="demo-hint")
        yield KeysFooter()

    def on_resize(self, event: events.Resize) -> None:
        """Under 124 columns the login and the demo accounts squeeze side by side."""
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")
        if self.demo_accounts:
            table = self.query_one("#demo-table", DataTable)
            table.add_columns("роль", "логин", "пароль")
            for account in self.demo_accounts:
                table.add_row(account.role, account.login, account.password)
        self.query_one("#login", Input).focus()
        self.call_after_refresh(self._warm_up)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """Import what the login and the next screens need (psycopg, argon2, the home screen;
        in a browser tab the family screen too) and read every style sheet, while the person
        types — after the first frame, not before it: each browser tab is a fresh program
        (issue 16)."""
        for name in WARM_UP + (WARM_UP_WEB if self.app.web_roles is not None else ()):
            importlib.import_module(name)
        from tui.styles import preload_styles

        self.app.call_from_thread(preload_styles, self.app)

    @on(DataTable.RowSelected, "#demo-table")
    def _use_demo_account(self, event: DataTable.RowSelected) -> None:
        account = self.demo_accounts[event.cursor_row]
        self.query_one("#login", Input).value = account.login
        self.query_one("#password", Input).value = account.password
        self.query_one("#enter", Button).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#enter")
    def _submit(self) -> None:
        login = self.query_one("#login", Input).value
        password = self.query_one("#password", Input).value
        self.query_one("#login-status", Static).update("Проверка…")
        self.query_one("#enter", Button).disabled = True
        self._log_in(login, password)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _log_in(self, login: str, password: str) -> None:
        from core.session import log_in
        from kernel.errors import EJournalError

        try:
            session = log_in(self.settings, login, password)
        except EJournalError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        children = None
        if session.person.is_family:   # read here: the screen they land on is drawn once, filled
            from core.family.landing import landing_children

            children = landing_children(session)
        self.app.call_from_thread(self._succeeded, session, children)

    def _failed(self, error: Exception) -> None:
        self.query_one("#login-status", Static).update("")
        self.query_one("#enter", Button).disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self.app.show_error(error)

    def _succeeded(self, session: UserSession, children: list[Child] | None) -> None:
        self.query_one("#login-status", Static).update("")
        self.app.enter(session, children)
