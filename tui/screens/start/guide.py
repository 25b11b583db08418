"""The guides per role from the home screen (F2): the person's own first, the others a key away."""

from __future__ import annotations

from typing import ClassVar

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from core.guides import Guide, guides_for
from tui.screens.start import helps
from tui.widgets.keys_footer import KeysFooter


class GuideScreen(Screen[None]):
    """One role's guide; ``[`` ``]`` go to the other roles' guides; Esc back."""

    HELP: ClassVar[str] = helps.GUIDE
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("left_square_bracket,х,Х,f7", "step(-1)", "Пред. роль", key_display="["),
        Binding("right_square_bracket,ъ,Ъ,f8", "step(1)", "След. роль", key_display="]"),
    ]
    DEFAULT_CSS = """
    GuideScreen #guide-roles { height: 1; padding: 0 1; background: $panel; }
    GuideScreen #guide-scroll { height: 1fr; }
    GuideScreen #guide-text { padding: 0 1; }
    """

    def __init__(self, roles: frozenset[str] | set[str]) -> None:
        super().__init__()
        self.guides: list[Guide] = guides_for(roles)
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="guide-roles")
        with VerticalScroll(id="guide-scroll"):
            yield Static("", id="guide-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Руководство"
        self._show()
        self.query_one("#guide-scroll", VerticalScroll).focus()

    def _show(self) -> None:
        guide = self.guides[self.index]
        roles = " · ".join(f"[reverse] {g.title} [/]" if g is guide else g.title for g in self.guides)
        self.query_one("#guide-roles", Static).update(f"{roles}   [dim]\\[ ] — другая роль[/]")
        printing = f"\n\n---\nНапечатать: `ejournal print guide --role {guide.role}`\n"
        self.query_one("#guide-text", Static).update(Markdown(guide.text + printing, hyperlinks=False))
        self.query_one("#guide-scroll", VerticalScroll).scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        """The next or previous role's guide."""
        self.index = (self.index + step) % len(self.guides)
        self._show()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss(None)
