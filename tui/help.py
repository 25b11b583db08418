"""F1 and Ctrl+P on every screen: the screen's help and its actions, in Russian.

F1 shows the screen class's ``HELP`` (Russian markdown: what the screen is for, keys, colours,
abbreviations) followed by a table of every key that acts now, built from the bindings, so a
key the footer drops at 80×24 is still findable. Ctrl+P lists the same actions; Enter runs
the chosen one on the screen it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "tab": "Tab", "shift+tab": "Shift+Tab", "space": "Пробел",
    "backspace": "Backspace", "delete": "Delete", "insert": "Insert", "home": "Home", "end": "End",
    "pageup": "PgUp", "pagedown": "PgDn", "up": "↑", "down": "↓", "left": "←", "right": "→",
    "asterisk": "*", "minus": "-", "plus": "+", "left_square_bracket": "[",
    "right_square_bracket": "]", "slash": "/", "full_stop": ".", "comma": ",",
}
NO_HELP = "Для этого экрана справка ещё не написана."


def key_label(key: str) -> str:
    """A key as people read it: ``ctrl+pagedown`` → ``Ctrl+PgDn``, ``f1`` → ``F1``."""
    parts = key.split("+")
    named = [{"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt"}.get(part, part) for part in parts[:-1]]
    last = parts[-1]
    if last in KEY_NAMES:
        named.append(KEY_NAMES[last])
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        named.append(last.upper())
    else:
        named.append(last.upper() if named else last)
    return "+".join(named)


@dataclass(frozen=True)
class KeyAction:
    """One action of a screen: its keys, Russian description and where it runs."""

    keys: tuple[str, ...]
    description: str
    action: str
    node: DOMNode

    @property
    def shown_keys(self) -> str:
        """The keys, readable, separated by «, »."""
        return ", ".join(key_label(key) for key in self.keys)


def _ours(node: DOMNode, binding: Binding) -> bool:
    """Bindings of the program's own classes (Textual's widgets describe theirs in English)."""
    own = {b.action for cls in type(node).__mro__ if cls.__module__.startswith("tui.")
           for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)}
    return binding.action in own


def screen_actions(screen: Screen[Any]) -> list[KeyAction]:
    """Every described, enabled action reachable from ``screen`` now, keys merged per action."""
    merged: dict[tuple[int, str], KeyAction] = {}
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.description or not active.enabled or not _ours(active.node, binding):
            continue
        if binding.action in ("help", "app.help", "actions", "app.actions"):
            continue
        ident = (id(active.node), binding.action)
        found = merged.get(ident)
        keys = (*found.keys, key) if found else (key,)
        merged[ident] = KeyAction(keys, binding.description, binding.action, active.node)
    return list(merged.values())


def help_text(screen: Screen[Any]) -> str:
    """The screen's HELP and a table of the keys that act on it now."""
    text = (getattr(type(screen), "HELP", None) or NO_HELP).strip()
    rows = [f"| {a.shown_keys} | {a.description} |" for a in screen_actions(screen)]
    rows += ["| F1 | эта справка |", "| Ctrl+P | список действий экрана |"]
    table = "\n".join(["| клавиша | действие |", "|---|---|", *rows])
    return f"{text}\n\n## Все клавиши этого экрана\n\n{table}\n"


class HelpScreen(ModalScreen[None]):
    """The help of the screen underneath; Esc, Enter or F1 closes it."""

    HELP: ClassVar[str] = """
# Справка

Справка показывает, для чего нужен экран, какие на нём клавиши, цвета и сокращения.
Стрелки, PgUp/PgDn листают текст; Esc, Enter или F1 закрывают справку.
"""
    BINDINGS = [Binding("escape,enter,f1", "close", "Закрыть", priority=True)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen #help-box { width: 100%; max-width: 100; height: 100%; max-height: 44;
                           border: thick $primary; background: $surface; }
    HelpScreen #help-scroll { height: 1fr; }
    HelpScreen #help-text { padding: 0 1; }
    HelpScreen #help-close { dock: bottom; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                yield Static(Markdown(self.text, hyperlinks=False), id="help-text")
            yield Label("Esc — закрыть справку; ↑ ↓ PgUp PgDn — листать", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


class ActionsScreen(ModalScreen[KeyAction | None]):
    """Ctrl+P: the screen's actions in Russian; typing filters, Enter runs the chosen one."""

    HELP: ClassVar[str] = """
# Действия экрана

Список всего, что можно сделать на экране, из которого он открыт. Наберите часть
названия, чтобы сузить список; ↑ ↓ выбирают, Enter выполняет, Esc закрывает.
"""
    BINDINGS = [Binding("escape", "close", "Закрыть"),
                Binding("down", "move(1)", "Ниже", show=False),
                Binding("up", "move(-1)", "Выше", show=False)]
    DEFAULT_CSS = """
    ActionsScreen { align: center top; background: $background 60%; }
    ActionsScreen #actions-box { width: 100%; max-width: 72; height: auto; max-height: 90%;
                                 border: thick $primary; background: $surface; margin-top: 1; }
    ActionsScreen OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, actions: list[KeyAction]) -> None:
        super().__init__()
        self.actions = actions
        self.shown: list[KeyAction] = list(actions)

    def compose(self) -> ComposeResult:
        with Vertical(id="actions-box"):
            yield Input(placeholder="Найти действие…", id="actions-filter")
            yield OptionList(id="actions-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.strip().lower()
        self.shown = [a for a in self.actions if needle in a.description.lower()]
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.shown:
            options.add_option(Option("Ничего не найдено", disabled=True))
            return
        width = max(len(a.description) for a in self.shown)
        options.add_options([Option(Text.assemble(a.description.ljust(width + 2), (a.shown_keys, "dim")))
                             for a in self.shown])
        options.highlighted = 0

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submit(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.shown and index is not None:
            self.dismiss(self.shown[index])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.shown:
            self.dismiss(self.shown[event.option_index])

    def action_move(self, step: int) -> None:
        """Move the highlight while the filter keeps the focus."""
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = ((options.highlighted or 0) + step) % len(self.shown)

    def action_close(self) -> None:
        """Close without running anything."""
        self.dismiss(None)
