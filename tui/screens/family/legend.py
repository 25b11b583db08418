"""The legend of the family screens: every abbreviation they show, explained in Russian."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from core.family.week import legend, work_kinds
from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors

# What the legend says before the kinds of work are read (the journal's own list).
STANDARD_KINDS = (("УО", "Устный ответ"), ("ПР", "Письменная работа"), ("КР", "Контрольная работа"),
                  ("Пр", "Практическая работа"), ("ЛР", "Лабораторная работа"),
                  ("СР", "Самостоятельная работа"), ("Т", "Тест"), ("ДЗ", "Домашнее задание"),
                  ("Д", "Доклад, реферат"))
LEGEND_HELP = legend(STANDARD_KINDS)
"""The legend as the screens' HELP shows it."""


class LegendScreen(ShowsWorkerErrors, ModalScreen[None]):
    """Условные обозначения: marks, kinds of work, attendance, finals."""

    HELP: ClassVar[str] = ("# Условные обозначения\n\nЧто значат сокращения на экранах "
                           "успеваемости (R10, R20: сведения для обучающихся и родителей).\n\n"
                           "## Клавиши\n- **Esc** или **Enter** — закрыть;\n"
                           "- **↑ ↓**, **PgUp PgDn** — прокрутка.\n\n"
                           + LEGEND_HELP.removeprefix("# Условные обозначения\n\n"))

    DEFAULT_CSS = """
    LegendScreen { align: center middle; background: $background 60%; }
    LegendScreen > Vertical { width: 90%; max-width: 96; height: 90%; border: thick $accent;
                              background: $surface; padding: 0 1; }
    LegendScreen #legend-hint { color: $text-muted; height: 1; }
    """
    BINDINGS = [
        Binding("escape,enter", "close", "Закрыть"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="legend-scroll"):
                yield Markdown(LEGEND_HELP, id="legend-text")
            yield Static("Esc — закрыть", id="legend-hint")

    def on_mount(self) -> None:
        self.query_one("#legend-scroll").focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        kinds = work_kinds(self.session)
        self.app.call_from_thread(self._show, legend(kinds))

    def _show(self, text: str) -> None:
        self.query_one("#legend-text", Markdown).update(text)

    def action_close(self) -> None:
        """Close the legend."""
        self.dismiss(None)
