"""The home screen: who is logged in and the sections their roles allow."""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.journal.saver import SaveReport
from core.session import UserSession
from tui.saving import SaveReported
from tui.screens.base import ShowsWorkerErrors
from tui.sections import Section, sections_for
from tui.typed import app_of

WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


class HomeScreen(ShowsWorkerErrors, Screen[None]):
    """Lists the sections of the person's roles; Enter opens one."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("escape", "logout", "Сменить пользователя"),
        Binding("ctrl+q", "app.quit", "Выход"),
        Binding("f9", "remarks", "Замечания"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.sections: list[Section] = sections_for(session.person.roles)

    def compose(self) -> ComposeResult:
        person = self.session.person
        today = date.today()
        yield Header(show_clock=True)
        with Vertical(id="home-box"):
            yield Label(person.full_name, id="home-name")
            yield Static(f"Роли: {person.role_titles}", id="home-roles")
            yield Static(f"Сегодня {today:%d.%m.%Y}, {WEEKDAYS[today.weekday()]}", id="home-date")
            yield OptionList(*[self._option(s) for s in self.sections], id="home-menu")
            yield Static("", id="home-notice")
            yield Static("", id="home-saving")
        yield Footer()

    @staticmethod
    def _option(section: Section) -> Option:
        return Option(f"{section.title}  [dim]— {section.hint}[/dim]", id=section.key)

    def on_mount(self) -> None:
        self.sub_title = self.session.person.login
        self.query_one("#home-menu", OptionList).focus()
        self._load_notices()
        if self.session.has_saver:
            self.session.saver().subscribe(self._post_report)
        self._show_saving()

    def on_unmount(self) -> None:
        """Stop following the saver."""
        if self.session.has_saver:
            self.session.saver().unsubscribe(self._post_report)

    def _post_report(self, report: SaveReport) -> None:
        self.post_message(SaveReported(report))

    def on_save_reported(self, _message: SaveReported) -> None:
        """Something was saved, refused or parked: recount."""
        self._show_saving()

    def _show_saving(self) -> None:
        """«N изменений ждут отправки» while typed changes are not all in the database."""
        from tui.saving import saving_summary

        text = saving_summary(self.session.saver()) if self.session.has_saver else ""
        self.query_one("#home-saving", Static).update(text)

    def on_screen_resume(self) -> None:
        """Back from a section: the unread count may have changed."""
        self._load_notices()
        self._show_saving()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load_notices(self) -> None:
        from core.messages.service import unread_count
        from core.reports.service import remark_count

        count = unread_count(self.session) if any(s.key == "messages" for s in self.sections) else 0
        remarks = remark_count(self.session) if self.session.person.has("teacher") else 0
        self.app.call_from_thread(self._show_notices, count, remarks)

    def _show_notices(self, unread: int, remarks: int = 0) -> None:
        self.remarks = remarks
        lines = [f"Непрочитанных сообщений: {unread} — раздел «Сообщения»."] if unread else []
        if remarks:
            lines.append(f"[b red]Замечаний по ведению журнала: {remarks}[/] — F9 открыть.")
        self.query_one("#home-notice", Static).update("\n".join(lines))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F9 only while there are open remarks."""
        return getattr(self, "remarks", 0) > 0 if action == "remarks" else True

    def action_remarks(self) -> None:
        """The open remarks (R8), each leading to its lesson in the journal."""
        from tui.screens.reports.screen import ReportsScreen

        self.app.push_screen(ReportsScreen(self.session))

    @on(OptionList.OptionSelected, "#home-menu")
    def _open(self, event: OptionList.OptionSelected) -> None:
        section = next(s for s in self.sections if s.key == event.option.id)
        self.app.push_screen(section.build(self.session))

    def action_logout(self) -> None:
        """Close the session and return to the login screen."""
        app_of(self).log_out()
