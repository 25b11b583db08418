"""The files of one lesson's homework (issue 16, item 3): list, open, and for the lesson's
teacher (or the office) attach by a path and remove with a confirmation.

Opening saves the file into the person's downloads folder (0600) and shows the path; in a
browser (``ejournal web``) Textual's ``deliver_binary`` makes the browser download it. All
database work runs in workers.
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from core.homework.kinds import HomeworkFile, size_text
from core.homework.store import attach_path, fetch, list_files, remove, save_copy
from core.session import UserSession
from kernel.errors import EJournalError
from tui.dialogs import helps
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.base import ShowsWorkerErrors
from tui.widgets.keys_footer import KeysFooter

MIME = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class HomeworkFilesScreen(ShowsWorkerErrors, ModalScreen[bool]):
    """One lesson's homework files; dismisses True when files were attached or removed.

    Args:
        session: The logged-in session.
        lesson_id: The lesson.
        title: What the lesson is («Математика, 03.12.2026, 2 пара»).
        writable: The person may attach and remove (the lesson's teacher, the office).
    """

    HELP: ClassVar[str] = helps.HOMEWORK_FILES

    DEFAULT_CSS = """
    HomeworkFilesScreen { align: center middle; background: $background 60%; }
    HomeworkFilesScreen .dialog { width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    HomeworkFilesScreen .dialog-title { text-style: bold; }
    HomeworkFilesScreen DataTable { height: auto; max-height: 10; }
    HomeworkFilesScreen #hw-status { height: auto; max-height: 4; }
    """
    BINDINGS = [
        Binding("escape", "close", "Закрыть"),
        Binding("f2", "attach", "Прикрепить"),
        Binding("delete", "remove", "Убрать"),
        Binding("f5", "reload", "Обновить"),
    ]

    def __init__(self, session: UserSession, lesson_id: int, title: str, writable: bool) -> None:
        super().__init__()
        self.session, self.lesson_id, self.title_text = session, lesson_id, title
        self.writable = writable
        self.files: list[HomeworkFile] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Файлы к заданию: {escape(self.title_text)} · занятие № {self.lesson_id}",
                        classes="dialog-title")
            yield DataTable(id="hw-files", cursor_type="row", zebra_stripes=True)
            if self.writable:
                yield Input(placeholder="Путь к файлу на сервере (PDF, DOCX, картинка), Enter",
                            id="hw-path")
            yield Static("Загрузка…", id="hw-status")
            yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#hw-files", DataTable)
        for title, key in (("Файл", "name"), ("Размер", "size"), ("Прикрепил", "added")):
            table.add_column(title, key=key)
        table.focus()
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("attach", "remove"):
            return self.writable
        return True

    # --- reading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="files")
    def _load(self, said: str = "") -> None:
        try:
            files = list_files(self.session, [self.lesson_id]).get(self.lesson_id, [])
        except EJournalError as exc:
            self.app.call_from_thread(self._say, f"Список файлов не прочитан: {exc.message} F5 — повторить.")
            return
        self.app.call_from_thread(self._show, files, said)

    def _show(self, files: list[HomeworkFile], said: str) -> None:
        self.files = files
        table = self.query_one("#hw-files", DataTable)
        keep = table.cursor_row
        table.clear()
        for f in files:
            table.add_row(escape(f.name), size_text(f.size), f"{f.added_at:%d.%m %H:%M} {f.added_by}")
        if files:
            table.move_cursor(row=min(keep, len(files) - 1))
        hint = "Enter — открыть файл." if files else "Файлов к этому заданию нет."
        if self.writable:
            hint += " Путь к файлу — в строке «Путь к файлу», затем Enter или F2."
        self._say(f"{said} {hint}".strip())

    def _say(self, text: str) -> None:
        self.query_one("#hw-status", Static).update(escape(text))

    # --- opening ----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#hw-files")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.files):
            self._say(f"Открывается «{self.files[event.cursor_row].name}»…")
            self._open_file(self.files[event.cursor_row].file_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open_file(self, file_id: int) -> None:
        try:
            item, content = fetch(self.session, file_id)
            if self.app.is_web:
                self.app.call_from_thread(self._deliver, item, content)
                return
            path = save_copy(item.name, content)
        except EJournalError as exc:
            self.app.call_from_thread(self._say, exc.message)
            return
        except OSError as exc:
            self.app.call_from_thread(self._say, f"Файл не сохранён: {exc.strerror or exc}.")
            return
        self.app.call_from_thread(self._say, f"Файл сохранён: {path}")

    def _deliver(self, item: HomeworkFile, content: bytes) -> None:
        self.app.deliver_binary(io.BytesIO(content), save_filename=item.name,
                                mime_type=MIME.get(item.kind), name=item.name)
        self._say(f"Файл «{item.name}» передан браузеру: он появится в загрузках.")

    # --- attaching and removing -------------------------------------------------------

    def action_attach(self) -> None:
        """Attach the file whose path is typed (focus the path line when it is empty)."""
        if not self.writable:
            return
        path = self.query_one("#hw-path", Input)
        if not path.value.strip():
            path.focus()
            self._say("Введите путь к файлу и нажмите Enter.")
            return
        self._say("Файл прикрепляется…")
        self._send_file(path.value.strip())

    @on(Input.Submitted, "#hw-path")
    def _typed(self, _event: Input.Submitted) -> None:
        self.action_attach()

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _send_file(self, path: str) -> None:
        try:
            added = attach_path(self.session, self.lesson_id, path)
        except EJournalError as exc:
            self.app.call_from_thread(self._say, f"Не прикреплён: {exc.message}")
            return
        self.changed = True
        self.app.call_from_thread(self._attached, added)

    def _attached(self, added: HomeworkFile) -> None:
        self.query_one("#hw-path", Input).value = ""
        self.query_one("#hw-files", DataTable).focus()
        self._load(f"Прикреплён «{added.name}».")

    def action_remove(self) -> None:
        """Remove the highlighted file (asks first)."""
        row = self.query_one("#hw-files", DataTable).cursor_row
        if not self.writable or not 0 <= row < len(self.files):
            return
        item = self.files[row]

        def answered(yes: bool | None) -> None:
            if yes:
                self._take_away(item.file_id)

        self.app.push_screen(ConfirmScreen(
            "Убрать файл из задания?",
            f"«{item.name}» пропадёт у обучающихся и родителей. Запись о том, кто и когда его "
            "прикрепил и убрал, останется.", yes="Убрать"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _take_away(self, file_id: int) -> None:
        try:
            gone = remove(self.session, file_id)
        except EJournalError as exc:
            self.app.call_from_thread(self._say, f"Не убран: {exc.message}")
            return
        self.changed = True
        self.app.call_from_thread(self._load, f"Файл «{gone.name}» убран.")

    def action_reload(self) -> None:
        """Read the list again."""
        self._load()

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(self.changed)
