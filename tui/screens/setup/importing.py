"""Loading a list from the office's sheet: file → columns → check → write.

The columns of the file are matched to the list's by their headers (in any order, with the
person's earlier choices remembered per list); the check shows every row's errors by row
and column; nothing is written unless every row passes, or — on an explicit second key —
only the valid rows are. F5 reads the file again after it was fixed in Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from core.catalogue.importer import ImportResult
from core.catalogue.preview import Preview
from core.catalogue.sheets import Sheet
from core.catalogue.spec import CatalogueList
from tui.screens.base import ShowsWorkerErrors
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from core.catalogue.spec import Column
    from core.session import UserSession

SKIP = "— не загружать —"


class ImportScreen(ShowsWorkerErrors, Screen[str | None]):
    """Import of one list; dismisses with the summary of what was written (or None)."""

    HELP: ClassVar[str] = """\
# Загрузка списка из файла

Загрузка справочника из таблицы учебной части (.xlsx или .csv; R12 — настройка года, R23 —
администрирование в программе). Заголовки столбцов — в любом порядке; программа сама
сопоставляет их со столбцами списка и запоминает ваш выбор для этого списка.

1. Введите путь к файлу и нажмите `Enter`.
2. Проверьте сопоставление: `←`/`→` меняют столбец списка для строки под курсором
   («не загружать» — пропустить столбец файла).
   Столбцы, которых в файле нет (например, группа и дисциплина в КТП преподавателя), можно
   задать для всех строк: `Enter` на строке «нет в файле». КТП, открытый из строки КТП,
   берёт её год, семестр, группу и дисциплину.
3. `F5` — проверить: ошибки показаны по строкам и столбцам файла («строка 14, «Дата рождения»:
   31.02.2008 — такой даты нет»). Исправьте файл и нажмите `F5` ещё раз — он будет перечитан.
4. `F9` — записать, когда ошибок нет. `Ctrl+F9` — записать только верные строки (строки
   с ошибками пропускаются). Повторная загрузка того же файла ничего не меняет; изменённые
   строки обновляются, исправление попадает в историю.

