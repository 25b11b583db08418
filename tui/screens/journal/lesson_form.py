"""The lesson record: topic from the КТП, type, hours, homework, who taught (R3, R5, R17).

Nothing typed is lost to a failure: every refusal is shown in Russian beside its field (or in
the status line when it is not a field's) and the form stays open with what was typed; Esc
asks before dropping typed changes. A record that cannot be read (server down) is a message
with «Повторить», never an empty form.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Length
from textual.widgets import Button, Input, Label, Select, Static

from core.journal.lesson_record import TOPIC_MAX, LessonRecord, RecordChoices, record_problems, topic_too_long
from kernel.errors import EJournalError, ServerError, ValidationError
from tui.screens.base import ShowsWorkerErrors

log = logging.getLogger("ejournal.tui")

TEXT_FIELDS = ("topic", "homework", "homework_pages", "homework_tasks", "homework_practical")

SLOT_OF = {
    "lesson_date": "when", "pair_no": "when", "hours": "when",
    "ktp_topic_id": "ktp", "ktp": "ktp", "topic": "topic",
    "lesson_type": "kind", "work_kind": "kind",
    "homework": "homework", "homework_pages": "homework", "homework_tasks": "homework",
    "homework_practical": "homework", "taught_by": "taught_by",
}
"""The error line under which a field's refusal is shown (several fields share a line)."""

WIDGET_OF = {"ktp_topic_id": "ktp"}
"""Record fields whose widget has another id."""

UNEXPECTED = "Непредвиденная ошибка; подробности записаны в журнал программы."
KEPT = "Введённое осталось в форме"


