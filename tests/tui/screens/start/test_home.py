"""The home menu: Esc asks before logging out; F2 opens the guide of the person's role."""

from __future__ import annotations

import asyncio

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import wait_until
from tui.app import EJournalApp
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.family.screen import FamilyScreen
from tui.screens.start.guide import GuideScreen
from tui.screens.start.home import HomeScreen
from tui.screens.start.login import LoginScreen


def test_esc_asks_before_logging_out(demo_db: DemoDb) -> None:
    session = demo_db.log_in("преподаватель")
    app = EJournalApp(demo_db.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("enter")  # «Нет» is focused: stay
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and app.session is session
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape")  # Esc in the question is «нет» too
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and app.session is session
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("left", "enter")  # «Да»
            await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
            assert app.session is None

    asyncio.run(main())


def test_f2_opens_the_guide_of_the_persons_role(demo_db: DemoDb) -> None:
    app = EJournalApp(demo_db.settings, session=demo_db.log_in("родитель"))

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, FamilyScreen))
            await pilot.press("escape")   # a parent opens on the child's journal; Esc: the menu
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("f2")
            await wait_until(pilot, lambda: isinstance(app.screen, GuideScreen))
            screen = app.screen
            assert isinstance(screen, GuideScreen) and screen.guides[0].role == "parent"
            await pilot.press("]")
            await pilot.pause()
            assert screen.guides[screen.index].role != "parent"
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    asyncio.run(main())
