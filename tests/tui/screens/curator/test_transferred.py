"""The curator's day after a student's transfer out of the group, driven by keys (issue 11):
on a date before the transfer the student's row takes attendance like any other; on a date
after it the student is not in the day."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.curator_fixture import attendance, curator_group, run, settle
from tests.demo_fixture import DemoDb
from tests.transfer_fixture import lesson_date, transfer_from_group
from tui.screens.curator.attendance_day import AttendanceDayScreen


def test_the_day_before_the_transfer_takes_the_students_attendance(demo_db: DemoDb) -> None:
    curator = demo_db.log_in("куратор")
    moved = transfer_from_group(demo_db, curator_group(curator).group_id)
    with demo_db.connect() as conn:
        conn.execute("DELETE FROM journal.attendance WHERE lesson_id = %s AND student_id = %s",
                     (moved.before, moved.student_id))
    later = AttendanceDayScreen(curator, moved.on_date)

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        grid = screen.grid
        assert grid is not None and screen.data is not None
        page = screen.data.page
        grid.move_cursor(page.row_of[moved.student_id], page.col_of[moved.before])
        await pilot.pause()
        await pilot.press("у")
        await settle(pilot, screen.saver)
        pilot.app.push_screen(later)
        await settle(pilot)
        assert later.data is not None and later.data.day == moved.on_date
        assert moved.student_id not in later.data.page.row_of
        assert later.data.page.students

    screen: Any = AttendanceDayScreen(curator, lesson_date(demo_db, moved.before))
    run(demo_db.settings, curator, screen, scenario)
    assert attendance(demo_db, [moved.before]).get((moved.student_id, moved.before)) == "НУ"
    assert (moved.student_id, moved.after) not in attendance(demo_db, [moved.after])
