"""Pilot helpers of the journal page's screen tests: open the teacher's busiest page, wait, read cells."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot

from tests.demo_fixture import DemoDb, teacher_load
from tui.app import EJournalApp
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.journal.page import JournalScreen

SIZE = (160, 48)


async def wait_until(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app run until ``check()`` holds (workers and background saves included)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out on {pilot.app.screen_stack}"
        await pilot.pause(0.05)


def post_keys(app: App[Any], keys: list[str]) -> None:
    """Queue ``keys`` all at once, as a burst over a slow link arrives: none is handled before
    the last is queued. A key is a character or a key's name («enter», «down»)."""
    for key in keys:
        character = "\r" if key == "enter" else key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def add_makeup_lesson(pilot: Pilot[None], screen: JournalScreen) -> int:
    """F6, Ctrl+S: today's make-up lesson (created anyway on a day off), an empty column, the
    cursor on it once the page is read again with it. Its id."""
    grid = screen.grid
    assert grid is not None
    before = {lesson.lesson_id for lesson in grid.page.lessons}
    await pilot.press("f6")
    await pilot.pause(0.5)
    await pilot.press("ctrl+s")
    await pilot.pause(0.5)
    if isinstance(pilot.app.screen, ConfirmScreen):    # today is a day off: create anyway
        await pilot.press("left", "enter")
    await wait_until(pilot, lambda: screen.grid is not None and any(
        lesson.lesson_id not in before for lesson in screen.grid.page.lessons))
    await wait_until(pilot, lambda: screen.data is not None and screen.grid is not None
                     and screen.data.page is screen.grid.page)
    grid = screen.grid
    assert grid is not None
    new = next(lesson for lesson in grid.page.lessons if lesson.lesson_id not in before)
    grid.move_cursor(0, grid.page.col_of[new.lesson_id])
    await pilot.pause()
    return new.lesson_id


async def open_page(pilot: Pilot[None], session: Any, load_id: int) -> JournalScreen:
    """Push the journal screen and wait until its grid is drawn."""
    screen = JournalScreen(session, load_id)
    await pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.grid is not None)
    await pilot.pause()
    return screen


def run(demo: DemoDb, scenario: Callable[[Pilot[None], JournalScreen], Awaitable[None]],
        role: str = "преподаватель") -> None:
    """Open the teacher's busiest page as ``role`` and run the scenario on it."""
    teacher, load_id = teacher_load(demo)
    session = teacher if role == "преподаватель" else demo.log_in(role)
    app = EJournalApp(demo.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_page(pilot, session, load_id)
            try:
                await scenario(pilot, screen)
            finally:
                for worker in (screen.saver, screen.listener):
                    if worker is not None:
                        worker.stop()

    asyncio.run(main())


def cell_in_db(demo: DemoDb, lesson_id: int, student_id: int) -> tuple[list[str], str | None]:
    """(marks, attendance) stored for one cell."""
    with demo.connect() as conn:
        marks = [r[0] for r in conn.execute(
            "SELECT value FROM journal.mark WHERE lesson_id = %s AND student_id = %s ORDER BY id",
            (lesson_id, student_id)).fetchall()]
        row = conn.execute("SELECT code FROM journal.attendance WHERE lesson_id = %s AND student_id = %s",
                           (lesson_id, student_id)).fetchone()
    return marks, row[0] if row else None


def cursor(screen: JournalScreen) -> tuple[int, int]:
    """(lesson_id, student_id) under the grid's cursor."""
    grid = screen.grid
    assert grid is not None and grid.current_lesson and grid.current_student
    return grid.current_lesson.lesson_id, grid.current_student.student_id


def saved(screen: JournalScreen) -> bool:
    """Nothing of the page is waiting to be saved."""
    return screen.saver is not None and not screen.saver.has_pending()
