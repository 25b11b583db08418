"""A form about one person (a student or a parent): fields, checking, a message under each
wrong field. F2 or Ctrl+S saves, Esc cancels, Enter goes to the next field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Generic, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static

from core.people.validation import FormErrors
from tui.screens.base import ShowsWorkerErrors, TabMovesAtOnce
from tui.screens.curator import helps
from tui.widgets.keys_footer import KeysFooter

FieldKind = Literal["text", "choice", "children"]


@dataclass(frozen=True)
class FormField:
    """One field of the form.

    Attributes:
        name: The key of the value (and of its error message).
        label: The Russian caption.
        kind: text (a line), choice (one of ``choices``), children (several of ``choices``).
        hint: Shown in an empty line («ДД.ММ.ГГГГ»).
        choices: (caption, value) pairs for choice and children fields.
        editable: False shows the value without letting it be changed.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    editable: bool = True


FormResult = TypeVar("FormResult")

Check = Callable[[dict[str, str], tuple[int, ...]], FormResult]
"""Turns the texts and the ticked children into checked data, or raises FormErrors."""


class PersonFormScreen(TabMovesAtOnce, ShowsWorkerErrors, ModalScreen[FormResult | None],
                       Generic[FormResult]):
    """Edits the fields; dismisses with what ``check`` returned, or None when cancelled.

    Args:
        title: The form's heading.
        fields: The fields in order.
        values: The texts to start with, by field name.
        check: Checks the texts (see :data:`Check`).
        note: A line under the heading (e.g. who may change what).
        chosen: The children ticked at the start.
    """

    HELP: ClassVar[str] = helps.PERSON_FORM

    CSS_PATH = "person_form.tcss"
    BINDINGS = [
        Binding("f2", "save", "Сохранить"),
        Binding("ctrl+s", "save", "Сохранить", show=False),
        Binding("escape", "cancel", "Отмена"),
    ]

    def __init__(self, title: str, fields: list[FormField], values: dict[str, str], check: Check[FormResult],
                 note: str = "", chosen: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.title_text, self.fields, self.values = title, fields, values
        self.check, self.note, self.chosen = check, note, chosen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label(self.title_text, classes="form-title")
            if self.note:
                yield Static(self.note, classes="form-note")
            for field in self.fields:
                with Horizontal(classes=f"form-row form-{field.kind}"):
                    yield Label(field.label, classes="form-label")
                    yield self._widget(field)
                yield Static("", id=f"error-{field.name}", classes="form-error")
        yield KeysFooter()

    def _widget(self, field: FormField) -> Widget:
        value = self.values.get(field.name, "")
        disabled = not field.editable
        if field.kind == "choice":
            options = [(caption, key) for caption, key in field.choices]
            start = value if value in {key for _, key in options} else options[0][1]
            return Select(options, value=start, allow_blank=False, id=f"field-{field.name}",
                          disabled=disabled)
        if field.kind == "children":
            items = [(caption, int(key), int(key) in self.chosen) for caption, key in field.choices]
            return SelectionList[int](*items, id=f"field-{field.name}", disabled=disabled)
        return Input(value=value, placeholder=field.hint, id=f"field-{field.name}", disabled=disabled)

    def on_mount(self) -> None:
        first = next((f for f in self.fields if f.editable), None)
        if first is not None:
            self.query_one(f"#field-{first.name}").focus()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def texts(self) -> tuple[dict[str, str], tuple[int, ...]]:
        """What the form holds now: texts by field name and the children ticked."""
        texts: dict[str, str] = {}
        children: tuple[int, ...] = ()
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Input):
                texts[field.name] = widget.value
            elif isinstance(widget, Select):
                texts[field.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, SelectionList):
                children = tuple(int(v) for v in widget.selected)
        return texts, children

    def action_save(self) -> None:
        """Check the fields; close with the data, or show what is wrong under each field."""
        texts, children = self.texts()
        for field in self.fields:
            self._error(field.name, "")
        try:
            result = self.check(texts, children)
        except FormErrors as errors:
            self._show_errors(errors.errors)
            return
        self.dismiss(result)

    def _show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for field in self.fields:
            if field.name in errors:
                self._error(field.name, errors[field.name])
                first = first or field
        if first is not None:
            self.query_one(f"#field-{first.name}").focus()
        self.notify("Исправьте поля, отмеченные красным.", title="Проверьте данные",
                    severity="error")

    def _error(self, name: str, message: str) -> None:
        label = self.query_one(f"#error-{name}", Static)
        label.update(message)
        label.display = bool(message)

    def error_text(self, name: str) -> str:
        """The message shown under a field ("" when it is right)."""
        return str(self.query_one(f"#error-{name}", Static).content)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
