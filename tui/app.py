"""The Textual application: login first, then the home screen of the person's roles."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from core.web.config import check_web_roles
from kernel.errors import AccessDenied, EJournalError
from kernel.settings import Settings
from tui.dialogs.error import ErrorScreen
from tui.screens.start.login import LoginScreen

if TYPE_CHECKING:   # psycopg and the saver are imported after the login screen is drawn
    from core.family.service import Child
    from core.journal.saver import SaveReport
    from core.session import UserSession
    from demo.setup import DemoAccount
    from tui.saving import SaveReported

log = logging.getLogger("ejournal.tui")


class EJournalApp(App[None]):
    """The electronic journal.

    Args:
        settings: Where the database is and how passwords are derived.
        demo_accounts: Demo logins to show on the login screen (demo mode only).
        session: An already logged-in session (tests inject one to skip the login).
        web_roles: Set in a browser tab (``ejournal web``): only these roles may log in.
    """

    TITLE = "Электронный журнал"
    CSS = """
    /* A label wraps rather than reach past the terminal's edge (80×24, dialogs at 60×20). */
    Label { max-width: 100%; }
    /* The focused button is the one Enter presses: it, and only it, looks pressed-for. */
    Button:focus, Button.-primary:focus, Button.-warning:focus, Button.-success:focus,
    Button.-error:focus {
        background: $accent; color: $text; text-style: bold;
        border-top: tall $accent-lighten-2; border-bottom: tall $accent-darken-3;
    }
    """
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Выход", priority=True),
                Binding("f1", "help", "Справка", priority=True),
                Binding("ctrl+p", "actions", "Действия", show=False, priority=True)]

    def __init__(self, settings: Settings, demo_accounts: list[DemoAccount] | None = None,
                 session: UserSession | None = None,
                 web_roles: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.web_roles = web_roles
        self.settings = settings
        self.demo_accounts = demo_accounts or []
        self.session: UserSession | None = session
        self.last_input = time.monotonic()
        self.locked = False

    async def on_event(self, event: events.Event) -> None:
        """Note the time of every key and mouse action (for the idle lock)."""
        if isinstance(event, events.InputEvent):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def idle_limit_s(self) -> float:
        """Seconds of inactivity before the screen locks (0: never)."""
        return max(0, self.settings.idle_lock_minutes) * 60.0

    def _check_idle(self) -> None:
        limit = self.idle_limit_s()
        if self.session is None or self.locked or not limit:
            return
        if time.monotonic() - self.last_input >= limit:
            self.lock()

    def lock(self, refused: EJournalError | None = None) -> None:
        """Hide everything behind the lock screen until the password is typed again
        (``refused``: the server no longer accepts the session's password)."""
        from tui.screens.start.lock import LockScreen

        if self.session is None:
            return
        self.locked = True
        self.push_screen(LockScreen(self.session, refused), self._unlocked)

    def _unlocked(self, ok: bool | None) -> None:
        self.locked = False
        self.last_input = time.monotonic()
        if not ok:
            self.log_out()
        elif self.session is not None and self.session.person.must_change_password:
            from tui.screens.start.password import ChangePasswordScreen

            self.push_screen(ChangePasswordScreen(self.session, forced=True), self._password_changed)

    def _password_changed(self, _ok: bool | None) -> None:
        if self.session is not None and self.session.has_saver:
            self.session.saver().logged_in_again()

    def on_save_reported(self, message: SaveReported) -> None:
        """The server refused the session's password: lock and ask for it (changes wait)."""
        if message.report.login_needed is not None and not self.locked:
            self.lock(message.report.login_needed)

    def log_out(self) -> None:
        """Back to the login screen: stop every page's background work and the saver (what
        is not saved stays in the outbox, sent at the next login) and close the session."""
        for screen in self.screen_stack:
            listener = getattr(screen, "listener", None)
            if listener is not None:
                listener.stop()
        if self.session is not None:
            self.session.close()
            self.session = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen(self.settings, self.demo_accounts))

    def on_mount(self) -> None:
        """Show the login screen, or go straight home with an injected session."""
        self.set_interval(10, self._check_idle)
        if self.session is not None:
            self.enter(self.session)
        else:
            self.push_screen(LoginScreen(self.settings, self.demo_accounts))

    def enter(self, session: UserSession, children: list[Child] | None = None) -> None:
        """After login: the password change when the database demands it, else home (a parent's
        or a student's ``children`` read already, in the login's thread: the screen they land
        on is then drawn once, filled)."""
        if self.web_roles is not None and not self._web_admits(session):
            return
        self.session = session
        if session.person.must_change_password:
            from tui.screens.start.password import ChangePasswordScreen

            def changed(_ok: bool | None) -> None:
                self._start_saving(session)
                self._home(session, children)

            self.push_screen(ChangePasswordScreen(session, forced=True), changed)
            return
        self._start_saving(session)
        self._home(session, children)

    def _web_admits(self, session: UserSession) -> bool:
        """In a browser tab: a person of no allowed role is logged out with a Russian refusal."""
        try:
            check_web_roles(session.person.roles, self.web_roles or ())
        except AccessDenied as refused:
            log.warning("web: login %s refused (roles %s)", session.person.login,
                        ", ".join(sorted(session.person.roles)))
            session.close()
            self.switch_screen(LoginScreen(self.settings, self.demo_accounts))
            self.show_error(refused)
            return False
        return True

    def _home(self, session: UserSession, children: list[Child] | None = None) -> None:
        """The home screen in place of the login screen, or the first screen when the session
        was given at start (no login screen: switching would replace the default screen);
        a parent's or a student's week above it (``Person.is_family``)."""
        from tui.screens.start.home import HomeScreen

        home = HomeScreen(session)
        if len(self.screen_stack) > 1:
            self.switch_screen(home)
        else:
            self.push_screen(home)
        if session.person.is_family:
            from tui.screens.family.screen import FamilyScreen

            self.push_screen(FamilyScreen(session, opens_week=True, children=children))

    def _start_saving(self, session: UserSession) -> None:
        """Staff may type: start the saver now, so what earlier runs left is sent at login."""
        from tui.saving import SaveReported

        if session.person.is_staff and not session.person.must_change_password:

            def report(saved: SaveReport) -> None:
                self.post_message(SaveReported(saved))

            session.saver().subscribe(report)

    async def action_quit(self) -> None:
        """Quit; when a screen still has changes on their way to the database, ask first."""
        from tui.dialogs.confirm import leave_when_saved

        session = self.session
        saver = session.saver() if session is not None and session.has_saver else None
        leave_when_saved(self.screen, lambda: saver is not None and saver.has_pending(), self.exit,
                         ask="Выйти из программы?",
                         kept="Несохранённые изменения останутся на этом компьютере и будут "
                              "отправлены при следующем открытии.")

    def action_help(self) -> None:
        """F1: the help of the screen in front (F1 again closes it)."""
        from tui.help import HelpScreen, help_text

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(help_text(self.screen)))

    def action_actions(self) -> None:
        """Ctrl+P: the actions of the screen in front; the chosen one runs there."""
        from tui.help import ActionsScreen, HelpScreen, KeyAction, screen_actions

        if isinstance(self.screen, ActionsScreen | HelpScreen):
            return

        def chosen(action: KeyAction | None) -> None:
            if action is not None:
                self.call_later(self.run_action, action.action, action.node)

        self.push_screen(ActionsScreen(screen_actions(self.screen)), chosen)

    def action_help_quit(self) -> None:
        """Ctrl+C: say in Russian how the program is closed (Ctrl+C copies in text fields)."""
        self.notify("Чтобы выйти из программы, нажмите [b]Ctrl+Q[/b].", title="Выйти?")

    def show_error(self, error: BaseException) -> None:
        """One place that turns failures into the error dialog; tracebacks go to the log."""
        if isinstance(error, EJournalError):
            self.push_screen(ErrorScreen(error.title, error.message))
            return
        log.exception("unexpected error", exc_info=error)
        self.push_screen(ErrorScreen(
            "Непредвиденная ошибка",
            "Действие не выполнено. Подробности записаны в журнал программы.",
        ))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)

    def on_unmount(self) -> None:
        """Close the person's connection on exit."""
        if self.session is not None:
            self.session.close()
