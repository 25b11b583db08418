"""The footer of every screen: all the keys that act now, on as many lines as they need.

Textual's ``Footer`` is one line: at 80×24 the journal page lost F7 and F8 off its right
edge. This footer wraps between keys (never inside a description), so every shown key stays
in view; F1 lists the hidden ones too.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

GAP = 2
"""Spaces between two keys."""


class KeysFooter(Widget):
    """The shown keys of the screen's active bindings, wrapped over up to three lines."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"keys-footer--key"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom; height: auto; max-height: 3; padding: 0 1;
        background: $footer-background; color: $footer-description-foreground;
    }
    KeysFooter > .keys-footer--key { color: $footer-key-foreground; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, _screen: object) -> None:
        self.refresh(layout=True)

    def on_resize(self) -> None:
        """Repack the keys for the new width."""
        self.refresh(layout=True)

    def shown(self) -> list[tuple[str, str]]:
        """(key as displayed, description) of each shown action, once per action."""
        seen: set[tuple[int, str]] = set()
        items = []
        for active in self.screen.active_bindings.values():
            binding: Binding = active.binding
            ident = (id(active.node), binding.action)
            if not binding.show or not binding.description or ident in seen or not active.enabled:
                continue
            seen.add(ident)
            items.append((self.app.get_key_display(binding), binding.description))
        return items

    def lines(self, width: int) -> list[list[tuple[str, str]]]:
        """The shown keys packed into lines of ``width`` cells, a key never split."""
        packed: list[list[tuple[str, str]]] = [[]]
        used = 0
        for key, description in self.shown():
            size = cell_len(key) + 1 + cell_len(description)
            if packed[-1] and used + GAP + size > width:
                packed.append([])
                used = 0
            used += (GAP if packed[-1] else 0) + size
            packed[-1].append((key, description))
        return packed

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key")
        text = Text(no_wrap=True, overflow="ellipsis")
        for number, line in enumerate(self.lines(max(self.content_size.width, 20))):
            if number:
                text.append("\n")
            for index, (key, description) in enumerate(line):
                text.append(" " * GAP if index else "")
                text.append(key, key_style)
                text.append(" " + description)
        return text
