"""The sheet of one attestation statement (ведомость, R6): the grid, typing, saving, closing.

:class:`StatementSheetScreen` is the part of ``StatementsScreen`` that shows one statement: one
column of marks typed from the keyboard (each student's semester mean and R7 final beside it),
saved through the program's saver (outbox first, then the database), closed with F9 and reopened
by the admin with a reason. The list of statements and the moves between them are in
``tui.screens.statements.screen``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from core.journal.outbox import CellEdit
from core.journal.page import CellValue, Change
from core.journal.saver import Saver, SaveReport
from core.session import UserSession
from core.statements.sheet import (
    STATEMENT_KEYS,
    SheetLine,
    StatementSheet,
    legend,
    mean_text,
    parse_statement_key,
    statement_text,
)
from kernel.errors import EJournalError
from kernel.marks import StatementValue
from tui.saving import SaveReported
from tui.screens.base import ShowsWorkerErrors
from tui.screens.statements import helps
from tui.typed_since import ReadStart, TypedSince

COLUMNS = (("n", "№"), ("name", "Обучающийся"), ("book", "Зач. книжка"), ("value", "Отметка"),
           ("mean", "Ср. балл"), ("by_mean", "По текущим"), ("final", "Итог семестра"))


def _key_names(char: str) -> str:
    """The keys that type ``char`` (a key of ``STATEMENT_KEYS``): the character in either
    case; «-» is the key named ``minus``."""
    return "minus" if char == "-" else ",".join(dict.fromkeys((char, char.upper())))


class StatementSheetScreen(ShowsWorkerErrors, Screen[None]):
    """The sheet of one statement; the screen that lists them builds on it."""

    HELP: ClassVar[str] = helps.SHEET
    BINDINGS: ClassVar[list[BindingType]] = [
        # answered in the key's own turn, as the journal grid's: typed just before Ctrl+Q or
        # F1 (the program's own keys, answered at once), a key answered later was lost
        *(Binding(_key_names(char), f"type_key('{char}')", "Отметка", show=False, priority=True)
          for char in STATEMENT_KEYS),
        Binding("delete,backspace", "type_key('')", "Стереть", show=False, priority=True),
    ]

    session: UserSession
    _load_list: Callable[[], object]  # the list of statements, re-read after closing

    def __init__(self) -> None:
        super().__init__()
        self.sheet: StatementSheet | None = None
        self.saver: Saver | None = None
        self._asking = False
        self.typed: TypedSince[tuple[int, int]] = TypedSince(self._pending_lines)
        """The lines (statement, student) a re-read must leave as the screen shows them."""

    @property
    def in_sheet(self) -> bool:
        """The sheet of a statement is shown."""
        return self.query_one(ContentSwitcher).current == "st-sheet-view"

    # --- the sheet --------------------------------------------------------------------

    def _open(self, statement_id: int) -> None:
        self._read_sheet(statement_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sheet")
    def _read_sheet(self, statement_id: int) -> None:
        from core.statements.service import read_statement

        start = self.typed.begins()
        sheet = read_statement(self.session, statement_id)
        self.app.call_from_thread(self._show_sheet, sheet, start)

    def _show_sheet(self, sheet: StatementSheet, start: ReadStart[tuple[int, int]]) -> None:
        previous = self.sheet.info.statement_id if self.sheet else None
        self._keep_typed(sheet, start)
        self.sheet = sheet
        if sheet.editable:
            self._start_saving()
        for edit in self._edits():  # typed, not yet confirmed: shown as typed
            sheet.set_value(edit.change.student_id, _statement_value(edit.change.new))
        self.query_one("#st-title", Static).update(self._title_text(sheet))
        self.query_one("#st-legend", Static).update(legend(sheet.info.form) if sheet.editable else "")
        table = self.query_one("#st-table", DataTable)
        row = table.cursor_row if previous == sheet.info.statement_id else 0
        table.clear()
        for n, line in enumerate(sheet.lines, start=1):
            table.add_row(str(n), line.name, line.record_book, *self._figures(line), key=str(line.student_id))
        self.query_one(ContentSwitcher).current = "st-sheet-view"
        table.focus()
        table.move_cursor(row=min(row, max(0, len(sheet.lines) - 1)))
        self._update_status()
        self.refresh_bindings()

    def _keep_typed(self, sheet: StatementSheet, start: ReadStart[tuple[int, int]]) -> None:
        """Lines typed since the read began (or waiting then) keep the screen's value."""
        old = self.sheet
        if old is None or old.info.statement_id != sheet.info.statement_id:
            return
        shown = {line.student_id: line.value for line in old.lines}
        here = {line.student_id for line in sheet.lines}
        for statement, student in self.typed.kept_from(start):
            if statement == sheet.info.statement_id and student in shown and student in here:
                sheet.set_value(student, shown[student])

    def _figures(self, line: SheetLine) -> tuple[str, str, str, str]:
        assert self.sheet is not None
        by_mean = self.sheet.by_mean(line)
        value = statement_text(line.value) or (f"[dim]{line.away}[/]" if line.away else "")
        return (value, mean_text(by_mean.mean), by_mean.text,
                self.sheet.final(line).text)

    @staticmethod
    def _title_text(sheet: StatementSheet) -> str:
        info = sheet.info
        number = f"№ {info.number} · " if info.number else ""
        day = f"{info.held_on:%d.%m.%Y}" if info.held_on else "не указана"
        lines = [f"[b]Ведомость {number}{info.form}[/b] · {info.group} · {info.discipline} · "
                 f"{info.period_title}",
                 f"Дата: {day} · Экзаменатор: {info.examiner_name or 'не указан'}"]
        if info.closed_at is not None:
            lines.append(f"[b red]Закрыта {info.closed_at:%d.%m.%Y %H:%M}, {info.closed_by}"
                         " — только чтение[/]")
        elif not sheet.may_edit:
            lines.append("[dim]Только чтение[/dim]")
        for at, who, reason in sheet.history:
            lines.append(f"[dim]Открыта заново {at:%d.%m.%Y %H:%M} ({who}): {reason}[/dim]")
        return "\n".join(lines)

    def action_type_key(self, char: str) -> None:
        """A typed mark goes into the current row and the cursor moves down ('': Del)."""
        self._type(char or None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Marks go to the sheet only while its table has the keys (elsewhere, in the filter
        say, they are text)."""
        if action == "type_key":
            return (self.in_sheet and self.sheet is not None
                    and self.query_one("#st-table").has_focus)
        return True

    def _type(self, char: str | None) -> None:
        sheet, table = self.sheet, self.query_one("#st-table", DataTable)
        if sheet is None or not sheet.lines:
            return
        if not sheet.editable:
            self.notify("Ведомость закрыта: изменения не принимаются." if sheet.info.closed
                        else "Заполнять ведомости могут преподаватель и учебная часть.",
                        title="Только чтение")
            return
        try:
            value = None if char is None else parse_statement_key(char, sheet.info.form)
        except EJournalError as exc:
            self.notify(exc.message, title=exc.title, severity="warning")
            return
        line = sheet.lines[table.cursor_row]
        try:
            sheet.check_typed(line, value)
        except EJournalError as exc:
            self.notify(exc.message, title=exc.title, severity="warning")
            return
        if value != line.value and self.saver is not None:
            # Written to the outbox (one write, one fsync) before the sheet shows it.
            self.saver.submit(sheet.info.load_id, [Change(line.student_id, 0, None, line.value, value,
                                                          statement_id=sheet.info.statement_id)])
            self.typed.typed([(sheet.info.statement_id, line.student_id)])
            sheet.set_value(line.student_id, value)
            self._redraw(line.student_id)
            self._update_status()
        if char is not None:   # down, past the students not studying on the date
            below = [n for n, other in enumerate(sheet.lines) if n > table.cursor_row and not other.away]
            table.move_cursor(row=below[0] if below else table.cursor_row + 1)

    def _redraw(self, student_id: int) -> None:
        assert self.sheet is not None
        table = self.query_one("#st-table", DataTable)
        line = self.sheet.lines[self.sheet.row_of(student_id)]
        for (key, _label), text in zip(COLUMNS[3:], self._figures(line), strict=True):
            table.update_cell(str(student_id), key, text)

    # --- saving (the program's saver: outbox first, then the database) ------------------

    def _start_saving(self) -> None:
        if self.saver is None:
            self.saver = self.session.saver()
            self.saver.subscribe(self._post)

    def _post(self, report: SaveReport) -> None:
        self.post_message(SaveReported(report))

    def on_unmount(self) -> None:
        """Stop following the saver (it goes on for the rest of the program)."""
        if self.saver is not None:
            self.saver.unsubscribe(self._post)

    def _pending_lines(self) -> set[tuple[int, int]]:
        """The lines (statement, student) whose typed value is not confirmed yet."""
        edits = self.saver.edits() if self.saver is not None else []
        return {(e.change.statement_id, e.change.student_id) for e in edits
                if e.change.statement_id is not None}

    def _edits(self) -> list[CellEdit]:
        sheet = self.sheet
        if self.saver is None or sheet is None:
            return []
        return self.saver.edits(statement=sheet.info.statement_id)

    def on_save_reported(self, message: SaveReported) -> None:
        """Conflicts show the stored value; refusals are explained; old corrections ask why."""
        sheet = self.sheet
        if sheet is not None and self.saver is not None and not self._asking:
            held = [e for e in self._edits() if e.parked is not None]
            for edit in [e for e in held if e.parked is not None and e.parked.state == "conflict"]:
                self._take_stored(edit, "Отметку уже изменил другой пользователь: показано "
                                  "сохранённое значение.", "warning")
            refused = [e for e in held if e.parked is not None and e.parked.state == "refused"]
            for edit in refused:
                self._take_stored(edit, edit.parked.why if edit.parked else "", "error")
            reasons = [e for e in held if e.parked is not None and e.parked.state == "reason"]
            if reasons:
                self._ask_reason(reasons)
            if refused:
                self._read_sheet(sheet.info.statement_id)
        self._update_status()

    def _take_stored(self, edit: CellEdit, text: str, severity: SeverityLevel) -> None:
        assert self.saver is not None and self.sheet is not None
        self.saver.drop([edit])
        found = edit.parked.found if edit.parked is not None else None
        student = edit.change.student_id
        if student in {line.student_id for line in self.sheet.lines}:
            self.sheet.set_value(student, _statement_value(found))
            self._redraw(student)
        self.notify(text, title="Отметка не сохранена", severity=severity, timeout=10)

    def _ask_reason(self, edits: list[CellEdit]) -> None:
        from tui.dialogs.prompt import PromptScreen

        self._asking = True
        why = edits[0].parked.why if edits[0].parked is not None else ""
        self.app.push_screen(PromptScreen("Нужна причина исправления", f"{why}\nПричина исправления "
                                          "(Esc — оставить прежние отметки):"),
                             lambda reason: self._reason_given(edits, reason))

    def _reason_given(self, edits: list[CellEdit], reason: str | None) -> None:
        self._asking = False
        if self.saver is None:
            return
        if reason and reason.strip():
            self.saver.give_reason(edits, reason.strip())
        else:
            self.saver.drop(edits)
            if self.sheet is not None:
                self._read_sheet(self.sheet.info.statement_id)
        self._update_status()

    def _update_status(self) -> None:
        waiting = len(self._edits())
        sheet = self.sheet
        offline = self.saver is not None and not self.saver.online
        if waiting and offline:
            text = (f"[b red]Нет связи с сервером[/]: {waiting} изм. ждут отправки "
                    "(сохранены на диске)")
        elif waiting:
            text = f"Сохранение… ({waiting})"
        elif sheet is None:
            text = ""
        else:
            empty = len(sheet.empty_lines())
            left = f" · не заполнено: {empty}" if empty else " · заполнены все"
            text = f"[green]Все изменения сохранены[/]{left}"
        self.query_one("#st-status", Static).update(text)

    # --- closing and reopening ---------------------------------------------------

    def action_close_statement(self) -> None:
        """Close (sign) the statement after a confirmation; it becomes read-only."""
        from tui.dialogs.confirm import ConfirmScreen

        if self.sheet is None or self._edits():
            self.notify("Дождитесь сохранения отметок.", title="Ведомость")
            return
        self.app.push_screen(ConfirmScreen(
            "Закрыть ведомость",
            "После закрытия отметки ведомости изменить нельзя; открыть заново может только "
            "заведующий учебной частью, указав причину. Закрыть?", yes="Закрыть"),
            self._close_if)

    def _close_if(self, yes: bool | None) -> None:
        if yes:
            self._close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sheet")
    def _close(self) -> None:
        from core.statements.closing import close_statement
        from core.statements.service import read_statement

        assert self.sheet is not None
        close_statement(self.session, self.sheet)
        start = self.typed.begins()
        sheet = read_statement(self.session, self.sheet.info.statement_id)
        self.app.call_from_thread(self._show_sheet, sheet, start)
        self.app.call_from_thread(self.notify, "Ведомость закрыта.", title="Ведомость")
        self.app.call_from_thread(self._load_list)

    def action_reopen(self) -> None:
        """Reopen a closed statement (the admin), with a reason kept in the history."""
        from tui.dialogs.prompt import PromptScreen

        self.app.push_screen(PromptScreen("Открыть ведомость заново",
                                          "Причина (сохраняется в истории исправлений):"),
                             self._reopen_if)

    def _reopen_if(self, reason: str | None) -> None:
        if reason:
            self._reopen(reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sheet")
    def _reopen(self, reason: str) -> None:
        from core.statements.closing import reopen_statement
        from core.statements.service import read_statement

        assert self.sheet is not None
        reopen_statement(self.session, self.sheet.info.statement_id, reason)
        start = self.typed.begins()
        sheet = read_statement(self.session, self.sheet.info.statement_id)
        self.app.call_from_thread(self._show_sheet, sheet, start)
        self.app.call_from_thread(self._load_list)


def _statement_value(value: CellValue | str) -> StatementValue | None:
    """A statement mark from an outbox value or a value found in the database."""
    if value is None:
        return None
    return StatementValue(value if isinstance(value, str) else value.value)
