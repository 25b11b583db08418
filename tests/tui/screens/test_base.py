"""A screen's failed background work is shown, never silent (Textual's worker messages do not
reach the app by themselves)."""

from __future__ import annotations

import asyncio

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import wait_until
from tui.app import EJournalApp
from tui.screens.journal.page import JournalScreen


def test_a_page_that_cannot_be_read_says_why(demo_db: DemoDb) -> None:
    student = demo_db.log_in("обучающийся")
    app = EJournalApp(demo_db.settings, session=student)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.app.push_screen(JournalScreen(student, -1))
            await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ErrorScreen")
            text = " ".join(str(w.render()) for w in pilot.app.screen.query("Static, Label"))
            assert "недоступна" in text

    asyncio.run(main())
