"""The lesson record: topic from the КТП, type, hours, homework, who taught (R3, R5, R17).

Nothing typed is lost to a failure: every refusal is shown in Russian beside its field (or in
the status line when it is not a field's) and the form stays open with what was typed; Esc
asks before dropping typed changes. A record that cannot be read (server down) is a message
with «Повторить», never an empty form. This module reads and saves the record in the
background; the fields, their filling and the refusals beside them are
``tui.screens.journal.lesson_fields``.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import ClassVar

from textual import work
from textual.binding import Binding
from textual.widgets import Button, Static

from core.journal.lesson_record import LessonRecord, propose_lesson, read_choices, read_record, save_record
from core.session import UserSession
from kernel import clock
from kernel.errors import EJournalError, ServerError
from tui.screens.journal import helps
from tui.screens.journal.lesson_fields import KEPT, LessonFields

log = logging.getLogger("ejournal.tui")

UNEXPECTED = "Непредвиденная ошибка; подробности записаны в журнал программы."


class LessonFormScreen(LessonFields):
    """Edit (or create, with ``lesson_id=None``) one lesson's record; dismisses True if saved."""

    HELP: ClassVar[str] = helps.LESSON_FORM

    CSS_PATH = "lesson_form.tcss"
    BINDINGS = [Binding("escape", "cancel", "Отмена"), Binding("ctrl+s", "save", "Сохранить"),
                Binding("f5", "retry", "Повторить")]

    def __init__(self, session: UserSession, load_id: int, lesson_id: int | None,
                 read_only: bool = False) -> None:
        super().__init__(lesson_id, read_only)
        self.session, self.load_id = session, load_id
        self.saved = False
        self.load_failed = False
        self._day_off_asked: date | None = None
        """The date of a new lesson already checked (a study day, or a day off confirmed)."""

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus(scroll_visible=False)   # the form opens at its top
        self._load()

    # --- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        try:
            choices = read_choices(self.session, self.load_id)
            if self.lesson_id is None:
                record = propose_lesson(self.session, self.load_id, clock.today(), 1, unscheduled=True)
            else:
                record = read_record(self.session, self.lesson_id)
        except ServerError:
            self.app.call_from_thread(self._load_failed, "Нет связи с сервером базы данных.")
            return
        except EJournalError as exc:
            self.app.call_from_thread(self._load_failed, exc.message)
            return
        except Exception:
            log.exception("lesson record not loaded")
            self.app.call_from_thread(self._load_failed, UNEXPECTED)
            return
        self.app.call_from_thread(self._show, record, choices)

    def _load_failed(self, message: str) -> None:
        self.load_failed = True
        loading = self.query_one("#lesson-loading", Static)
        loading.update(f"Запись занятия не загружена. {message}")
        loading.add_class("failed")
        self.query_one("#retry").display = True
        self.query_one("#lesson-status", Static).update("F5 — повторить, Esc — закрыть.")
        self.query_one("#retry", Button).focus()
        self.refresh_bindings()

    def action_retry(self) -> None:
        """Read the record again after a failed load."""
        if not self.load_failed:
            return
        self.load_failed = False
        loading = self.query_one("#lesson-loading", Static)
        loading.update("Загрузка записи занятия…")
        loading.remove_class("failed")
        self.query_one("#retry").display = False
        self.query_one("#lesson-status", Static).update("")
        self.query_one("#cancel", Button).focus()
        self.refresh_bindings()
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.load_failed
        if action == "save":
            return self.record is not None and not self.read_only
        return True

    # --- saving -----------------------------------------------------------------------

    def action_save(self) -> None:
        """Check and save the record in the background; a refusal keeps the form as typed."""
        if self.read_only or self.record is None or self.saving:
            return
        record, problems = self._collect()
        if problems or record is None:
            self._show_problems(problems)
            return
        if self.lesson_id is None and record.lesson_date != self._day_off_asked:
            self._check_day_off(record)   # F6: a lesson on a day off only when confirmed
            return
        self._unmark_all()
        self.saving = True
        self.query_one("#save", Button).disabled = True
        self._status("Сохранение…")
        self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="day_off")
    def _check_day_off(self, record: LessonRecord) -> None:
        from core.journal.day_off import read_day_off

        try:
            reason = read_day_off(self.session, record.lesson_date)
        except EJournalError:
            reason = None   # the calendar cannot be read: the database still checks the period
        self.app.call_from_thread(self._day_off_checked, record, reason)

    def _day_off_checked(self, record: LessonRecord, reason: str | None) -> None:
        if reason is None:
            self._day_off_asked = record.lesson_date
            self.action_save()
            return
        from core.journal.day_off import day_off_question
        from tui.dialogs.confirm import ConfirmScreen

        def answered(create: bool | None) -> None:
            if create:
                self._day_off_asked = record.lesson_date
                self.action_save()
            else:
                self._status("Занятие не создано: измените дату (или Ctrl+S и «Создать»).")

        self.app.push_screen(ConfirmScreen("Нерабочий день", day_off_question(record.lesson_date, reason),
                                           yes="Создать", no="Вернуться"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, record: LessonRecord) -> None:
        try:
            save_record(self.session, record)
        except EJournalError as exc:
            self.app.call_from_thread(self._save_failed, exc)
            return
        except Exception:
            log.exception("lesson record not saved")
            self.app.call_from_thread(self._save_failed, EJournalError(UNEXPECTED))
            return
        self.app.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.saving = False
        self.saved = True
        if self.is_attached and self.app.screen is self:
            self.dismiss(True)
        elif self.is_attached:  # Esc was pressed meanwhile: its question closes the form
            self._status("Сохранено.")

    def _save_failed(self, error: EJournalError) -> None:
        self.saving = False
        if not self.is_attached:
            return
        self.query_one("#save", Button).disabled = False
        if isinstance(error, ServerError):
            self._unmark_all()
            self._status("Не сохранено: нет связи с сервером базы данных. "
                         f"{KEPT} — повторите Ctrl+S, когда связь восстановится.", failed=True)
            return
        self._show_problems([error])

    # --- leaving ----------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "retry":
            self.action_retry()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without saving; ask first when something was typed."""
        if not self.edited:
            self.dismiss(False)
            return
        from tui.dialogs.confirm import ConfirmScreen

        def answered(leave: bool | None) -> None:
            if leave or self.saved:
                self.dismiss(self.saved)

        question = ("Тема, задание и другие изменения будут потеряны. Закрыть без сохранения? "
                    "(Сохранить — Ctrl+S)")
        if self.saving:
            question = ("Сохранение ещё не подтверждено сервером. Закрыть, не дожидаясь? "
                        "Если сервер его примет, запись будет сохранена.")
        self.app.push_screen(ConfirmScreen("Запись занятия не сохранена", question,
                                           yes="Закрыть", no="Вернуться"), answered)
