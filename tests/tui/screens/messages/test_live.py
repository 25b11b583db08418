"""New messages appear on the open messages screen without F5 (Pilot)."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import OptionList, Static

from core.messages.service import recipients, reply, start_thread
from tests.tui.screens.start.test_home_unread import wait_for
from tui.app import EJournalApp
from tui.screens.messages.screen import MessagesScreen


def test_messages_arrive_live(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    curator = demo_db.log_in("куратор")
    target = next(r for r in recipients(curator) if r.person_id == parent.person.person_id)

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=parent)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.app.workers.wait_for_complete()
            screen = MessagesScreen(parent)
            app.push_screen(screen)
            await wait_for(pilot, lambda: screen.listener is not None)
            await pilot.pause(1.0)
            thread = start_thread(curator, "Экскурсия", "В субботу экскурсия.", [target.person_id],
                                  target.student_id)
            await wait_for(pilot, lambda: any(t.thread_id == thread for t in screen.threads))
            assert "Экскурсия" in str(screen.query_one("#msg-threads", OptionList)
                                      .get_option(str(thread)).prompt)
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.thread is not None)
            reply(curator, thread, "Сбор в 9:00 у колледжа.")
            await wait_for(pilot, lambda: screen.thread is not None
                           and len(screen.thread.messages) == 2)
            assert "Сбор в 9:00" in str(screen.query_one("#msg-body", Static).render())

    asyncio.run(main())
    curator.close()
