"""Choosing a journal page: today's lessons, one's own loads, any load by typed filter."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from core.journal.service import LoadInfo, TodayLesson, list_loads, todays_lessons
from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.screens.journal import helps
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.pick_keys import filter_key, submit_filter


class JournalPickScreen(ShowsWorkerErrors, Screen[None]):
    """Lists today's lessons and the loads; typing filters; Enter opens the page."""

    HELP: ClassVar[str] = helps.PICK

    CSS_PATH = "journal_pick.tcss"
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("ctrl+f", "focus_filter", "Поиск"),
        Binding("ctrl+l", "open_last", "Последняя страница"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.loads: list[LoadInfo] = []
        self.today: list[TodayLesson] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="pick-box"):
            yield Label("Сегодня по расписанию", classes="pick-heading")
            yield OptionList(id="pick-today")
            yield Label("Страницы журнала (введите группу или дисциплину для отбора)",
                        classes="pick-heading")
            yield Input(placeholder="например: СЭЗ-24 графика", id="pick-filter")
            yield OptionList(id="pick-loads")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Выбор страницы журнала"
        self.query_one("#pick-filter", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        loads = list_loads(self.session)
        today = todays_lessons(self.session) if self.session.person.has("teacher") else []
        self.app.call_from_thread(self._show, loads, today)

    def _show(self, loads: list[LoadInfo], today: list[TodayLesson]) -> None:
        self.loads, self.today = loads, today
        today_list = self.query_one("#pick-today", OptionList)
        today_list.clear_options()
        for lesson in today:
            mark = "✓" if lesson.lesson_id else " "
            today_list.add_option(Option(
                f"{mark} {lesson.pair_no} пара · {lesson.group_name} · {lesson.discipline}"
                f"{' · ауд. ' + lesson.room if lesson.room else ''}", id=f"t{len(today_list.options)}"))
        if not today:
            today_list.add_option(Option("[dim]Сегодня занятий по расписанию нет[/dim]", disabled=True))
        self._filter(self.query_one("#pick-filter", Input).value)

    @on(Input.Changed, "#pick-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        options = self.query_one("#pick-loads", OptionList)
        options.clear_options()
        for index, load in enumerate(self.loads):
            label = load.label + ("" if load.is_mine else f" · {load.teacher_name}")
            if all(word in label.lower() for word in words):
                style = "" if load.current else "[dim]"
                options.add_option(Option(f"{style}{label}", id=f"l{index}"))

    @on(Input.Submitted, "#pick-filter")
    def _to_list(self) -> None:
        submit_filter(self.query_one("#pick-loads", OptionList))

    def on_key(self, event: events.Key) -> None:
        """↓/↑ typed in the filter move the highlight of the pages' list."""
        filter_key(event, self.query_one("#pick-filter", Input), self.query_one("#pick-loads", OptionList))

    @on(OptionList.OptionSelected, "#pick-loads")
    def _open_load(self, event: OptionList.OptionSelected) -> None:
        load = self.loads[int(str(event.option.id)[1:])]
        self._open(load.load_id)

    @on(OptionList.OptionSelected, "#pick-today")
    def _open_today(self, event: OptionList.OptionSelected) -> None:
        lesson = self.today[int(str(event.option.id)[1:])]
        self._open(lesson.load_id, today_pair=lesson.pair_no)

    def _open(self, load_id: int, today_pair: int | None = None) -> None:
        from core.preferences import write_pref
        from tui.screens.journal.page import JournalScreen

        write_pref(self.session.person.login, "last_load", load_id)
        self.app.push_screen(JournalScreen(self.session, load_id, today_pair=today_pair))

    def action_open_last(self) -> None:
        """Open the page opened last time."""
        from core.preferences import read_pref

        last = read_pref(self.session.person.login, "last_load")
        if isinstance(last, int):
            self._open(last)
        else:
            self.notify("Ещё ни одна страница не открывалась.")

    def action_focus_filter(self) -> None:
        """Put the cursor into the filter."""
        self.query_one("#pick-filter", Input).focus()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()
