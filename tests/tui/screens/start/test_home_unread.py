"""The home menu's unread count follows messages sent from another connection (Pilot)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rich.text import Text
from textual.widgets import OptionList

from core.messages.service import recipients, start_thread
from tui.app import EJournalApp
from tui.screens.start.home import HomeScreen


async def wait_for(pilot: Any, condition: Any, seconds: float = 8) -> None:
    """Let the program run until ``condition()`` holds (a message comes from outside)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)


def _messages_line(home: HomeScreen) -> str:
    menu = home.query_one("#home-menu", OptionList)
    return Text.from_markup(str(menu.get_option("messages").prompt)).plain


def test_unread_count_on_the_home_menu_changes_live(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    curator = demo_db.log_in("куратор")

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=parent)
        async with app.run_test(size=(100, 30)) as pilot:
            # a parent opens on the child's journal, the home menu beneath it
            await wait_for(pilot, lambda: any(isinstance(s, HomeScreen) for s in app.screen_stack))
            home = next(s for s in app.screen_stack if isinstance(s, HomeScreen))
            await wait_for(pilot, lambda: home.listener is not None)
            await pilot.pause(1.0)             # the listener's LISTEN is in place
            assert "нов" not in _messages_line(home)
            target = next(r for r in recipients(curator) if r.person_id == parent.person.person_id)
            start_thread(curator, "Собрание", "Собрание в пятницу.", [target.person_id],
                         target.student_id)
            await wait_for(pilot, lambda: home.unread == 1)
            assert "Сообщения (1 новое)" in _messages_line(home)
            thread = start_thread(curator, "Оценки", "Посмотрите оценки.", [target.person_id],
                                  target.student_id)
            await wait_for(pilot, lambda: home.unread == 2)
            assert "Сообщения (2 новых)" in _messages_line(home)
            from core.messages.service import read_thread

            elsewhere = demo_db.log_in("родитель")   # another window of the same parent
            read_thread(elsewhere, thread)
            elsewhere.close()
            await wait_for(pilot, lambda: home.unread == 1)

    asyncio.run(main())
    curator.close()
