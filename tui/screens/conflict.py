"""Someone changed the same cell meanwhile: show both values and let the person choose."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from core.journal_page import Change
from core.journal_service import SaveOutcome
from core.marks import Attendance, MarkValue


def _shown(value: str | MarkValue | Attendance | None) -> str:
    if value is None:
        return "пусто"
    return str(value.value if isinstance(value, MarkValue | Attendance) else value)


def _parse(change: Change, found: str | None) -> MarkValue | Attendance | None:
    if found is None:
        return None
    return Attendance(found) if change.is_attendance else MarkValue(found)


class ConflictScreen(ModalScreen[list[Change]]):
    """Lists conflicting cells; «Оставить моё» resends the person's values over the found ones,
    «Принять из базы» keeps what the other person saved. Dismisses with the changes to resend."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "theirs", "Принять из базы")]

    def __init__(self, conflicts: list[SaveOutcome], data: Any) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.data = data

    def _line(self, outcome: SaveOutcome) -> str:
        change = outcome.change
        page = self.data.page if self.data is not None else None
        who = when = ""
        if page is not None and change.student_id in page.row_of:
            student = page.students[page.row_of[change.student_id]]
            who = f"{student.surname} {student.name}"
        if page is not None and change.lesson_id in page.col_of:
            lesson = page.lesson(change.lesson_id)
            when = f"{lesson.date:%d.%m}, {lesson.pair_no} пара"
        what = "посещаемость" if change.is_attendance else "отметка"
        return (f"• {who}, {when} ({what}): вы ввели [b]{_shown(change.new)}[/b], "
                f"а в журнале уже [b]{_shown(outcome.found)}[/b] (было {_shown(change.old)})")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Эти ячейки тем временем изменил другой пользователь", classes="dialog-title")
            for outcome in self.conflicts:
                yield Static(self._line(outcome))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Оставить моё", id="mine", variant="warning")
                yield Button("Принять из базы", id="theirs", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#theirs", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "mine":
            self.dismiss([Change(o.change.student_id, o.change.lesson_id, o.change.work_kind,
                                 _parse(o.change, o.found), o.change.new) for o in self.conflicts])
        else:
            self.dismiss([])

    def action_theirs(self) -> None:
        """Keep the values found in the database."""
        self.dismiss([])
