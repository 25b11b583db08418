"""The lesson record's form as fields: layout, filling, typing and refusals shown beside them.

:class:`LessonFields` is the part of ``LessonFormScreen`` that knows the fields: it lays them
out, fills them from a record and its choices, follows typing (a КТП topic fills the topic,
type and hours; the topic's length is counted), shows each refusal in Russian beside its field,
and collects the typed record with the reasons it cannot be saved. Reading and saving the record
in the background are in ``tui.screens.journal.lesson_form``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Length
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets._select import SelectOverlay

from core.journal.lesson_record import TOPIC_MAX, LessonRecord, RecordChoices, record_problems, topic_too_long
from kernel import clock
from kernel.errors import EJournalError, ValidationError
from tui.screens.base import ShowsWorkerErrors, TabMovesAtOnce
from tui.screens.journal import helps

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

KEPT = "Введённое осталось в форме"



class KtpSelect(Select[int]):
    """The КТП topics; opened with no topic chosen, the list starts at the next unused topic
    (:meth:`RecordChoices.next_topic`), not at the top."""

    start_at: int | None = None
    """The topic highlighted when the list opens with nothing chosen."""

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        if expanded and self.value is Select.NULL and self.start_at is not None:
            for index, (_prompt, value) in enumerate(self._options):
                if value == self.start_at:
                    self.query_one(SelectOverlay).select(index)
                    break

class LessonFields(TabMovesAtOnce, ShowsWorkerErrors, ModalScreen[bool]):
    """The form's fields; ``LessonFormScreen`` reads and saves the record they show."""

    HELP: ClassVar[str] = helps.LESSON_FORM

    def __init__(self, lesson_id: int | None, read_only: bool) -> None:
        super().__init__()
        self.lesson_id, self.read_only = lesson_id, read_only
        self.record: LessonRecord | None = None
        self.choices: RecordChoices | None = None
        self.saving = False
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
                yield KtpSelect([], id="ktp", prompt="— выберите тему КТП —")
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

    def _show(self, record: LessonRecord, choices: RecordChoices) -> None:
        self.record, self.choices = record, choices
        self.query_one("#lesson-loading").display = False
        self.query_one("#lesson-fields").display = True
        ktp = self.query_one("#ktp", KtpSelect)
        ktp.set_options(
            [(f"{t.position}. {t.title}{' ✓' if t.used else ''}", t.topic_id) for t in choices.topics])
        following = choices.next_topic()
        ktp.start_at = following.topic_id if following is not None else None
        self.query_one("#lesson_type", Select).set_options([(t, c) for c, t in choices.lesson_types])
        self.query_one("#work_kind", Select).set_options([(t, c) for c, t in choices.work_kinds])
        self.query_one("#taught_by", Select).set_options([(n, i) for i, n in choices.teachers])
        self._fill(record)
        self._shown = self._values()
        for widget in self.query("Input, Select"):
            widget.disabled = self.read_only
        self.query_one("#save", Button).display = not self.read_only
        self.call_after_refresh(self._open_at_top)
        self.refresh_bindings()

    def _open_at_top(self) -> None:
        """After the fields are laid out: from the top, so the form opens the same way
        whatever had the focus (and was scrolled to) while it loaded."""
        self.query_one("#lesson-box", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.query_one("#topic" if not self.read_only else "#cancel").focus()

    def _fill(self, record: LessonRecord) -> None:
        self.query_one("#lesson_date", Input).value = f"{record.lesson_date:%d.%m.%Y}"
        self.query_one("#pair_no", Input).value = str(record.pair_no)
        self.query_one("#hours", Input).value = str(record.hours)
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(record, name)
        # a lesson planned from the КТП (generated) without its topic yet takes the topic's text
        self._ktp_applied = record.ktp_topic_id if record.topic else None
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

    # --- collecting what was typed ---------------------------------------------------

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
                f"Дата — в виде ДД.ММ.ГГГГ, например {clock.today():%d.%m.%Y}.", field="lesson_date"))
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
