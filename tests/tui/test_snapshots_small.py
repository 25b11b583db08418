"""Snapshots at 80×24 (screens) and 60×20 (dialogs) built without a database.

Every screen over the demo college has its 80×24 picture in ``tests/tui/snapshots`` (a demo
built for a fixed day, the program's clock frozen on it). Regenerate after an intended change with
``pytest tests/tui/test_snapshots_small.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen

from demo.setup import DemoAccount
from kernel.settings import Settings
from tests.tui.test_snapshots import sample_page
from tui.app import EJournalApp
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.error import ErrorScreen
from tui.dialogs.prompt import PromptScreen
from tui.help import HelpScreen, help_text
from tui.screens.journal.page import PageGrid
from tui.screens.start.guide import GuideScreen
from tui.widgets.keys_footer import KeysFooter

ACCOUNTS = [DemoAccount("преподаватель", "emelianov.gm", "demo-teacher", "Емельянов Г. М."),
            DemoAccount("куратор", "bykova.vt", "demo-curator", "Быкова В. Т."),
            DemoAccount("обучающийся", "st-jx2h8e", "demo-student", "Родионов М. С.")]


class Showing(App[None]):
    """The program's CSS and bindings with one screen pushed over an empty one."""

    CSS = EJournalApp.CSS
    BINDINGS = EJournalApp.BINDINGS

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.shown = screen

    def on_mount(self) -> None:
        self.push_screen(self.shown)


class GridApp(App[None]):
    """The journal page's grid and footer as the page shows them."""

    CSS = EJournalApp.CSS

    def compose(self) -> ComposeResult:
        yield PageGrid(sample_page())
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(PageGrid).select_lesson(123)


def test_login_80x24(snap_compare: Any) -> None:
    app = EJournalApp(Settings(data_dir="/nonexistent"), demo_accounts=ACCOUNTS)
    assert snap_compare(app, terminal_size=(80, 24))


def test_journal_grid_80x24_scrolled_to_the_end(snap_compare: Any) -> None:
    assert snap_compare(GridApp(), terminal_size=(80, 12))


def test_guide_80x24(snap_compare: Any) -> None:
    assert snap_compare(Showing(GuideScreen({"teacher"})), terminal_size=(80, 24))


def test_help_80x24(snap_compare: Any) -> None:
    app = EJournalApp(Settings(data_dir="/nonexistent"), demo_accounts=ACCOUNTS)

    async def open_help(pilot: Any) -> None:
        await pilot.pause()
        await pilot.app.push_screen(HelpScreen(help_text(pilot.app.screen)))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)


def test_confirm_60x20(snap_compare: Any) -> None:
    dialog = ConfirmScreen("Не все изменения сохранены",
                           "Несохранённые изменения останутся на этом компьютере и будут "
                           "отправлены при следующем открытии. Выйти из программы?")
    assert snap_compare(Showing(dialog), terminal_size=(60, 20))


def test_prompt_60x20(snap_compare: Any) -> None:
    dialog = PromptScreen("Нужна причина исправления",
                          "Отметка уже сохранена в журнале.\nПричина (сохраняется в истории):")
    assert snap_compare(Showing(dialog), terminal_size=(60, 20))


def test_error_60x20(snap_compare: Any) -> None:
    dialog = ErrorScreen("Вход не выполнен", "Неверный логин или пароль.")
    assert snap_compare(Showing(dialog), terminal_size=(60, 20))
