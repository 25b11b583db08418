"""The password change as a student meets it on first login: a refused password is typed anew."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from tests.demo_fixture import DemoDb
from tui.app import EJournalApp
from tui.screens.start.password import ChangePasswordScreen


def test_refused_password_clears_both_fields_and_starts_again(demo_db: DemoDb) -> None:
    session = demo_db.log_in("обучающийся")
    app = EJournalApp(demo_db.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            screen = ChangePasswordScreen(session, forced=True)
            await app.push_screen(screen)
            await pilot.pause()
            for key in ("s", "h", "o", "r", "t", "enter", "s", "h", "o", "r", "t", "enter"):
                await pilot.press(key)
            await pilot.pause()
            await pilot.press("enter")  # «Понятно» on the error
            await pilot.pause()
            assert app.screen is screen
            assert screen.query_one("#new1", Input).value == ""
            assert screen.query_one("#new2", Input).value == ""
            assert screen.query_one("#new1", Input).has_focus

    asyncio.run(main())
