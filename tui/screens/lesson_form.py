"""The lesson record: topic from the КТП, type, hours, homework, who taught (R3, R5, R17)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from core.errors import ValidationError
from core.lesson_record import LessonRecord, RecordChoices

TEXT_FIELDS = ("topic", "homework", "homework_pages", "homework_tasks", "homework_practical")


class LessonFormScreen(ModalScreen[bool]):
    """Edit (or create, with ``lesson_id=None``) one lesson's record; dismisses True if saved."""

    CSS_PATH = "lesson_form.tcss"
    BINDINGS = [Binding("escape", "cancel", "Отмена"), Binding("ctrl+s", "save", "Сохранить")]

    def __init__(self, session: Any, load_id: int, lesson_id: int | None, read_only: bool = False) -> None:
        super().__init__()
        self.session, self.load_id, self.lesson_id = session, load_id, lesson_id
        self.read_only = read_only
        self.record: LessonRecord | None = None
        self.choices: RecordChoices | None = None
        self._ktp_applied: object = None
        """The КТП topic whose title, type and hours the fields were last filled from."""
        self._shown: tuple[object, ...] | None = None
        """The fields as filled from the database (to tell whether anything was typed)."""

    def compose(self) -> ComposeResult:
        heading = "Новое занятие (не по расписанию)" if self.lesson_id is None else "Запись занятия"
        with VerticalScroll(id="lesson-box"):
            yield Label(heading, id="lesson-heading")
            with Horizontal(classes="row"):
                yield Label("Дата", classes="caption")
                yield Input(placeholder="ДД.ММ.ГГГГ", id="lesson_date", classes="short")
                yield Label("Пара", classes="caption")
                yield Input(id="pair_no", classes="tiny", type="integer")
                yield Label("Часов", classes="caption")
                yield Input(id="hours", classes="tiny", type="integer")
            yield Label("Тема из КТП")
            yield Select[int]([], id="ktp", prompt="— выберите тему КТП —")
            yield Label("Тема занятия")
            yield Input(id="topic")
            with Horizontal(classes="row"):
                yield Select[str]([], id="lesson_type", prompt="Тип занятия")
                yield Select[str]([], id="work_kind", prompt="Вид работы")
            yield Label("Домашнее задание: содержание и как выполнять")
            yield Input(id="homework")
            with Horizontal(classes="row"):
                yield Input(placeholder="страницы учебника", id="homework_pages")
                yield Input(placeholder="номера заданий", id="homework_tasks")
            yield Input(placeholder="практическая работа", id="homework_practical")
            yield Label("Провёл(а) занятие (замена — выберите другого преподавателя)")
            yield Select[int]([], id="taught_by", prompt="Преподаватель")
            with Horizontal(classes="row"):
                yield Button("Сохранить (Ctrl+S)", id="save", variant="primary")
                yield Button("Отмена (Esc)", id="cancel")
            yield Static("", id="lesson-status")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        from core.lesson_record import propose_lesson, read_choices, read_record

        choices = read_choices(self.session, self.load_id)
        if self.lesson_id is None:
            record = propose_lesson(self.session, self.load_id, date.today(), 1, unscheduled=True)
        else:
            record = read_record(self.session, self.lesson_id)
        self.app.call_from_thread(self._show, record, choices)

    def _show(self, record: LessonRecord, choices: RecordChoices) -> None:
        self.record, self.choices = record, choices
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

    def _values(self) -> tuple[object, ...]:
        return tuple(widget.value for widget in self.query("Input, Select")
                     if isinstance(widget, (Input, Select)))

    @property
    def edited(self) -> bool:
        """Something was typed or chosen since the record was shown."""
        return not self.read_only and self._shown is not None and self._values() != self._shown

    def _collect(self) -> LessonRecord:
        assert self.record is not None
        text = {name: self.query_one(f"#{name}", Input).value.strip() for name in TEXT_FIELDS}
        try:
            day = datetime.strptime(self.query_one("#lesson_date", Input).value.strip(), "%d.%m.%Y").date()
            pair = int(self.query_one("#pair_no", Input).value)
            hours = int(self.query_one("#hours", Input).value)
        except ValueError as exc:
            raise ValidationError("Дата — в виде ДД.ММ.ГГГГ, пара и часы — числами.") from exc
        ktp = self.query_one("#ktp", Select).value
        for name, what in (("lesson_type", "тип занятия"), ("work_kind", "вид работы"),
                           ("taught_by", "кто провёл занятие")):
            if self.query_one(f"#{name}", Select).value is Select.NULL:
                raise ValidationError(f"Выберите {what}.")
        return replace(self.record, lesson_date=day, pair_no=pair, hours=hours,
                       ktp_topic_id=None if ktp is Select.NULL else int(str(ktp)),
                       lesson_type=str(self.query_one("#lesson_type", Select).value),
                       work_kind=str(self.query_one("#work_kind", Select).value),
                       taught_by=int(str(self.query_one("#taught_by", Select).value)),
                       topic=text["topic"], homework=text["homework"],
                       homework_pages=text["homework_pages"], homework_tasks=text["homework_tasks"],
                       homework_practical=text["homework_practical"])

    def action_save(self) -> None:
        """Check and save the record in the background."""
        if self.read_only or self.record is None:
            return
        try:
            record = self._collect()
        except ValidationError as exc:
            self.app.show_error(exc)  # type: ignore[attr-defined]
            return
        self.query_one("#lesson-status", Static).update("Сохранение…")
        self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, record: LessonRecord) -> None:
        from core.lesson_record import save_record

        save_record(self.session, record)
        self.app.call_from_thread(self.dismiss, True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without saving; ask first when something was typed."""
        if not self.edited:
            self.dismiss(False)
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(False)

        self.app.push_screen(ConfirmScreen(
            "Запись занятия не сохранена",
            "Тема, задание и другие изменения будут потеряны. Закрыть без сохранения? "
            "(Сохранить — Ctrl+S)", yes="Закрыть", no="Вернуться"), answered)
