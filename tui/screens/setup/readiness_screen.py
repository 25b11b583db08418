"""«Готовность к учебному году»: what is missing before 5 September (issue 13, item 8); Enter
on a line opens the screen where it is fixed."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui.screens.base import ShowsWorkerErrors
from tui.screens.setup.year_screen import with_conn
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    import psycopg

    from core.calendar.year import Year
    from core.readiness.checklist import Check
    from core.session import UserSession

TARGETS: dict[str, str] = {
    "year": "tui.screens.setup.year_screen:YearScreen",
    "timetable": "tui.screens.setup.timetable_screen:TimetableScreen",
    "settings": "tui.screens.setup.settings_screen:SettingsScreen",
    "parents": "tui.screens.curator.students:StudentsScreen",
    "groups": "tui.screens.setup.lists:CatalogueScreen:groups",
    "loads": "tui.screens.setup.lists:CatalogueScreen:load",
    "ktp": "tui.screens.setup.lists:CatalogueScreen:ktp",
    "staff_accounts": "tui.screens.admin.accounts:StaffAccountsScreen",
}
"""Checklist target key → the screen that fixes it ("module:Class[:argument]", built with the
session and the argument: the catalogue list to open). A key without a screen says where to
go (:data:`WHERE`)."""

WHERE = {
    "groups": "«Группы» (куратор группы)", "loads": "«Нагрузка»", "ktp": "«КТП» нагрузки",
    "staff_accounts": "«Учётные записи сотрудников»",
}


class ReadinessScreen(ShowsWorkerErrors, Screen[None]):
    """The checklist of the coming (or running) academic year."""

    DEFAULT_CSS = """
    #ready-table { height: 1fr; }
    #ready-status { height: auto; color: $warning; }
    """
    HELP: ClassVar[str] = """\
# Готовность к учебному году

Что ещё не готово к началу учебного года (к 5 сентября): периоды, звонки, праздники, кураторы
групп, нагрузка и расписание групп, КТП нагрузок, контакты родителей, учётные записи
сотрудников. «✓» — всё на месте, «✗» — сколько не хватает и первые из них.

| клавиша | действие |
|---|---|
| `↑` `↓` | выбрать строку |
| `Enter` | открыть раздел, где это исправляется |
| `F2` | проверить снова |
| `Esc` | назад |
"""
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("enter", "open", "Исправить", priority=True),
        Binding("f2", "reload", "Проверить снова"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.checks: list[Check] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield DataTable(id="ready-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="ready-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Готовность к учебному году"
        self.query_one("#ready-table", DataTable).add_column("Проверка")
        self.query_one("#ready-table", DataTable).focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Back from fixing something: check again."""
        self.action_reload()

    def action_reload(self) -> None:
        """Check again."""
        self._load()

    @work(thread=True, exclusive=True, group="ready-read", exit_on_error=False)
    def _load(self) -> None:
        from core.readiness.checklist import checklist, year_to_check

        def read(conn: psycopg.Connection) -> tuple[Year | None, list[Check]]:
            year = year_to_check(conn)
            return year, checklist(conn, year) if year else []
        self.app.call_from_thread(self._show, *with_conn(self.session, read))

    def _show(self, year: Year | None, checks: list[Check]) -> None:
        self.checks = checks
        table = self.query_one("#ready-table", DataTable)
        table.clear()
        for check in checks:
            table.add_row(check.text)
        status = self.query_one("#ready-status", Static)
        if year is None:
            status.update("Учебных лет нет: создайте год в разделе «Учебный год».")
        else:
            left = sum(not c.ok for c in checks)
            status.update(f"Учебный год {year.title}: " + (f"не готово пунктов — {left}. Enter — исправить."
                                                           if left else "всё готово."))
        self.title = f"Готовность к учебному году {year.title}" if year else self.title

    @on(DataTable.RowSelected, "#ready-table")
    def _selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the screen where the highlighted line is fixed."""
        row = self.query_one("#ready-table", DataTable).cursor_row
        if not 0 <= row < len(self.checks):
            return
        target = self.checks[row].target
        path = TARGETS.get(target)
        if path is None:
            where = WHERE.get(target, target)
            self.query_one("#ready-status", Static).update(f"Исправляется в разделе {where}.")
            return
        module, name, *arguments = path.split(":")
        self.app.push_screen(getattr(importlib.import_module(module), name)(self.session, *arguments))

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()
