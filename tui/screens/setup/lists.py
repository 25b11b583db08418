"""«Справочники»: every catalogue list of the college for the office and the admin — view,
add, change, delete when unused, import from the office's sheets and export (R12, R23)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from core.catalogue.cells import shown
from core.catalogue.registry import LISTS
from core.catalogue.spec import CatalogueList
from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.widgets.keys_footer import KeysFooter

HINT = ("Enter — открыть список · Ins — добавить · F2 — изменить · Del — удалить · "
        "F3 — загрузить из файла · F4 — выгрузить в файл · Tab — списки/строки")
WRITERS = {"office": "учебная часть и заведующий", "admin": "только заведующий учебной частью"}


def cell_text(value: object) -> str:
    """A value as the list shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M" if type(value).__name__ == "time" else "%d.%m.%Y")
    return shown(value)


class CatalogueScreen(ShowsWorkerErrors, Screen[None]):
    """The lists (left) and the rows of the chosen one (right)."""

    HELP: ClassVar[str] = """\
# Справочники

Справочники колледжа для ежегодной настройки (Положение, п. R12; R23 — администрирование в
программе): учебные годы и периоды, каникулы, звонки, специальности, дисциплины, учебные
планы, сотрудники, группы и подгруппы, студенты, родители, нагрузка, КТП, расписание.
Список меняют учебная часть и заведующий учебной частью (сотрудников и год — только
заведующий); что разрешено, решает база данных.

| клавиша | что делает |
|---|---|
| `Enter` | открыть список под курсором |
| `Tab` | перейти между списками и строками |
| `Ins` | добавить строку (те же проверки, что при загрузке) |
| `F2` | изменить строку под курсором (исправление попадает в историю) |
| `Del` | удалить строку, если на неё ничто не ссылается; иначе объясняет почему нельзя |
| `F3` | загрузить список из файла .xlsx или .csv (сопоставление столбцов → проверка → запись) |
| `F4` | выгрузить список в файл .xlsx или .csv |
| `F5` | перечитать список |
| `Esc` | назад |
"""
    CSS_PATH = "setup.tcss"
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "back", "Назад"),
        Binding("insert", "add", "Добавить"),
        Binding("f2", "edit", "Изменить"),
        Binding("delete", "delete", "Удалить"),
        Binding("f3", "import_file", "Загрузить"),
        Binding("f4", "export_file", "Выгрузить"),
        Binding("f5", "reload", "Обновить"),
    ]

    def __init__(self, session: UserSession, start: str = "") -> None:
        super().__init__()
        self.session = session
        self.spec: CatalogueList = next((s for s in LISTS if s.alias == start), LISTS[0])
        self.rows: list[list[object]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="setup-body"):
            yield OptionList(*[Option(s.title, id=s.alias) for s in LISTS], id="setup-lists")
            yield DataTable(id="setup-rows", cursor_type="row", zebra_stripes=True)
        yield Static("", id="setup-status")
        yield Static(HINT, id="setup-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Справочники"
        lists = self.query_one("#setup-lists", OptionList)
        lists.highlighted = LISTS.index(self.spec)
        lists.focus()
        self._open(self.spec)

    @on(OptionList.OptionSelected, "#setup-lists")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(next(s for s in LISTS if s.alias == event.option.id))
        self.query_one("#setup-rows", DataTable).focus()

    def _open(self, spec: CatalogueList) -> None:
        self.spec = spec
        self.action_reload()

    def action_reload(self) -> None:
        """Re-read the list."""
        self._status(f"«{self.spec.title}»: загрузка…")
        self._load(self.spec)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self, spec: CatalogueList) -> None:
        from core.catalogue.service import rows_of

        rows = rows_of(self.session, spec)
        self.app.call_from_thread(self._show, spec, rows)

    def _show(self, spec: CatalogueList, rows: list[list[object]]) -> None:
        self.rows = rows
        table = self.query_one("#setup-rows", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        for column in spec.columns:
            table.add_column(column.header)
        for row in rows:
            table.add_row(*[cell_text(v) for v in row])
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self._status(f"«{spec.title}»: строк {len(rows)} · меняют: {WRITERS[spec.writers]}")

    def _status(self, text: str) -> None:
        self.query_one("#setup-status", Static).update(text)

    def _current(self) -> dict[str, object] | None:
        row = self.query_one("#setup-rows", DataTable).cursor_row
        if not self.rows or not 0 <= row < len(self.rows):
            return None
        return {c.field: cell_text(v) or None
                for c, v in zip(self.spec.columns, self.rows[row], strict=False)}

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()

    def action_add(self) -> None:
        """A new row in a form."""
        from tui.screens.setup.row_form import RowFormScreen

        self.app.push_screen(RowFormScreen(self.session, self.spec, None), self._after_form)

    def action_edit(self) -> None:
        """The row under the cursor in a form."""
        from tui.screens.setup.row_form import RowFormScreen

        current = self._current()
        if current is not None:
            self.app.push_screen(RowFormScreen(self.session, self.spec, current),
                                 self._after_form)

    def _after_form(self, message: str | None) -> None:
        if message:
            self.action_reload()
            self.notify(message)

    def action_delete(self) -> None:
        """Delete the row under the cursor, after a question."""
        from tui.dialogs.confirm import ConfirmScreen

        current = self._current()
        if current is None:
            return
        text = ", ".join(str(v) for v in current.values() if v)[:120]
        def answer(yes: bool | None) -> None:
            if yes:
                self._delete(current)

        self.app.push_screen(ConfirmScreen("Удаление", f"Удалить строку «{text}»?"),
                             answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _delete(self, values: dict[str, object]) -> None:
        from core.catalogue.service import delete_row

        delete_row(self.session, self.spec, values)
        self.app.call_from_thread(self.notify, "Строка удалена.")
        self.app.call_from_thread(self.action_reload)

    def action_import_file(self) -> None:
        """Choose a file, map its columns, preview, write."""
        from tui.screens.setup.importing import ImportScreen

        defaults: dict[str, object] = {}
        current = self._current()
        if self.spec.alias == "ktp" and current:  # a teacher's КТП for the load of this row
            defaults = {k: current[k] for k in ("year", "semester", "group", "subgroup",
                                                "discipline") if current.get(k)}
        self.app.push_screen(ImportScreen(self.session, self.spec, defaults=defaults),
                             self._after_import)

    def _after_import(self, message: str | None) -> None:
        self.action_reload()
        if message:
            self.notify(message)

    def action_export_file(self) -> None:
        """Ask where, then write the list there."""
        from tui.dialogs.prompt import PromptScreen

        default = str(Path.home() / f"{self.spec.name}.xlsx")
        self.app.push_screen(PromptScreen("Выгрузить в файл", "путь к файлу .xlsx или .csv",
                                          default), self._export)

    def _export(self, path: str | None) -> None:
        if path:
            self._write_export(Path(path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _write_export(self, path: Path) -> None:
        from core.catalogue.service import export

        count = export(self.session, self.spec, path)
        self.app.call_from_thread(self._status, f"Выгружено строк: {count} → {path}")
