"""«Настройки»: the college's settings with their values, what is allowed and what each does
(issue 13, item 5; R7, R13, R14, R15, R19). Only the admin changes them — the database
refuses anyone else; every change is kept in the history."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui.screens.base import ShowsWorkerErrors
from tui.screens.setup.year_form import FormDialog
from tui.screens.setup.year_screen import with_conn
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from core.session import UserSession
    from core.settings.college import Current


class SettingsScreen(ShowsWorkerErrors, Screen[None]):
    """Every setting in a table; Enter changes the highlighted one."""

    DEFAULT_CSS = """
    #settings-table { height: 1fr; }
    #settings-meaning { height: auto; min-height: 3; border-top: solid $accent; padding: 0 1; }
    #settings-status { height: auto; color: $warning; }
    """
    HELP: ClassVar[str] = """\
# Настройки техникума

Правила, по которым работает журнал: вход только в рабочее время (R19), округление итоговой
отметки (R7), срок, после которого исправление отметки требует причины (R14), блокировка после
неудачных входов (R13), блокировка экрана при простое, резервные копии (R15). Под таблицей —
что делает выбранная настройка. Меняет только заведующий учебной частью; каждое изменение
записывается в историю.

| клавиша | действие |
|---|---|
| `↑` `↓` | выбрать настройку |
| `Enter` | изменить (введите значение; недопустимое не будет записано) |
| `F2` | обновить |
| `Esc` | назад |

Резервные копии (R15): папки (не меньше двух, на разных носителях; папка должна уже быть),
время ежедневной копии и сколько копий хранить записываются в файл настроек ejournal.toml —
тот же, что читает команда «ejournal backup». Новое время сразу переносит установленное
расписание. Само расписание ставится на сервере командой «ejournal backup schedule»; здесь
видно, установлено ли оно и когда следующий запуск.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("enter", "edit", "Изменить", priority=True),
        Binding("f2", "reload", "Обновить"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.current: list[Current] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield DataTable(id="settings-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="settings-meaning")
            yield Static("", id="settings-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Настройки"
        self.query_one("#settings-table", DataTable).add_columns("Настройка", "Значение", "Допустимо")
        self.query_one("#settings-table", DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        """Read the values again."""
        self._load()

    @work(thread=True, exclusive=True, group="settings-read", exit_on_error=False)
    def _load(self) -> None:
        from core.settings.college import read_all

        current = with_conn(self.session, read_all)
        self.app.call_from_thread(self._show, current)

    def _show(self, current: list[Current]) -> None:
        self.current = current
        table = self.query_one("#settings-table", DataTable)
        row = table.cursor_row
        table.clear()
        for c in current:
            table.add_row(c.item.title, c.value, c.item.allowed)
        if current:
            table.move_cursor(row=min(max(row, 0), len(current) - 1))
            self._explain(table.cursor_row)

    @on(DataTable.RowHighlighted, "#settings-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.cursor_row)

    def _explain(self, row: int) -> None:
        if 0 <= row < len(self.current):
            item = self.current[row].item
            self.query_one("#settings-meaning", Static).update(
                f"{item.meaning}\nКлюч: {item.key}. Допустимо: {item.allowed}.")

    @on(DataTable.RowSelected, "#settings-table")
    def _selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """Change the highlighted setting."""
        row = self.query_one("#settings-table", DataTable).cursor_row
        if not 0 <= row < len(self.current):
            return
        current = self.current[row]
        if current.item.parse is None:
            self.query_one("#settings-status", Static).update(current.item.meaning)
            return
        if not self.session.person.has("admin"):
            self.query_one("#settings-status", Static).update(
                "Настройки меняет только заведующий учебной частью.")
            return
        in_file = current.item.setting == "backup"  # the settings file: no history, no reason
        shown = "" if in_file and current.value == "не заданы" else current.value
        fields = [("value", f"{current.item.title} ({current.item.allowed})", shown)]
        if not in_file:
            fields.append(("reason", "Причина (для истории, можно пусто)", ""))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._save(current.item.key, values["value"], values.get("reason", ""))
        self.app.push_screen(FormDialog(current.item.title, fields), done)

    @work(thread=True, group="settings-write", exit_on_error=False)
    def _save(self, key: str, text: str, reason: str) -> None:
        from core.settings.college import BY_KEY, change

        shown = with_conn(self.session, lambda conn: change(conn, key, text, reason))
        self.app.call_from_thread(self._saved, f"{BY_KEY[key].title}: {shown}. Записано.")

    def _saved(self, message: str) -> None:
        self.query_one("#settings-status", Static).update(message)
        self.action_reload()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()
