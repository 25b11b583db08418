"""Attestation statements (ведомости, R6): list, create, fill with the keyboard, close.

Two views in one screen: the list (type to filter by group or discipline; F6 switches to the
loads that still need a statement, Enter creates one) and the sheet of one statement (one
column of marks typed from the keyboard, each student's semester mean and R7 final beside it).
The office moves between groups with Ctrl+PageDown/PageUp and jumps by typed group name.
This module holds the list, creating a statement and the moves; the sheet (the grid, typing,
saving, closing and reopening) is ``tui.screens.statements.sheet``.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.session import UserSession
from core.statements.sheet import AttestableLoad, StatementInfo, parse_day
from kernel import clock
from kernel.errors import EJournalError
from tui.screens.statements import helps
from tui.screens.statements.sheet import COLUMNS, StatementSheetScreen
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.pick_keys import filter_key, submit_filter


class StatementsScreen(StatementSheetScreen):
    """Statements of the loads the person may see; Enter opens one to fill or read."""

    HELP: ClassVar[str] = helps.STATEMENTS

    CSS_PATH = "statements.tcss"
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("ctrl+f", "focus_filter", "Поиск"),
        Binding("f6", "toggle_new", "Новая ведомость"),
        Binding("f5", "reload", "Обновить"),
        Binding("f9", "close_statement", "Закрыть ведомость"),
        Binding("f8", "reopen", "Открыть заново"),
        # priority: the table's own scrolling binds Ctrl+PageDown/PageUp to paging sideways
        Binding("ctrl+pagedown", "neighbour(1)", "След. группа", priority=True),
        Binding("ctrl+pageup", "neighbour(-1)", "Пред. группа", priority=True),
        Binding("ctrl+right", "neighbour(1, 'disciplines')", "След. дисциплина", priority=True),
        Binding("ctrl+left", "neighbour(-1, 'disciplines')", "Пред. дисциплина", priority=True),
        Binding("ctrl+g", "jump", "Группа…"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.statements: list[StatementInfo] = []
        self.loads: list[AttestableLoad] = []
        self.creating = False

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="st-list-view"):
            with Vertical(id="st-list-view"):
                yield Label("", id="st-heading")
                yield Input(placeholder="группа или дисциплина, например: СЭЗ-24 математика",
                            id="st-filter")
                yield OptionList(Option("[dim]Загрузка…[/dim]", disabled=True), id="st-list")
            with Vertical(id="st-sheet-view"):
                yield Static("", id="st-title")
                yield DataTable(id="st-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="st-legend")
                yield Static("", id="st-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Ведомости"
        table = self.query_one("#st-table", DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        self._set_heading()
        self.query_one("#st-filter", Input).focus()
        self._load_list()

    # --- the list ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="list")
    def _load_list(self) -> None:
        from core.statements.service import attestable_loads, list_statements

        statements = list_statements(self.session)
        loads = attestable_loads(self.session) if self.session.person.has("teacher", "office", "admin") \
            else []
        self.app.call_from_thread(self._show_list, statements, loads)

    def _show_list(self, statements: list[StatementInfo], loads: list[AttestableLoad]) -> None:
        self.statements, self.loads = statements, loads
        self._filter(self.query_one("#st-filter", Input).value)

    def _set_heading(self) -> None:
        text = ("Нагрузки без ведомости: Enter — создать ведомость (F6 — к списку ведомостей)"
                if self.creating else "Ведомости (введите группу или дисциплину для отбора)")
        self.query_one("#st-heading", Label).update(text)

    @on(Input.Changed, "#st-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        options = self.query_one("#st-list", OptionList)
        options.clear_options()
        if self.creating:
            for index, load in enumerate(self.loads):
                if all(w in load.label.lower() for w in words):
                    options.add_option(Option(load.label, id=f"l{index}"))
        else:
            for index, info in enumerate(self.statements):
                label = f"{info.label} · {info.status}"
                if all(w in label.lower() for w in words):
                    options.add_option(Option(label if info.current else f"[dim]{label}[/dim]",
                                              id=f"s{index}"))
        if not options.option_count:
            empty = "Ничего не найдено" if words else \
                "Все нагрузки с аттестацией уже имеют ведомости" if self.creating else \
                "Ведомостей пока нет" + (" (F6 — создать)" if self.check_action("toggle_new", ()) else "")
            options.add_option(Option(f"[dim]{empty}[/dim]", disabled=True))

    @on(Input.Submitted, "#st-filter")
    def _to_list(self) -> None:
        submit_filter(self.query_one("#st-list", OptionList))

    def on_key(self, event: events.Key) -> None:
        """↓/↑ typed in the filter move the list's highlight (marks: the sheet's bindings)."""
        filter_key(event, self.query_one("#st-filter", Input), self.query_one("#st-list", OptionList))

    @on(OptionList.OptionSelected, "#st-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = str(event.option.id)
        if key.startswith("s"):
            self._open(self.statements[int(key[1:])].statement_id)
        else:
            self._ask_date(self.loads[int(key[1:])])

    # --- creating ---------------------------------------------------------------------

    def _ask_date(self, load: AttestableLoad) -> None:
        from tui.dialogs.prompt import PromptScreen

        self.app.push_screen(
            PromptScreen(f"Новая ведомость: {load.form}", f"{load.label}\nДата проведения (ДД.ММ.ГГГГ):",
                         f"{clock.today():%d.%m.%Y}"),
            lambda text: self._ask_examiner(load, text) if text is not None else None)

    def _ask_examiner(self, load: AttestableLoad, day_text: str) -> None:
        from tui.dialogs.prompt import PromptScreen

        try:
            day = parse_day(day_text)
        except EJournalError as exc:
            self.app.show_error(exc)
            return
        self.app.push_screen(
            PromptScreen("Экзаменатор", "Фамилия преподавателя (Enter — преподаватель нагрузки):",
                         load.teacher_name),
            lambda name: self._create_if(load, day, name))

    def _create_if(self, load: AttestableLoad, day: date | None, name: str | None) -> None:
        if name is not None:
            self._create(load, day, name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="create")
    def _create(self, load: AttestableLoad, day: date | None, examiner_text: str) -> None:
        from core.statements.closing import choose_examiner, create_statement

        examiner_id = choose_examiner(self.session, load, examiner_text)
        statement_id = create_statement(self.session, load.load_id, load.form, day, examiner_id)
        self.app.call_from_thread(self._created, statement_id)

    def _created(self, statement_id: int) -> None:
        self.creating = False
        self._set_heading()
        self._load_list()
        self._open(statement_id)

    def action_toggle_new(self) -> None:
        """Switch the list between statements and loads that need one."""
        if self.in_sheet:
            return
        self.creating = not self.creating
        self._set_heading()
        self._filter(self.query_one("#st-filter", Input).value)
        self.query_one("#st-filter", Input).focus()

    # --- closing, reopening, moving ---------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "type_key":
            return super().check_action(action, parameters)
        sheet = self.sheet if self.in_sheet else None
        if action in ("focus_filter", "toggle_new"):
            return not self.in_sheet and (action != "toggle_new" or
                                           self.session.person.has("teacher", "office", "admin"))
        if action == "close_statement":
            return sheet is not None and sheet.editable
        if action == "reopen":
            return sheet is not None and sheet.info.closed and self.session.person.has("admin")
        if action in ("neighbour", "jump"):
            return sheet is not None
        return True

    def action_neighbour(self, step: int, across: str = "groups") -> None:
        """The same discipline's statement in the next (previous) group, or the group's next
        (previous) statement."""
        if self.sheet is not None:
            self._go(self.sheet.info.statement_id, step=step, across=across)

    def action_jump(self) -> None:
        """The same discipline's statement in a group typed by name."""
        from tui.dialogs.prompt import PromptScreen

        self.app.push_screen(PromptScreen("Перейти к группе", "Название группы (можно часть: сэз241):"),
                             self._jump_to)

    def _jump_to(self, typed: str | None) -> None:
        if typed and self.sheet is not None:
            self._go(self.sheet.info.statement_id, typed=typed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="move")
    def _go(self, statement_id: int, step: int = 0, typed: str = "", across: str = "groups") -> None:
        from core.journal.moves import neighbour_statement, statement_in_group

        target = statement_in_group(self.session, statement_id, typed) if typed else \
            neighbour_statement(self.session, statement_id, step, across)
        if target is None:
            message = f"Ведомости этой дисциплины в группе «{typed}» нет." if typed else \
                ("Это последняя" if step > 0 else "Это первая") + \
                (" группа с такой ведомостью." if across == "groups" else " ведомость группы.")
            self.app.call_from_thread(self.notify, message, title="Ведомости")
            return
        self.app.call_from_thread(self._open, target)

    def action_reload(self) -> None:
        """Re-read the list, or the open statement."""
        if self.in_sheet and self.sheet is not None:
            self._open(self.sheet.info.statement_id)
        else:
            self._load_list()

    def action_focus_filter(self) -> None:
        """Put the cursor into the filter."""
        self.query_one("#st-filter", Input).focus()

    def action_back(self) -> None:
        """From the sheet to the list; from the list to the home screen."""
        if not self.in_sheet:
            self.app.pop_screen()
            return
        self.sheet = None
        self.query_one(ContentSwitcher).current = "st-list-view"
        self.query_one("#st-list", OptionList).focus()
        self._load_list()
        self.refresh_bindings()

