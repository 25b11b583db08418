"""Keys typed right after Enter in the F7 dialog (a teacher typing ahead over a slow SSH
link): they move the page's cursor, and the typed row still starts where F7 was pressed."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import run, saved, wait_until
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.prompt import PromptScreen
from tui.screens.journal.page import JournalScreen


def test_keys_after_the_f7_enter_reach_the_page_and_the_row_starts_where_f7_was(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("f6")  # a make-up lesson: an empty column
        await pilot.pause(0.5)
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        if isinstance(pilot.app.screen, ConfirmScreen):   # today is a day off: create anyway
            await pilot.press("left", "enter")
        await wait_until(pilot, lambda: screen.data is not None and screen.data.page is grid.page
                         and len(grid.page.lessons) > 0 and grid.page.cell(
                             grid.page.students[0].student_id, grid.page.lessons[-1].lesson_id).is_empty,
                         timeout=10)
        page = grid.page
        await pilot.press("end")
        lesson = grid.current_lesson
        assert lesson is not None
        studying = [row for row, s in enumerate(page.students)
                    if page.away_sign(s.student_id, lesson.lesson_id) is None]
        top = studying[0]
        grid.move_cursor(top, grid.cursor_col)
        targets = [page.students[row].student_id for row in studying[:2]]
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
        await pilot.pause()
        await pilot.press("н", "space", "н")
        # Enter and two ↓ arrive together: none is handled before the others are queued
        for key in (events.Key("enter", "\r"), events.Key("down", None), events.Key("down", None)):
            pilot.app.post_message(key)
        await wait_until(pilot, lambda: pilot.app.screen is screen
                         and all(page.cell(t, lesson.lesson_id).attendance for t in targets))
        await wait_until(pilot, lambda: saved(screen))
        assert grid.cursor_row == top + 2, "the arrows typed after Enter were lost"
        assert [page.cell(t, lesson.lesson_id).attendance for t in targets] == ["НН", "НН"]

    run(demo_db, scenario)
