"""«Администрирование»: backups (now, list, verify, schedule), closing a year, printing.

Every action runs in a worker thread through the same functions as ``ejournal backup …`` and
``ejournal year …``. A backup is made by the backup role, whose password this OS account
must be allowed to read (the administrators' OS group); the person's own login only reads
the years and closes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Log, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from core.session import UserSession
from kernel.errors import EJournalError
from tui.screens.admin import helps
from tui.screens.base import ShowsWorkerErrors
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from core.archive.year import AcademicYear
    from core.backup.status import BackupOverview, DestinationStatus
    from core.backup.store import StoredCopy

PRINT_SCREEN = "tui.screens.admin.print:PrintScreen"
MENU = (   # action, menu line, key, the key's word in the footer
    ("backup", "Создать резервную копию сейчас", "F5", "Копия сейчас"),
    ("verify", "Проверить выбранную копию", "F6", "Проверить копию"),
    ("close_year", "Закрыть учебный год…", "F8", "Закрыть год"),
    ("reopen_year", "Вернуть год из архива…", "F7", "Вернуть год"),
    ("open_print", "Печать", "F9", "Печать"),
    ("open_accounts", "Учётные записи сотрудников", "F4", "Учётные записи"),
    ("reload", "Обновить сведения", "F2", "Обновить"),
)


class AdminScreen(ShowsWorkerErrors, Screen[None]):
    """The administrator's screen: backups, the year archive and the entry to printing."""

    HELP: ClassVar[str] = helps.ADMIN

    CSS_PATH = "admin.tcss"
    BINDINGS = [Binding("escape", "back", "Назад"),
                *(Binding(key.lower(), action, word) for action, _, key, word in MENU)]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.busy = False
        self.copies: list[StoredCopy] = []
        self.years: list[AcademicYear] = []
        self.can_back_up = True

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="admin-body"):
            with Vertical(id="admin-left"):
                yield Label("Действия", classes="admin-heading")
                yield OptionList(*self._menu(), id="admin-menu")
            with Vertical(id="admin-right"):
                yield Label("Места хранения резервных копий", classes="admin-heading")
                yield Static("Загрузка…", id="admin-places")
                yield Static("", id="admin-schedule")
                yield Label("Копии (выберите строку, F6 — проверить)", classes="admin-heading")
                yield DataTable(id="admin-copies", cursor_type="row", zebra_stripes=True)
                yield Label("Учебные годы (F8 — закрыть выбранный)", classes="admin-heading")
                yield DataTable(id="admin-years", cursor_type="row")
                yield Label("Ход работы", classes="admin-heading")
                yield ProgressBar(id="admin-progress", show_eta=False)
                yield Log(id="admin-log", max_lines=500)
                yield Static("", id="admin-result")
        yield KeysFooter()

    def _menu(self) -> list[Option]:
        return [Option(f"{title} [dim]{key}[/dim]", id=action) for action, title, key, _ in MENU]

    def on_mount(self) -> None:
        self.sub_title = "Администрирование"
        copies = self.query_one("#admin-copies", DataTable)
        copies.add_columns("Место", "Копия", "Вид", "Создана", "Размер", "sha256 дампа", "Строк")
        self.query_one("#admin-years", DataTable).add_columns("Год", "Начало", "Конец", "Состояние")
        self.query_one("#admin-progress", ProgressBar).display = False
        self.query_one("#admin-menu", OptionList).focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that do nothing now (busy, no copy, no year)."""
        if action in ("backup", "verify", "close_year", "reopen_year") and self.busy:
            return False
        if action == "backup":
            return self.can_back_up
        if action == "verify":
            return bool(self.copies)
        if action == "close_year":
            return bool(self.years)
        if action == "reopen_year":
            return any(y.archived for y in self.years)
        return True

    @on(OptionList.OptionSelected, "#admin-menu")
    def _menu_chosen(self, event: OptionList.OptionSelected) -> None:
        action = str(event.option.id)
        if self.check_action(action, ()) is not True:
            self.notify("Сейчас это действие недоступно.", severity="warning")
            return
        getattr(self, f"action_{action}")()

    # -- loading ----------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Re-read the destinations, copies, schedule and years."""
        self._load()

    @work(thread=True, exclusive=True, group="admin-load", exit_on_error=False)
    def _load(self) -> None:
        from core.archive.year import list_years
        from core.backup.status import backup_overview, list_copies

        settings = self.session.settings
        overview = backup_overview(settings)
        copies = list_copies(settings)
        years = list_years(self.session)
        self.app.call_from_thread(self._show, overview, copies, years)

    def _show(self, overview: BackupOverview, copies: list[StoredCopy], years: list[AcademicYear]) -> None:
        self.copies, self.years = copies, years
        self.can_back_up = overview.credentials is None
        lines = [self._place_line(d) for d in overview.destinations]
        if not lines:
            from rich.markup import escape

            from core.backup.config import no_destinations_message

            lines = [f"[b red]{escape(no_destinations_message())}[/]"]
        elif len(lines) < overview.min_copies:
            lines.append(f"[b red]Нужно не меньше {overview.min_copies} мест на разных носителях.[/]")
        if overview.credentials:
            lines.append(f"[b red]Создать копию с этой учётной записи нельзя: {overview.credentials}.[/]")
        self.query_one("#admin-places", Static).update("\n".join(lines))
        self.query_one("#admin-schedule", Static).update(overview.schedule.describe())
        self._fill_copies(copies)
        self._fill_years(years)
        self.refresh_bindings()

    @staticmethod
    def _place_line(dest: DestinationStatus) -> str:
        from rich.markup import escape

        text = escape(dest.describe())
        failed = dest.problem is not None or dest.last_ok is False
        return f"[red]✗ {text}[/]" if failed else f"[green]✓[/] {text}"

    def _fill_copies(self, copies: list[StoredCopy]) -> None:
        from core.backup.store import KIND_TITLES, human_size

        table = self.query_one("#admin-copies", DataTable)
        table.clear()
        for index, c in enumerate(copies):
            m = c.manifest
            digest = m.files["journal.dump"].sha256[:16] if m and "journal.dump" in m.files else "—"
            table.add_row(
                str(c.destination), c.name, KIND_TITLES.get(c.stamp.kind, c.stamp.kind),
                f"{c.stamp.created_at:%d.%m.%Y %H:%M}", human_size(m.size) if m else "ПОВРЕЖДЕНА",
                digest, str(m.total_rows) if m else "—", key=str(index))

    def _fill_years(self, years: list[AcademicYear]) -> None:
        table = self.query_one("#admin-years", DataTable)
        table.clear()
        for index, y in enumerate(years):
            state = f"в архиве с {y.archived_at:%d.%m.%Y}" if y.archived else "открыт"
            table.add_row(y.title, f"{y.starts_on:%d.%m.%Y}", f"{y.ends_on:%d.%m.%Y}", state,
                          key=str(index))

    # -- running a task ---------------------------------------------------------------------

    def _begin(self, text: str) -> None:
        self.busy = True
        self.query_one("#admin-progress", ProgressBar).display = True
        self.query_one("#admin-progress", ProgressBar).update(total=None)
        result = self.query_one("#admin-result", Static)
        result.set_classes("")
        result.update("")
        self.query_one("#admin-log", Log).write_line(text)
        self.refresh_bindings()

    def _step(self, text: str) -> None:
        self.query_one("#admin-log", Log).write_line(text)

    def _end(self, ok: bool, lines: list[str]) -> None:
        self.busy = False
        self.query_one("#admin-progress", ProgressBar).display = False
        log = self.query_one("#admin-log", Log)
        for line in lines[1:]:
            log.write_line(line)
        result = self.query_one("#admin-result", Static)
        result.set_classes("-ok" if ok else "-failed")
        result.update(lines[0] if lines else "")
        self.refresh_bindings()
        self._load()

    def _progress(self, text: str) -> None:
        self.app.call_from_thread(self._step, text)

    def _failed(self, error: EJournalError) -> None:
        self._end(False, [f"ОШИБКА: {error.message}"])

    # -- backup and verify -------------------------------------------------------------------

    def action_backup(self) -> None:
        """Make a copy now, to every destination."""
        self._begin("Создание резервной копии…")
        self._run_backup()

    @work(thread=True, exclusive=True, group="admin-task", exit_on_error=False)
    def _run_backup(self) -> None:
        from core.backup.run import run_backup

        try:
            run = run_backup(self.session.settings, progress=self._progress)
        except EJournalError as exc:
            self.app.call_from_thread(self._failed, exc)
            raise
        lines = [run.summary(), *[f"{'✓' if r.ok else '✗'} {r.destination}: {r.message}"
                                  for r in run.results], *run.notes]
        self.app.call_from_thread(self._end, run.ok, lines)

    def _selected_copy(self) -> Path | None:
        table = self.query_one("#admin-copies", DataTable)
        if not self.copies or table.cursor_row < 0 or table.cursor_row >= len(self.copies):
            return None
        return Path(self.copies[table.cursor_row].path)

    def action_verify(self) -> None:
        """Check the highlighted copy (checksums; a trial restore where this account may)."""
        copy = self._selected_copy()
        if copy is None:
            self.notify("Выберите копию в таблице.", severity="warning")
            return
        self._begin(f"Проверка копии {copy.name}…")
        self._run_verify(copy)

    @work(thread=True, exclusive=True, group="admin-task", exit_on_error=False)
    def _run_verify(self, copy: Path) -> None:
        from core.backup.verify import verify_copy

        try:
            result = verify_copy(self.session.settings, copy, restore=None, progress=self._progress)
        except EJournalError as exc:
            self.app.call_from_thread(self._failed, exc)
            raise
        lines = [result.summary(), *[f"✗ {p}" for p in result.problems]]
        if result.note:
            lines.append(result.note)
        self.app.call_from_thread(self._end, result.ok, lines)

    # -- the year archive --------------------------------------------------------------------

    def _selected_year(self) -> AcademicYear | None:
        table = self.query_one("#admin-years", DataTable)
        if not self.years or not 0 <= table.cursor_row < len(self.years):
            return None
        return self.years[table.cursor_row]

    def action_close_year(self) -> None:
        """Ask, naming what will happen, then close the highlighted year."""
        from core.archive.year import describe_closing
        from tui.dialogs.confirm import ConfirmScreen

        year = self._selected_year()
        if year is None:
            self.notify("Выберите учебный год в таблице.", severity="warning")
            return
        question = describe_closing(self.session, year)

        def answered(yes: bool | None) -> None:
            if yes:
                self._begin(f"Закрытие учебного года {year.title}…")
                self._run_close(year.year_id)

        self.app.push_screen(ConfirmScreen(f"Закрыть учебный год {year.title}?", question,
                                           yes="Закрыть год", no="Отмена"), answered)

    @work(thread=True, exclusive=True, group="admin-task", exit_on_error=False)
    def _run_close(self, year_id: int) -> None:
        from core.archive.year import close_year
        from printing.registry import install_renderers

        install_renderers()  # the year's printouts are rendered by the printing package
        try:
            result = close_year(self.session, year_id, progress=self._progress)
        except EJournalError as exc:
            self.app.call_from_thread(self._failed, exc)
            raise
        lines = result.lines()
        head = (f"Учебный год {result.year.title} закрыт, копия записана." if result.ok
                else f"ОШИБКА: учебный год {result.year.title} закрыт, но копия не записана в нужное "
                     "число мест — повторите закрытие.")
        self.app.call_from_thread(self._end, result.ok, [head, *lines])

    def action_reopen_year(self) -> None:
        """Return the highlighted year from the archive, asking for the reason."""
        from tui.dialogs.prompt import PromptScreen

        year = self._selected_year()
        if year is None or not year.archived:
            self.notify("Выберите учебный год, находящийся в архиве.", severity="warning")
            return

        def answered(reason: str | None) -> None:
            if reason and reason.strip():
                self._begin(f"Возврат учебного года {year.title} из архива…")
                self._run_reopen(year.year_id, reason)

        self.app.push_screen(PromptScreen(f"Вернуть год {year.title} из архива",
                                          "Причина (записывается в историю изменений):"), answered)

    @work(thread=True, exclusive=True, group="admin-task", exit_on_error=False)
    def _run_reopen(self, year_id: int, reason: str) -> None:
        from core.archive.year import reopen_year

        try:
            year = reopen_year(self.session, year_id, reason)
        except EJournalError as exc:
            self.app.call_from_thread(self._failed, exc)
            raise
        self.app.call_from_thread(self._end, True, [f"Учебный год {year.title} возвращён из архива."])

    # -- other screens -----------------------------------------------------------------------

    def _open(self, path: str) -> None:
        import importlib

        module_name, class_name = path.split(":")
        self.app.push_screen(getattr(importlib.import_module(module_name), class_name)(self.session))

    def action_open_print(self) -> None:
        """Open the printing screen."""
        self._open(PRINT_SCREEN)

    def action_open_accounts(self) -> None:
        """Staff accounts: create, block, unblock, new password, roles."""
        from tui.screens.admin.accounts import StaffAccountsScreen

        self.app.push_screen(StaffAccountsScreen(self.session))

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()
