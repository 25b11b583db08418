"""Choosing a study group: the curator's own first; typing filters (office, admin: any group)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from core.students import GroupInfo


class GroupPickScreen(ModalScreen[GroupInfo | None]):
    """Lists groups; typing filters, ↑/↓ choose, Enter takes one, Esc cancels.

    Args:
        groups: The groups to choose from, in the order shown.
        current: The group shown now (highlighted).
    """

    CSS_PATH = "group_pick.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Отмена"),
        Binding("down", "move(1)", "Ниже", show=False),
        Binding("up", "move(-1)", "Выше", show=False),
    ]

    def __init__(self, groups: list[GroupInfo], current: GroupInfo | None = None) -> None:
        super().__init__()
        self.groups = groups
        self.current = current
        self.shown: list[GroupInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Выберите группу", classes="dialog-title")
            yield Input(placeholder="начните вводить название группы или фамилию куратора",
                        id="group-filter")
            yield OptionList(id="group-list")

    def on_mount(self) -> None:
        self._filter("")
        self.query_one("#group-filter", Input).focus()

    @on(Input.Changed, "#group-filter")
    def _changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        self.shown = [g for g in self.groups if all(_matches(w, g.label) for w in words)]
        options = self.query_one("#group-list", OptionList)
        options.clear_options()
        for group in self.shown:
            mine = "  [b](моя)[/b]" if group.is_mine else ""
            options.add_option(Option(group.label + mine))
        if self.shown:
            current = self.current.group_id if self.current else None
            ids = [g.group_id for g in self.shown]
            options.highlighted = ids.index(current) if current in ids else 0

    def action_move(self, step: int) -> None:
        """Move the highlight in the list while typing in the filter."""
        options = self.query_one("#group-list", OptionList)
        if options.option_count:
            index = (options.highlighted or 0) + step
            options.highlighted = max(0, min(index, options.option_count - 1))

    @on(Input.Submitted, "#group-filter")
    def _submitted(self) -> None:
        options = self.query_one("#group-list", OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted])

    @on(OptionList.OptionSelected, "#group-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def _matches(word: str, label: str) -> bool:
    """A typed word is in the label; «эбу26» also finds «ЭБУ-26-1» (dashes optional)."""
    text = label.lower()
    return word in text or word.replace("-", "") in text.replace("-", "")
