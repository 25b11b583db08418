"""The home screen: who is logged in and the sections their roles allow."""

from __future__ import annotations

import logging
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from core.journal.saver import SaveReport
from core.messages.live import MessageListener
from core.session import UserSession
from kernel import clock
from kernel.errors import EJournalError
from tui.saving import SaveReported, saving_summary
from tui.screens.base import ShowsWorkerErrors
from tui.screens.start import helps
from tui.sections import Section, sections_for
from tui.widgets.clock_header import ClockHeader
from tui.widgets.keys_footer import KeysFooter

log = logging.getLogger("ejournal.tui")

WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


def _prompt(section: Section, unread: int = 0) -> str:
    """«Сообщения (2 новых)  — …»: the menu line, with the unread count of messages."""
    from kernel.text import plural

    count = f" [b]({unread} {plural(unread, 'новое', 'новых', 'новых')})[/b]" if unread else ""
    return f"{section.title}{count}  [dim]— {section.hint}[/dim]"


COVERED_DELAY_S = 1.5
"""How long the home menu waits, under the screen a person lands on, before it counts."""


class HomeScreen(ShowsWorkerErrors, Screen[None]):
    """Lists the sections of the person's roles; Enter opens one."""

    HELP: ClassVar[str] = helps.HOME

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("escape", "logout", "Сменить пользователя"),
        Binding("f2", "guide", "Руководство"),
        Binding("ctrl+q", "app.quit", "Выход"),
        Binding("f9", "remarks", "Замечания"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.sections: list[Section] = sections_for(session.person.roles)
        self.listener: MessageListener | None = None
        """Hears new messages (the journal page's listener, 0041) to keep the count current."""
        self.unread = 0
        self.remarks = 0
        """Open remarks on the teacher's filling of the journal (R8), shown with F9."""

    def compose(self) -> ComposeResult:
        person = self.session.person
        today = clock.today()
        yield ClockHeader()
        with Vertical(id="home-box"):
            yield Label(person.full_name, id="home-name")
            yield Static(f"Роли: {person.role_titles}", id="home-roles")
            yield Static(f"Сегодня {today:%d.%m.%Y}, {WEEKDAYS[today.weekday()]}", id="home-date")
            yield OptionList(*[self._option(s) for s in self.sections], id="home-menu")
            yield Static("", id="home-notice")
            yield Static("", id="home-saving")
        yield KeysFooter()

    @staticmethod
    def _option(section: Section, unread: int = 0) -> Option:
        return Option(_prompt(section, unread), id=section.key)

    def on_mount(self) -> None:
        self.sub_title = self.session.person.login
        self.query_one("#home-menu", OptionList).focus()
        if self.session.has_saver:
            self.session.saver().subscribe(self._post_report)
        self._show_saving()
        if self.app.screen is self:
            self._follow_messages()
        else:   # a parent's journal above: drawn and read first, the counts a moment later
            self.set_timer(COVERED_DELAY_S, self._follow_messages)

    def _follow_messages(self) -> None:
        """Count unread messages and remarks, and recount when a message comes."""
        self._load_notices()
        if any(s.key == "messages" for s in self.sections):
            self.listener = MessageListener(self.session.new_connection, self._message_heard,
                                            own_pids=lambda: {self.session.conn.info.backend_pid})
            self.listener.start()

    def _message_heard(self) -> None:
        """From the listener's thread: a message came or was read; recount."""
        self.app.call_from_thread(self._load_notices)

    def on_unmount(self) -> None:
        """Stop following the saver and the messages."""
        if self.session.has_saver:
            self.session.saver().unsubscribe(self._post_report)
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()

    def _post_report(self, report: SaveReport) -> None:
        self.post_message(SaveReported(report))

    def on_save_reported(self, _message: SaveReported) -> None:
        """Something was saved, refused or parked: recount."""
        self._show_saving()

    def _show_saving(self) -> None:
        """«N изменений ждут отправки» while typed changes are not all in the database."""
        text = saving_summary(self.session.saver()) if self.session.has_saver else ""
        self.query_one("#home-saving", Static).update(text)

    def on_screen_resume(self) -> None:
        """Back from a section: the unread count may have changed."""
        self._load_notices()
        self._show_saving()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load_notices(self) -> None:
        """Count unread messages and open remarks. Not while the password must be changed:
        the database answers nothing else then. A count that cannot be read is said on the
        home screen, never as a dialog over whatever the person is typing elsewhere."""
        from core.messages.service import unread_count
        from core.reports.service import remark_count

        if self.session.person.must_change_password:
            return
        try:
            count = unread_count(self.session) if any(s.key == "messages" for s in self.sections) else 0
            remarks = remark_count(self.session) if self.session.person.has("teacher") else 0
        except EJournalError as exc:
            log.warning("notices not counted: %s", exc.message)
            self.app.call_from_thread(self._notices_unknown, exc)
            return
        self.app.call_from_thread(self._show_notices, count, remarks)

    def _notices_unknown(self, error: EJournalError) -> None:
        self.query_one("#home-notice", Static).update(
            f"[dim]Не удалось узнать число сообщений и замечаний: {error.message}[/]")

    def _show_notices(self, unread: int, remarks: int | None = None) -> None:
        if remarks is not None:
            self.remarks = remarks
        lines = [f"Непрочитанных сообщений: {unread} — раздел «Сообщения»."] if unread else []
        if self.remarks:
            lines.append(f"[b red]Замечаний по ведению журнала: {self.remarks}[/] — F9 открыть.")
        self.query_one("#home-notice", Static).update("\n".join(lines))
        if unread > self.unread and self.app.screen is not self:   # a parent reading the marks
            esc = " (Esc)" if self.app.screen_stack[-2:-1] == [self] else ""
            self.notify(f"Непрочитанных сообщений: {unread} — раздел «Сообщения» на главном "
                        f"экране{esc}.", title="Сообщения")
        self.unread = unread
        section = next((s for s in self.sections if s.key == "messages"), None)
        if section is not None:  # not every person has the messages section (remarks only)
            self.query_one("#home-menu", OptionList).replace_option_prompt(
                "messages", _prompt(section, unread))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F9 only while there are open remarks."""
        return self.remarks > 0 if action == "remarks" else True

    def action_remarks(self) -> None:
        """The open remarks (R8), each leading to its lesson in the journal."""
        from tui.screens.reports.screen import ReportsScreen

        self.app.push_screen(ReportsScreen(self.session))

    @on(OptionList.OptionSelected, "#home-menu")
    def _open(self, event: OptionList.OptionSelected) -> None:
        section = next(s for s in self.sections if s.key == event.option.id)
        self.app.push_screen(section.build(self.session))

    def action_logout(self) -> None:
        """Ask, then close the session and return to the login screen."""
        from tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.log_out()

        self.app.push_screen(ConfirmScreen(
            "Сменить пользователя", "Завершить работу и вернуться к окну входа?"), answered)

    def action_guide(self) -> None:
        """The guide of the person's roles (every role's guide is a key away)."""
        from tui.screens.start.guide import GuideScreen

        self.app.push_screen(GuideScreen(self.session.person.roles))
