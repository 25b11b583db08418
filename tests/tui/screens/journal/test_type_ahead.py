"""Keys typed right after Enter in the F7 dialog (a teacher typing ahead over a slow SSH
link): they move the page's cursor, and the typed row still starts where F7 was pressed."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import add_makeup_lesson, post_keys, run, saved, wait_until
from tui.dialogs.prompt import PromptScreen
from tui.screens.journal.page import JournalScreen


def test_keys_after_the_f7_enter_reach_the_page_and_the_row_starts_where_f7_was(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        lesson_id = await add_makeup_lesson(pilot, screen)   # an empty column, the cursor on it
        page = grid.page
        lesson = page.lessons[page.col_of[lesson_id]]
        studying = [row for row, s in enumerate(page.students)
                    if page.away_sign(s.student_id, lesson.lesson_id) is None]
        top = studying[0]
        grid.move_cursor(top, grid.cursor_col)
        targets = [page.students[row].student_id for row in studying[:2]]
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
        await pilot.pause()
        await pilot.press("н", "space", "н")
        post_keys(pilot.app, ["enter", "down", "down"])   # Enter and two ↓ arrive together
        await wait_until(pilot, lambda: pilot.app.screen is screen
                         and all(page.cell(t, lesson.lesson_id).attendance for t in targets))
        await wait_until(pilot, lambda: saved(screen))
        assert grid.cursor_row == top + 2, "the arrows typed after Enter were lost"
        assert [page.cell(t, lesson.lesson_id).attendance for t in targets] == ["НН", "НН"]

    run(demo_db, scenario)
