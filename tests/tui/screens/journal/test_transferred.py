"""The old group's page after a student's transfer, driven by keys (issue 11): the student's
row stays, greyed, with «пер.» and the date beside the name; a key on a cell after the
transfer is refused and nothing reaches the database; the marks before it stay on screen."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.demo_fixture import DemoDb
from tests.transfer_fixture import transfer_student
from tests.tui.screens.journal.pilot import cell_in_db, cursor, run
from tui.screens.journal.page import JournalScreen


def test_a_transferred_student_stays_greyed_and_later_cells_refuse_keys(demo_db: DemoDb) -> None:
    moved = transfer_student(demo_db)

    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        page = grid.page
        assert moved.student_id in page.row_of
        row = page.row_of[moved.student_id]
        grid.move_cursor(row, page.col_of[moved.after])
        await pilot.pause()
        lines = [grid.render_line(y).text for y in range(grid.size.height)]
        mine = [t for t in lines if f"пер.{moved.on_date:%d.%m}" in t]
        assert len(mine) == 1 and "пер." in mine[0].split("│")[1]
        await pilot.press("5")
        await pilot.pause()
        assert cursor(screen) == (moved.after, moved.student_id)
        assert cell_in_db(demo_db, moved.after, moved.student_id) == ([], None)
        assert any("переведён" in str(n.message) for n in pilot.app._notifications)
        earlier = [lesson.lesson_id for lesson in page.lessons if lesson.date < moved.on_date]
        assert any(page.cell(moved.student_id, lid).marks for lid in earlier)
        assert all(page.away_sign(moved.student_id, lid) is None for lid in earlier)

    run(demo_db, scenario)
