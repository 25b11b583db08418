"""Printing from the program (R22, R23): choose the printout, the period and the group(s).

F5 reads the data and lays the PDF out in a staging folder, showing the pages and a text
preview; F2 writes the files into the chosen folder; F6 sends them to the printer from the
settings. A run over all groups shows its progress and stops on Esc.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, ProgressBar, Select, Static, TextArea
from textual.widgets.option_list import Option

from core.printouts.choices import (
    ItemOption,
    YearOption,
    list_groups,
    list_statements,
    list_students,
    list_years,
)
from core.printouts.data_base import GroupRef
from core.printouts.jobs import (
    DEFAULT_FOLDER,
    Document,
    PrintCancelled,
    PrintedFile,
    PrintKind,
    PrintRequest,
    move_printed,
    preview_text,
    print_job,
    send_to_printer,
)
from core.session import UserSession
from kernel.text import plural
from tui.screens.admin import helps
from tui.screens.base import EnterMovesOn, ShowsWorkerErrors
from tui.widgets.keys_footer import KeysFooter

KINDS = (PrintKind.JOURNAL, PrintKind.SUMMARY, PrintKind.STATEMENT, PrintKind.STUDENT)
ALL = "all"
YEAR = 0


def pages_text(files: list[PrintedFile]) -> str:
    """«2 файла, 14 страниц»."""
    pages = sum(f.pages for f in files)
    return (f"{len(files)} {plural(len(files), 'файл', 'файла', 'файлов')}, "
            f"{pages} {plural(pages, 'страница', 'страницы', 'страниц')}")


class PrintScreen(EnterMovesOn, ShowsWorkerErrors, Screen[None]):
    """Choose and print the journal, the summary statement, a statement or a parent report."""

    HELP: ClassVar[str] = helps.PRINT

    CSS_PATH = "print.tcss"
    BINDINGS = [
        Binding("f5", "prepare", "Подготовить"),
        Binding("f2", "save", "Записать PDF"),
        Binding("f6", "send", "Отправить на принтер"),
        Binding("escape", "stop", "Остановить"),
        Binding("escape", "back", "Назад"),
    ]
    ENTER_MOVES: ClassVar[dict[str, str]] = {"ps-filter": "ps-groups"}

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.years: list[YearOption] = []
        self.groups: list[GroupRef] = []
        self.items: list[ItemOption] = []
        self.staged: list[PrintedFile] = []
        self.saved: list[PrintedFile] = []
        self.staging: Path | None = None
        self.cancel = threading.Event()
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ps-body"):
            with Vertical(id="ps-form"):
                yield Label("Что печатать", classes="ps-heading")
                yield OptionList(*[Option(k.label, id=k.value) for k in KINDS], id="ps-kind")
                yield Label("Учебный год и период", classes="ps-heading")
                yield Select[int]([], prompt="учебный год", id="ps-year")
                yield OptionList(id="ps-period")
                yield Label("Группа (введите часть названия для отбора)", classes="ps-heading")
                yield Input(placeholder="например: СЭЗ-24", id="ps-filter")
                yield OptionList(id="ps-groups")
                yield Label("", id="ps-items-label", classes="ps-heading")
                yield OptionList(id="ps-items")
                yield Label("Папка для PDF", classes="ps-heading")
                yield Input(value=DEFAULT_FOLDER, id="ps-folder")
            with Vertical(id="ps-result"):
                yield Static("Выберите, что печатать, и нажмите F5.", id="ps-status")
                yield ProgressBar(id="ps-progress", show_eta=False)
                yield TextArea("", id="ps-preview", read_only=True, soft_wrap=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Печать"
        self.query_one("#ps-kind", OptionList).highlighted = 0
        self.query_one("#ps-kind", OptionList).focus()
        self.query_one("#ps-progress").display = False
        self._show_kind()
        self._load_years()

    # --- state of the form -------------------------------------------------------------

    @property
    def kind(self) -> PrintKind:
        """The printout highlighted."""
        return KINDS[self.query_one("#ps-kind", OptionList).highlighted or 0]

    def _highlighted_id(self, selector: str) -> str | None:
        options = self.query_one(selector, OptionList)
        index = options.highlighted
        return None if index is None else options.get_option_at_index(index).id

    @property
    def year(self) -> YearOption | None:
        """The academic year chosen."""
        value = self.query_one("#ps-year", Select).value
        return next((y for y in self.years if y.id == value), None)

    @property
    def period(self) -> int | None:
        """The period's number, or None for the year."""
        chosen = self._highlighted_id("#ps-period")
        return None if chosen in (None, f"p{YEAR}") else int(str(chosen)[1:])

    @property
    def group(self) -> GroupRef | None:
        """The group chosen; None for «все группы» or nothing."""
        chosen = self._highlighted_id("#ps-groups")
        return None if chosen in (None, ALL) else next(
            (g for g in self.groups if f"g{g.id}" == chosen), None)

    def request(self) -> PrintRequest | None:
        """The request the form describes, or None (with a notice) when something is missing."""
        year = self.year
        if year is None:
            self.notify("Выберите учебный год.", severity="warning")
            return None
        kind, group = self.kind, self.group
        item = self._highlighted_id("#ps-items")
        item_id = int(item[1:]) if item else None
        if kind.per_group:
            all_groups = self._highlighted_id("#ps-groups") == ALL
            if group is None and not all_groups:
                self.notify("Выберите группу.", severity="warning")
                return None
            return PrintRequest(kind, groups=(group.name,) if group else (), all_groups=all_groups,
                                year=year.id, period=self.period)
        if item_id is None:
            self.notify("Выберите ведомость." if kind is PrintKind.STATEMENT
                        else "Выберите группу и обучающегося.", severity="warning")
            return None
        if kind is PrintKind.STATEMENT:
            return PrintRequest(kind, statement_id=item_id)
        return PrintRequest(kind, student_id=item_id, year=year.id, period=self.period)

    # --- lists ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="lists")
    def _load_years(self) -> None:
        years = list_years(self.session)
        self.app.call_from_thread(self._show_years, years)

    def _show_years(self, years: list[YearOption]) -> None:
        self.years = years
        select = self.query_one("#ps-year", Select)
        select.set_options([(y.title + (" (текущий)" if y.current else ""), y.id) for y in years])
        current = next((y for y in years if y.current), years[0] if years else None)
        if current is not None:
            select.value = current.id
        else:
            self._status("В базе нет учебных годов: печатать нечего.")

    @on(Select.Changed, "#ps-year")
    def _year_changed(self) -> None:
        year = self.year
        periods = self.query_one("#ps-period", OptionList)
        periods.clear_options()
        if year is None:
            return
        periods.add_options([Option(title, id=f"p{number}") for number, title in year.periods])
        periods.add_option(Option("Весь учебный год", id=f"p{YEAR}"))
        periods.highlighted = len(year.periods)
        self._load_groups(year.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lists")
    def _load_groups(self, year_id: int) -> None:
        groups = list_groups(self.session, year_id)
        self.app.call_from_thread(self._show_groups, groups)

    def _show_groups(self, groups: list[GroupRef]) -> None:
        self.groups = groups
        self._filter_groups()

    @on(Input.Changed, "#ps-filter")
    def _filter_groups(self) -> None:
        words = self.query_one("#ps-filter", Input).value.lower().split()
        options = self.query_one("#ps-groups", OptionList)
        options.clear_options()
        if self.kind is not PrintKind.STUDENT and not words:
            options.add_option(Option(f"Все группы ({len(self.groups)})", id=ALL))
        options.add_options([Option(g.name, id=f"g{g.id}") for g in self.groups
                             if all(w in g.name.lower() for w in words)])
        options.highlighted = 0 if options.option_count else None
        self._refresh_items()

    @on(OptionList.OptionHighlighted, "#ps-kind")
    def _kind_changed(self) -> None:
        self._show_kind()
        self._filter_groups()

    @on(OptionList.OptionHighlighted, "#ps-groups")
    def _group_changed(self) -> None:
        self._refresh_items()

    @on(OptionList.OptionSelected)
    def _next_field(self) -> None:
        self.focus_next()

    def _show_kind(self) -> None:
        kind = self.kind
        needs_items = kind in (PrintKind.STATEMENT, PrintKind.STUDENT)
        self.query_one("#ps-items-label", Label).update(
            "Ведомость" if kind is PrintKind.STATEMENT else "Обучающийся")
        for selector in ("#ps-items-label", "#ps-items"):
            self.query_one(selector).display = needs_items

    def _refresh_items(self) -> None:
        year, kind = self.year, self.kind
        self.query_one("#ps-items", OptionList).clear_options()
        if year is None or kind.per_group:
            return
        group = self.group
        if kind is PrintKind.STUDENT and group is None:
            return
        self._load_items(kind, year.id, group.id if group else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="items")
    def _load_items(self, kind: PrintKind, year_id: int, group_id: int | None) -> None:
        items = (list_statements(self.session, year_id, group_id)
                 if kind is PrintKind.STATEMENT else list_students(self.session, group_id or 0))
        self.app.call_from_thread(self._show_items, items)

    def _show_items(self, items: list[ItemOption]) -> None:
        self.items = items
        options = self.query_one("#ps-items", OptionList)
        options.clear_options()
        options.add_options([Option(item.label, id=f"i{item.id}") for item in items])
        options.highlighted = 0 if items else None

    # --- printing ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing now are hidden."""
        if action == "stop":
            return self.running
        if action == "back":
            return not self.running
        if action == "prepare":
            return not self.running
        if action == "save":
            return bool(self.staged) and not self.running
        if action == "send":
            return bool(self.session.settings.printer) and bool(self.staged or self.saved) \
                and not self.running
        return True

    def _status(self, text: str) -> None:
        self.query_one("#ps-status", Static).update(text)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.query_one("#ps-progress").display = running
        self.refresh_bindings()

    def action_prepare(self) -> None:
        """Read the data and lay the PDF out in a staging folder; show pages and preview."""
        request = self.request()
        if request is None:
            return
        self._discard_staging()
        self.staging = Path(tempfile.mkdtemp(prefix="ejournal-print-"))
        self.cancel.clear()
        self.saved = []
        self._status("Чтение данных…")
        self.query_one("#ps-preview", TextArea).load_text("")
        self._set_running(True)
        self._prepare(request, self.staging)

    @work(thread=True, exclusive=True, exit_on_error=False, group="print")
    def _prepare(self, request: PrintRequest, staging: Path) -> None:
        from printing.registry import printing_renderers

        renderers = printing_renderers()
        previews: list[str] = []

        def keep_preview(doc: Document) -> None:
            if not previews:
                previews.append(preview_text(doc, renderers))

        def progress(done: int, total: int, what: str) -> None:
            self.app.call_from_thread(self._progress, done, total, what)

        conn = self.session.new_connection()
        try:
            files = print_job(conn, request, staging, renderers=renderers, progress=progress,
                              cancel=self.cancel, on_document=keep_preview)
        except PrintCancelled as stopped:
            self.app.call_from_thread(self._prepared, stopped.files, previews[0] if previews else "",
                                      stopped.message)
            return
        except BaseException:
            self.app.call_from_thread(self._set_running, False)
            self.app.call_from_thread(self._status, "Печать не выполнена.")
            raise
        finally:
            conn.close()
        self.app.call_from_thread(self._prepared, files, previews[0] if previews else "", "")

    def _progress(self, done: int, total: int, what: str) -> None:
        self.query_one("#ps-progress", ProgressBar).update(total=max(total, 1), progress=done)
        suffix = "  Esc — остановить." if total > 1 else ""
        self._status(f"{what} ({done} из {total}).{suffix}")

    def _prepared(self, files: list[PrintedFile], preview: str, note: str) -> None:
        self.staged = files
        self._set_running(False)
        folder = self.query_one("#ps-folder", Input).value.strip() or DEFAULT_FOLDER
        head = f"{note} " if note else ""
        if files:
            self._status(f"{head}Готово к записи: {pages_text(files)}. F2 — записать в {folder}.")
        else:
            self._status(f"{head}Нечего записывать.")
        self.query_one("#ps-preview", TextArea).load_text(
            preview or "Текстового просмотра для этого вида нет.")

    def action_stop(self) -> None:
        """Stop a long run before its next file."""
        self.cancel.set()
        self._status("Останавливается после текущего файла…")

    def action_save(self) -> None:
        """Move the prepared files into the chosen folder."""
        folder = self.query_one("#ps-folder", Input).value.strip() or DEFAULT_FOLDER
        self._save(folder, send=False)

    def action_send(self) -> None:
        """Send the written files to the printer (writing the prepared ones first)."""
        folder = self.query_one("#ps-folder", Input).value.strip() or DEFAULT_FOLDER
        self._save(folder, send=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, folder: str, send: bool) -> None:
        if self.staged:
            self.saved = move_printed(self.staged, folder)
            self.staged = []
            self.app.call_from_thread(self._status, f"Записано в {Path(folder).expanduser()}: "
                                      f"{pages_text(self.saved)}.")
        if send:
            outcome = send_to_printer([f.path for f in self.saved], self.session.settings.printer)
            self.app.call_from_thread(self.notify, outcome.message,
                                      severity="information" if outcome.sent else "warning")
        self.app.call_from_thread(self.refresh_bindings)

    def _discard_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging, self.staged = None, []

    def action_back(self) -> None:
        """Back to the previous screen (prepared but unsaved files are discarded)."""
        self._discard_staging()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.cancel.set()
        self._discard_staging()
