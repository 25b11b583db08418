"""The idle lock: hides the screen, the right password brings it back, logging out goes to
the login screen (not out of the program)."""

from __future__ import annotations

import asyncio
import time

from textual.widgets import Input

from tests.demo_fixture import DemoDb
from tui.app import EJournalApp
from tui.screens.start.home import HomeScreen
from tui.screens.start.lock import LockScreen
from tui.screens.start.login import LoginScreen


def test_lock_unlock_and_log_out(demo_db: DemoDb) -> None:
    session = demo_db.log_in("преподаватель")
    password = demo_db.account("преподаватель").password
    app = EJournalApp(demo_db.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            app.lock()
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
            app.screen.query_one("#lock-password", Input).value = "wrong-password"
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
            app.screen.query_one("#lock-password", Input).value = password
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            app.last_input = time.monotonic() - 3600
            app._check_idle()
            await pilot.pause()
            await pilot.click("#lock-logout")
            await pilot.pause()
            assert isinstance(app.screen, LoginScreen) and app.is_running
            assert app.session is None

    asyncio.run(main())