class LessonFormScreen(ShowsWorkerErrors, ModalScreen[bool]):
    """Edit (or create, with ``lesson_id=None``) one lesson's record; dismisses True if saved."""

    CSS_PATH = "lesson_form.tcss"
    BINDINGS = [Binding("escape", "cancel", "Отмена"), Binding("ctrl+s", "save", "Сохранить"),
                Binding("f5", "retry", "Повторить")]

    def __init__(self, session: Any, load_id: int, lesson_id: int | None, read_only: bool = False) -> None:
        super().__init__()
        self.session, self.load_id, self.lesson_id = session, load_id, lesson_id
        self.read_only = read_only
        self.record: LessonRecord | None = None
        self.choices: RecordChoices | None = None
        self.saving = False
        self.saved = False
        self.load_failed = False
        self._ktp_applied: object = None
        """The КТП topic whose title, type and hours the fields were last filled from."""
        self._shown: tuple[object, ...] | None = None
        """The fields as filled from the database (to tell whether anything was typed)."""

    def compose(self) -> ComposeResult:
        heading = "Новое занятие (не по расписанию)" if self.lesson_id is None else "Запись занятия"
        with VerticalScroll(id="lesson-box"):
            yield Label(heading, id="lesson-heading")
            yield Static("Загрузка записи занятия…", id="lesson-loading")
            with Vertical(id="lesson-fields"):
                with Horizontal(classes="row"):
                    yield Label("Дата", classes="caption")
                    yield Input(placeholder="ДД.ММ.ГГГГ", id="lesson_date", classes="short")
                    yield Label("Пара", classes="caption")
                    yield Input(id="pair_no", classes="tiny", type="integer")
                    yield Label("Часов", classes="caption")
                    yield Input(id="hours", classes="tiny", type="integer")
                yield Static("", id="error-when", classes="field-error")
                yield Label("Тема из КТП")
                yield Select[int]([], id="ktp", prompt="— выберите тему КТП —")
                yield Static("", id="error-ktp", classes="field-error")
                with Horizontal(classes="caption-row"):
                    yield Label("Тема занятия")
                    yield Static(f"0/{TOPIC_MAX}", id="topic-count")
                yield Input(id="topic", validators=[Length(maximum=TOPIC_MAX)])
                yield Static("", id="error-topic", classes="field-error")
                with Horizontal(classes="row"):
                    yield Select[str]([], id="lesson_type", prompt="Тип занятия")
                    yield Select[str]([], id="work_kind", prompt="Вид работы")
                yield Static("", id="error-kind", classes="field-error")
                yield Label("Домашнее задание: содержание и как выполнять")
                yield Input(id="homework")
                with Horizontal(classes="row"):
                    yield Input(placeholder="страницы учебника", id="homework_pages")
                    yield Input(placeholder="номера заданий", id="homework_tasks")
                yield Input(placeholder="практическая работа", id="homework_practical")
                yield Static("", id="error-homework", classes="field-error")
                yield Label("Провёл(а) занятие (замена — выберите другого преподавателя)")
                yield Select[int]([], id="taught_by", prompt="Преподаватель")
                yield Static("", id="error-taught_by", classes="field-error")
            with Horizontal(classes="row"):
                yield Button("Сохранить (Ctrl+S)", id="save", variant="primary")
                yield Button("Повторить (F5)", id="retry")
                yield Button("Отмена (Esc)", id="cancel")
            yield Static("", id="lesson-status")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._load()

    # --- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        from core.journal.lesson_record import propose_lesson, read_choices, read_record

        try:
            choices = read_choices(self.session, self.load_id)
            if self.lesson_id is None:
                record = propose_lesson(self.session, self.load_id, date.today(), 1, unscheduled=True)
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

    def _show(self, record: LessonRecord, choices: RecordChoices) -> None:
        self.record, self.choices = record, choices
        self.query_one("#lesson-loading").display = False
        self.query_one("#lesson-fields").display = True
        self.query_one("#ktp", Select).set_options(
            [(f"{t.position}. {t.title}{' ✓' if t.used else ''}", t.topic_id) for t in choices.topics])
        self.query_one("#lesson_type", Select).set_options([(t, c) for c, t in choices.lesson_types])
        self.query_one("#work_kind", Select).set_options([(t, c) for c, t in choices.work_kinds])
        self.query_one("#taught_by", Select).set_options([(n, i) for i, n in choices.teachers])
        self._fill(record)
        self._shown = self._values()
        for widget in self.query("Input, Select"):
            widget.disabled = self.read_only
        self.query_one("#save", Button).display = not self.read_only
        self.query_one("#topic" if not self.read_only else "#cancel").focus()
        self.refresh_bindings()

    def _fill(self, record: LessonRecord) -> None:
        self.query_one("#lesson_date", Input).value = f"{record.lesson_date:%d.%m.%Y}"
        self.query_one("#pair_no", Input).value = str(record.pair_no)
        self.query_one("#hours", Input).value = str(record.hours)
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(record, name)
        self._ktp_applied = record.ktp_topic_id
        if record.ktp_topic_id is not None:
            self.query_one("#ktp", Select).value = record.ktp_topic_id
        self.query_one("#lesson_type", Select).value = record.lesson_type
        self.query_one("#work_kind", Select).value = record.work_kind
        if any(i == record.taught_by for i, _n in (self.choices.teachers if self.choices else ())):
            self.query_one("#taught_by", Select).value = record.taught_by

    # --- typing -----------------------------------------------------------------------

    @on(Select.Changed, "#ktp")
    def _topic_chosen(self, event: Select.Changed) -> None:
        if self.choices is None or event.value is Select.NULL or event.value == self._ktp_applied:
            return  # filling the form from the record must not overwrite the topic typed there
        self._ktp_applied = event.value
        topic = next((t for t in self.choices.topics if t.topic_id == event.value), None)
        if topic is None:
            return
        self.query_one("#topic", Input).value = topic.title
        self.query_one("#lesson_type", Select).value = topic.lesson_type
        self.query_one("#hours", Input).value = str(topic.hours)
        if topic.homework and not self.query_one("#homework", Input).value:
            self.query_one("#homework", Input).value = topic.homework

    @on(Input.Changed, "#topic")
    def _count_topic(self, event: Input.Changed) -> None:
        """The topic's length against the limit, red (with how much to cut) when over it."""
        length = len(event.value)
        count = self.query_one("#topic-count", Static)
        count.update(f"{length}/{TOPIC_MAX}")
        count.set_class(length > TOPIC_MAX, "over")
        if length > TOPIC_MAX:
            self._mark("topic", topic_too_long(length))
        elif self.query_one("#error-topic", Static).display:
            self._unmark("topic")

    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | Select.Changed) -> None:
        """A field typed into after a refusal: its error line has done its job."""
        name = event.control.id or ""
        if name != "topic" and self._shown is not None and not self.saving:
            self._unmark(name)

    def _values(self) -> tuple[object, ...]:
        return tuple(widget.value for widget in self.query("Input, Select")
                     if isinstance(widget, (Input, Select)))

    @property
    def edited(self) -> bool:
        """Something was typed or chosen since the record was shown."""
        return not self.read_only and self._shown is not None and self._values() != self._shown

    # --- refusals beside their fields --------------------------------------------------

    def _mark(self, field: str, message: str) -> None:
        """Show ``message`` under the field (its line shared with neighbours is joined)."""
        line = self.query_one(f"#error-{SLOT_OF[field]}", Static)
        line.update(message)
        line.display = True
        widget = self.query_one(f"#{WIDGET_OF.get(field, field)}")
        widget.add_class("field-invalid")

    def _unmark(self, field: str) -> None:
        slot = SLOT_OF.get(field)
        if slot is None:
            return
        line = self.query_one(f"#error-{slot}", Static)
        line.update("")
        line.display = False
        for name, other in SLOT_OF.items():
            if other == slot:
                for widget in self.query(f"#{WIDGET_OF.get(name, name)}"):
                    widget.remove_class("field-invalid")

    def _unmark_all(self) -> None:
        for slot in set(SLOT_OF.values()):
            line = self.query_one(f"#error-{slot}", Static)
            line.update("")
            line.display = False
        for widget in self.query(".field-invalid"):
            widget.remove_class("field-invalid")

    def _status(self, text: str, failed: bool = False) -> None:
        status = self.query_one("#lesson-status", Static)
        status.update(text)
        status.set_class(failed, "failed")

    def _show_problems(self, problems: list[EJournalError]) -> None:
        """Each refusal beside its field (the first one's field focused), the rest in the status."""
        self._unmark_all()
        general = []
        for problem in problems:
            if problem.field in SLOT_OF:
                self._mark(problem.field, problem.message)
            else:
                general.append(problem.message)
        if general:
            self._status(f"Не сохранено: {' '.join(general)} {KEPT}.", failed=True)
        else:
            self._status(f"Не сохранено: исправьте то, что отмечено красным. {KEPT}.", failed=True)
        first = next((p.field for p in problems if p.field in SLOT_OF), None)
        if first is not None:
            self.query_one(f"#{WIDGET_OF.get(first, first)}").focus()

    # --- saving -----------------------------------------------------------------------

    def _collect(self) -> tuple[LessonRecord | None, list[EJournalError]]:
        """The record as typed, or the reasons it cannot be (each naming its field)."""
        assert self.record is not None
        problems: list[EJournalError] = []
        text = {name: self.query_one(f"#{name}", Input).value.strip() for name in TEXT_FIELDS}
        typed = self.query_one("#lesson_date", Input).value.strip()
        try:
            day = datetime.strptime(typed, "%d.%m.%Y").date()
        except ValueError:
            day = self.record.lesson_date
            problems.append(ValidationError(
                f"Дата — в виде ДД.ММ.ГГГГ, например {date.today():%d.%m.%Y}.", field="lesson_date"))
        numbers = {}
        for name, what in (("pair_no", "Номер пары"), ("hours", "Количество часов")):
            try:
                numbers[name] = int(self.query_one(f"#{name}", Input).value)
            except ValueError:
                numbers[name] = 1
                problems.append(ValidationError(f"{what} — число от 1 до 8.", field=name))
        for name, what in (("lesson_type", "тип занятия"), ("work_kind", "вид работы"),
                           ("taught_by", "кто провёл занятие")):
            if self.query_one(f"#{name}", Select).value is Select.NULL:
                problems.append(ValidationError(f"Выберите {what}.", field=name))
        if problems:
            return None, problems
        ktp = self.query_one("#ktp", Select).value
        record = replace(self.record, lesson_date=day, pair_no=numbers["pair_no"],
                         hours=numbers["hours"],
                         ktp_topic_id=None if ktp is Select.NULL else int(str(ktp)),
                         lesson_type=str(self.query_one("#lesson_type", Select).value),
                         work_kind=str(self.query_one("#work_kind", Select).value),
                         taught_by=int(str(self.query_one("#taught_by", Select).value)),
                         topic=text["topic"], homework=text["homework"],
                         homework_pages=text["homework_pages"], homework_tasks=text["homework_tasks"],
                         homework_practical=text["homework_practical"])
        return record, list(record_problems(record))

    def action_save(self) -> None:
        """Check and save the record in the background; a refusal keeps the form as typed."""
        if self.read_only or self.record is None or self.saving:
            return
        record, problems = self._collect()
        if problems or record is None:
            self._show_problems(problems)
            return
        self._unmark_all()
        self.saving = True
        self.query_one("#save", Button).disabled = True
        self._status("Сохранение…")
        self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, record: LessonRecord) -> None:
        from core.journal.lesson_record import save_record

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
