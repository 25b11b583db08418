"""Choosing a study group: the curator's own first; typing filters (office, admin: any group)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.people.forms import GroupInfo
from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.screens.curator import helps


class GroupPickScreen(ShowsWorkerErrors, ModalScreen[GroupInfo | None]):
    """Lists groups; typing filters, ↑/↓ choose, Enter takes one, Esc cancels.

    Args:
        groups: The groups to choose from, in the order shown.
        current: The group shown now (highlighted).
    """

    HELP: ClassVar[str] = helps.GROUP_PICK

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


class GroupScreen(ShowsWorkerErrors, Screen[None]):
    """A screen that works on one study group of the person's (curator's day, students).

    Loads the person's groups in a worker, opens the one remembered or the only one, otherwise
    asks with :class:`GroupPickScreen`. A subclass sets :attr:`TITLE_ID` (the Static that shows
    its title), optionally :attr:`NO_GROUP_HINT` (shown when the choice is cancelled with no
    group yet), has ``session``, and implements :meth:`_set_group`.
    """

    HELP: ClassVar[str] = helps.GROUP

    TITLE_ID = ""
    NO_GROUP_HINT = ""

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.groups: list[GroupInfo] = []
        self.group: GroupInfo | None = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="groups")
    def _load_groups(self) -> None:
        from core.people.roster import list_groups

        groups = list_groups(self.session)
        self.app.call_from_thread(self._groups_loaded, groups)

    def _groups_loaded(self, groups: list[GroupInfo]) -> None:
        from core.people.roster import initial_group
        from core.preferences import read_pref

        self.groups = groups
        self.refresh_bindings()
        if not groups:
            self.query_one(f"#{self.TITLE_ID}", Static).update(
                "[b]За вами не закреплена ни одна группа.[/] Обратитесь в учебную часть.")
            return
        chosen = initial_group(groups, read_pref(self.session.person.login, "last_group"))
        if chosen is None:
            self.action_pick_group()
        else:
            self._set_group(chosen)

    def action_pick_group(self) -> None:
        """Choose another group (a curator of several groups, the office, the admin)."""
        self.app.push_screen(GroupPickScreen(self.groups, self.group), self._group_chosen)

    def _group_chosen(self, group: GroupInfo | None) -> None:
        if group is not None:
            self._set_group(group)
        elif self.group is None and self.NO_GROUP_HINT:
            self.query_one(f"#{self.TITLE_ID}", Static).update(self.NO_GROUP_HINT)

    def _set_group(self, group: GroupInfo) -> None:
        raise NotImplementedError