| клавиша | что делает |
|---|---|
| `Enter` | прочитать файл |
| `←` `→` | выбрать столбец списка для столбца файла |
| `Enter` на строке «нет в файле» | значение этого столбца для всех строк (группа, дисциплина КТП) |
| `F5` | перечитать файл и проверить |
| `F9` | записать (все строки верны) |
| `Ctrl+F9` | записать только верные строки (после подтверждения) |
| `Esc` | назад, ничего не записывая |
"""
    CSS_PATH = "setup.tcss"
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "back", "Назад"),
        Binding("left", "choose(-1)", "Столбец ←", show=False),
        Binding("right", "choose(1)", "Столбец →", show=False),
        Binding("f5", "check", "Проверить"),
        Binding("f9", "write", "Записать"),
        Binding("ctrl+f9", "write_valid", "Только верные"),
    ]

    def __init__(self, session: UserSession, spec: CatalogueList, path: str = "",
                 defaults: dict[str, object] | None = None) -> None:
        super().__init__()
        self.session, self.spec, self.path = session, spec, path
        self.defaults: dict[str, object] = dict(defaults or {})
        """Values for every row of columns the file lacks (a teacher's КТП: its load)."""
        self.sheet: Sheet | None = None
        self.mapping: dict[str, str] = {}
        self.preview: Preview | None = None
        self.result: ImportResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"[b]Загрузка: {self.spec.title}[/] · файл .xlsx или .csv", id="import-title")
        yield Input(value=self.path, placeholder="путь к файлу, например /home/office/группы.xlsx",
                    id="import-path")
        yield Static("Столбцы файла → столбцы списка", id="import-mapping-title")
        yield DataTable(id="import-mapping", cursor_type="row")
        yield Static("", id="import-summary")
        yield DataTable(id="import-problems", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Загрузка из файла"
        mapping = self.query_one("#import-mapping", DataTable)
        mapping.add_columns("Столбец файла", "Столбец списка")
        problems = self.query_one("#import-problems", DataTable)
        problems.add_columns("Строка", "Столбец", "Ошибка")
        self.query_one("#import-path", Input).focus()

    def _summary(self, text: str) -> None:
        self.query_one("#import-summary", Static).update(text)

    @on(Input.Submitted, "#import-path")
    def _path_given(self, event: Input.Submitted) -> None:
        self.path = event.value.strip()
        if self.path:
            self._read(check=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def _read(self, check: bool) -> None:
        from core.catalogue.service import read_file

        sheet, mapping = read_file(self.session, self.spec, Path(self.path).expanduser())
        if check and self.sheet is not None:  # keep the person's choices over a re-read
            mapping = {h: f for h, f in self.mapping.items() if h in sheet.headers} | {
                h: f for h, f in mapping.items() if h not in self.mapping}
        self.app.call_from_thread(self._read_done, sheet, mapping, check)

    def _read_done(self, sheet: Sheet, mapping: dict[str, str], check: bool) -> None:
        self.sheet, self.mapping = sheet, mapping
        self._show_mapping()
        self.query_one("#import-mapping", DataTable).focus()
        if check:
            self._check(sheet, dict(mapping))
        else:
            self._summary(f"В файле строк: {len(sheet.rows)}. Проверьте сопоставление столбцов "
                          "(←/→) и нажмите F5 — проверить.")

    def _field_title(self, name: str | None) -> str:
        return next((c.header for c in self.spec.columns if c.field == name), SKIP)

    def _show_mapping(self) -> None:
        table = self.query_one("#import-mapping", DataTable)
        keep = table.cursor_row
        table.clear()
        assert self.sheet is not None
        for header in self.sheet.headers:
            if header:
                table.add_row(header, self._field_title(self.mapping.get(header)))
        for column in self._missing():
            value = self.defaults.get(column.field)
            table.add_row(f"нет в файле: «{column.header}»",
                          f"для всех строк: {value}" if value else "Enter — ввести значение")
        table.move_cursor(row=max(0, keep))

    def _missing(self) -> list[Column]:
        """Required columns of the list the file's columns do not fill."""
        mapped = set(self.mapping.values())
        return [c for c in self.spec.columns if c.required and c.field not in mapped]

    @on(DataTable.RowSelected, "#import-mapping")
    def _ask_value(self, event: DataTable.RowSelected) -> None:
        from tui.dialogs.prompt import PromptScreen

        if self.sheet is None:
            return
        index = event.cursor_row - len([h for h in self.sheet.headers if h])
        missing = self._missing()
        if not 0 <= index < len(missing):
            return
        column = missing[index]

        def given(value: str | None) -> None:
            if value is not None:
                if value.strip():
                    self.defaults[column.field] = value.strip()
                else:
                    self.defaults.pop(column.field, None)
                self.preview = None
                self._show_mapping()

        self.app.push_screen(PromptScreen(f"«{column.header}» для всех строк",
                                          "в файле нет такого столбца",
                                          str(self.defaults.get(column.field, ""))), given)

    def action_choose(self, step: int) -> None:
        """The next (or previous) column of the list for the file's column under the cursor."""
        if self.sheet is None or self.focused is not self.query_one("#import-mapping"):
            return
        headers = [h for h in self.sheet.headers if h]
        row = self.query_one("#import-mapping", DataTable).cursor_row
        if not 0 <= row < len(headers):
            return
        header = headers[row]
        options: list[str | None] = [None, *[c.field for c in self.spec.columns]]
        taken = {f for h, f in self.mapping.items() if h != header}
        index = options.index(self.mapping.get(header))
        for _ in options:
            index = (index + step) % len(options)
            if options[index] not in taken:
                break
        chosen = options[index]
        if chosen is None:
            self.mapping.pop(header, None)
        else:
            self.mapping[header] = chosen
        self.preview = None
        self._show_mapping()

    def action_check(self) -> None:
        """Read the file again (it may have been fixed) and check every row."""
        if self.path:
            self._summary("Проверка…")
            self._read(check=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="check")
    def _check(self, sheet: Sheet, mapping: dict[str, str]) -> None:
        from core.catalogue.service import check

        preview = check(self.session, self.spec, sheet, mapping, self._given())
        self.app.call_from_thread(self._checked, preview)

    def _given(self) -> dict[str, object]:
        """The typed values of the columns the file lacks."""
        mapped = set(self.mapping.values())
        return {f: v for f, v in self.defaults.items() if f not in mapped and v}

    def _checked(self, preview: Preview) -> None:
        self.preview = preview
        table = self.query_one("#import-problems", DataTable)
        table.clear()
        for problem in preview.problems:
            table.add_row(str(problem.row), problem.header or "—", problem.message)
        if preview.ok:
            self._summary(f"[b]Ошибок нет.[/] Строк: {len(preview.rows)}. F9 — записать.")
        else:
            self._summary(f"[b]Строк с ошибками: {preview.bad_rows}[/] из {preview.total}. "
                          "Исправьте файл и нажмите F5, или Ctrl+F9 — записать только верные "
                          f"({len(preview.rows)}).")
            table.focus()

    def action_write(self) -> None:
        """Write, if every row passed."""
        if self.preview is None:
            self._summary("Сначала проверьте файл: F5.")
        elif not self.preview.ok:
            self._summary("В файле есть ошибки: ничего не записано. Исправьте и нажмите F5, или "
                          "Ctrl+F9 — записать только верные строки.")
        else:
            self._write(self.preview, False)

    def action_write_valid(self) -> None:
        """Write only the valid rows, after an explicit «Да»."""
        from tui.dialogs.confirm import ConfirmScreen

        preview = self.preview
        if preview is None or not preview.rows:
            return
        if preview.ok:
            self._write(preview, False)
            return
        question = (f"Записать только верные строки ({len(preview.rows)})? Строки с ошибками "
                    f"({preview.bad_rows}) не будут загружены; их можно исправить и загрузить "
                    "файл ещё раз.")
        def answer(yes: bool | None) -> None:
            if yes:
                self._write(preview, True)

        self.app.push_screen(ConfirmScreen("Только верные строки", question, "Записать"),
                             answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _write(self, preview: Preview, only_valid: bool) -> None:
        from core.catalogue.service import load

        assert self.sheet is not None
        result = load(self.session, preview, only_valid=only_valid, headers=self.sheet.headers)
        self.app.call_from_thread(self._written, result)

    def _written(self, result: ImportResult) -> None:
        self.result = result
        self.dismiss(result.summary())

    def action_back(self) -> None:
        """Leave without writing."""
        self.dismiss(None)
