"""Every screen at 80×24 and every dialog at 60×20, opened on the demo college.

At 80×24 the footer must show every key the screen shows (wrapped onto at most three lines,
all of them visible) and no widget may reach past the right edge; at 60×20 a dialog's box
must lie inside the terminal. The screens are the ones ``test_help`` opens; SVG snapshots of
every screen at 80×24 are in ``tests/tui/snapshots``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Footer

from tests.demo_fixture import DemoDb
from tests.tui.test_help import _factories, _session_only
from tui.app import EJournalApp
from tui.widgets.keys_footer import KeysFooter


def _footer_problems(screen: Screen[Any]) -> list[str]:
    if screen.query(Footer):
        return ["Textual's one-line Footer loses keys at 80 columns: use KeysFooter"]
    found = screen.query(KeysFooter)
    if not found:
        return []
    footer = found.first()
    lines = footer.lines(footer.content_size.width)
    shown = [item for line in lines for item in line]
    problems = []
    if footer.size.height < len(lines):
        problems.append(f"footer shows {footer.size.height} of {len(lines)} lines")
    if len(shown) != len(footer.shown()):
        problems.append("footer lost keys")
    return problems


def _overflow_problems(screen: Screen[Any], width: int) -> list[str]:
    return [f"{widget!r} ends at column {widget.region.right}"
            for widget in screen.query("*")
            if widget.display and widget.region.width and widget.region.right > width]


DIALOG_LIKE = {"ChangePasswordScreen"}
"""Full screens that are a box in the middle, as dialogs are."""


def _dialog_problems(screen: Screen[Any], size: tuple[int, int]) -> list[str]:
    if not (screen.is_modal or type(screen).__name__ in DIALOG_LIKE) or not screen.children:
        return []
    box = screen.children[0]
    inside = Region(0, 0, *size)
    return [] if inside.contains_region(box.region) else [f"dialog {box.region} outside {inside}"]


async def _open(pilot: Any, screen: Screen[Any]) -> None:
    await pilot.app.push_screen(screen)
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _check_all(demo: DemoDb, size: tuple[int, int], only_dialogs: bool) -> None:
    factories = _factories(demo)
    _session_only(demo, factories)
    app = EJournalApp(demo.settings, session=demo.log_in("преподаватель"))
    problems: list[str] = []

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for name, make in factories.items():
                screen = make()
                if only_dialogs and not (screen.is_modal or name in DIALOG_LIKE):
                    continue
                await _open(pilot, screen)
                found = _footer_problems(screen) + _overflow_problems(screen, size[0])
                found += _dialog_problems(screen, size)
                problems.extend(f"{name}: {p}" for p in found)
                screen.dismiss(None) if screen.is_modal else app.pop_screen()
                await pilot.pause()
                for worker in (getattr(screen, "saver", None), getattr(screen, "listener", None)):
                    if worker is not None and hasattr(worker, "stop"):
                        worker.stop()

    asyncio.run(main())
    assert not problems, "\n".join(problems)


def test_every_screen_at_80x24_keeps_its_keys_and_width(demo_db: DemoDb) -> None:
    _check_all(demo_db, (80, 24), only_dialogs=False)


def test_every_dialog_fits_60x20(demo_db: DemoDb) -> None:
    _check_all(demo_db, (60, 20), only_dialogs=True)
