"""Small dialogs of the setup screens: a form of labelled fields, and a text preview that asks
before anything is written."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.widgets.keys_footer import KeysFooter

Field = tuple[str, str, str]
"""(name, Russian label with the expected format, initial value)."""


class FormDialog(ModalScreen[dict[str, str] | None]):
    """Fields to fill; Enter on the last field or F9 gives them back, Esc cancels."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical { width: 76; height: auto; max-height: 90%; border: thick $accent;
                            background: $surface; padding: 1 2; }
    FormDialog Label { margin-top: 1; }
    FormDialog #form-title { text-style: bold; margin: 0; }
    """
    HELP: ClassVar[str] = """\
# Форма

Заполните поля и нажмите **Enter** в последнем поле или **F9** — данные будут проверены и
записаны; при ошибке появится сообщение, а форму можно открыть снова.

| клавиша | действие |
|---|---|
| `Tab`, `Shift+Tab` | следующее, предыдущее поле |
| `Enter` | следующее поле; в последнем — записать |
| `F9` | записать |
| `Esc` | отменить, ничего не записывать |

Даты пишутся как ДД.ММ.ГГГГ, время — ЧЧ:ММ.
"""
    BINDINGS = [
        Binding("escape", "cancel", "Отмена"),
        Binding("f9", "submit", "Записать"),
    ]

    def __init__(self, title: str, fields: list[Field]) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, id="form-title")
            for name, label, value in self.fields:
                yield Label(label)
                yield Input(value=value, id=f"f-{name}")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the next field, or submit from the last one."""
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        """Give the typed values back."""
        self.dismiss({name: self.query_one(f"#f-{name}", Input).value for name, _, _ in self.fields})

    def action_cancel(self) -> None:
        """Close without values."""
        self.dismiss(None)


class PreviewDialog(ModalScreen[bool]):
    """Lines of what would be written; F9 writes, Esc cancels."""

    DEFAULT_CSS = """
    PreviewDialog { align: center middle; }
    PreviewDialog > Vertical { width: 90%; height: 90%; border: thick $accent; background: $surface;
                               padding: 0 1; }
    PreviewDialog #preview-title { text-style: bold; }
    """
    HELP: ClassVar[str] = """\
# Просмотр перед записью

Показано, что будет записано; **пока вы не нажали F9, в базе ничего не изменилось**.
Накладки (преподаватель, аудитория или группа в двух местах в одну пару) перечислены в конце —
их лучше исправить в расписании до записи.

| клавиша | действие |
|---|---|
| `F9` | записать |
| `↑` `↓`, `PgUp` `PgDn` | листать |
| `Esc` | отменить, ничего не записывать |
"""
    BINDINGS = [
        Binding("escape", "cancel", "Отмена"),
        Binding("f9", "confirm", "Записать"),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.preview_title = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.preview_title} — F9 записать, Esc отмена", id="preview-title")
            with VerticalScroll(id="preview-body"):
                yield Static("\n".join(self.lines), id="preview-text", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#preview-body").focus()

    def action_confirm(self) -> None:
        """Write."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Do not write."""
        self.dismiss(False)
