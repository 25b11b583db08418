"""The journal page with a student on academic leave and a student marked absent (issue 11):
`*`, F7 and paste skip the student on leave, their cell is greyed with «отп.», a key on it is
refused; a mark on an absent student is refused and the absence stays."""

from __future__ import annotations

from datetime import date, timedelta

from textual import events
from textual.pilot import Pilot

from tests.demo_fixture import BUSIEST_LOAD, DemoDb
from tests.tui.screens.journal.pilot import (
    add_makeup_lesson,
    cell_in_db,
    cursor,
    run,
    saved,
    wait_until,
)
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.journal.page import JournalScreen

ON_LEAVE = """
SELECT s.person_id FROM journal.student s JOIN journal.teaching_load t ON t.group_id = s.group_id
 WHERE t.id = %s AND s.status = 'обучается'
   AND (SELECT count(*) FROM journal.student_movement m WHERE m.student_id = s.person_id) = 1
 ORDER BY s.person_id LIMIT 1 OFFSET 1
"""


def _send_on_leave(demo: DemoDb) -> int:
    """A student of the teacher's busiest page goes on academic leave from yesterday."""
    with demo.connect() as conn:
        session = demo.log_in("преподаватель")
        load = conn.execute(BUSIEST_LOAD, (session.person.login,)).fetchone()[0]
        student = conn.execute(ON_LEAVE, (load,)).fetchone()[0]
        conn.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                     "order_no) SELECT person_id, 'академический отпуск', %s, group_id, '1-к' "
                     "FROM journal.student WHERE person_id = %s",
                     (date.today() - timedelta(days=1), student))
    return int(student)


def test_all_present_f7_and_paste_skip_a_student_on_leave(demo_db: DemoDb) -> None:
    away = _send_on_leave(demo_db)

    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = await add_makeup_lesson(pilot, screen)
        grid = screen.grid
        assert grid is not None
        page = grid.page
        assert page.away_sign(away, lesson_id) == "отп."
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, away) == ([], None)
        with demo_db.connect() as conn:
            present = conn.execute("SELECT count(*) FROM journal.attendance WHERE lesson_id = %s "
                                   "AND code = 'П'", (lesson_id,)).fetchone()[0]
        assert present == len(page.students) - 1
        # a typed column (F7) and a pasted one go to the students who study, in order
        studying = [s.student_id for s in page.students if s.student_id != away]
        row = page.row_of[away]
        grid.move_cursor(max(0, row - 1), grid.cursor_col)
        first = page.students[max(0, row - 1)].student_id
        following = studying[studying.index(first):]
        screen._type_sequence("5 4")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, following[0])[0] == ["5"]
        assert cell_in_db(demo_db, lesson_id, following[1])[0] == ["4"]
        assert cell_in_db(demo_db, lesson_id, away) == ([], None)
        screen.post_message(events.Paste("3\n3"))
        await pilot.pause()
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, following[0])[0] == ["5", "3"] or \
            cell_in_db(demo_db, lesson_id, following[0])[0] == ["3"]
        # typing down a column passes over the student on leave
        if row > 0 and row < len(page.students) - 1:
            grid.move_cursor(row - 1, grid.cursor_col)
            await pilot.press("4")
            await pilot.pause()
            assert grid.cursor_row == row + 1
        # a key on the greyed cell is refused and the cursor stays
        grid.move_cursor(row, grid.cursor_col)
        await pilot.press("5")
        await pilot.pause()
        assert cursor(screen) == (lesson_id, away)
        assert cell_in_db(demo_db, lesson_id, away) == ([], None)
        assert any("академический отпуск" in str(n.message) for n in pilot.app._notifications)

    run(demo_db, scenario)


def test_a_mark_on_an_absent_student_is_refused_and_the_absence_stays(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = await add_makeup_lesson(pilot, screen)
        grid = screen.grid
        assert grid is not None
        student = grid.page.students[0].student_id
        await pilot.press("н")
        await wait_until(pilot, lambda: saved(screen))
        await pilot.press("up")
        await pilot.press("3")
        await pilot.pause()
        assert cursor(screen) == (lesson_id, student)
        assert cell_in_db(demo_db, lesson_id, student) == ([], "НН")
        assert any("отсутствующему отметку не ставят" in str(n.message)
                   for n in pilot.app._notifications)
        # present first, then the mark: both saved in one go
        await pilot.press("п", "up", "3")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student) == (["3"], "П")

    run(demo_db, scenario)


def test_f6_asks_before_a_lesson_on_a_sunday(demo_db: DemoDb) -> None:
    from textual.widgets import Input

    from tui.screens.journal.lesson_form import LessonFormScreen

    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        assert screen.data is not None
        last = screen.data.page.lessons[-1].date
        sunday = last - timedelta(days=(last.weekday() + 1) % 7 or 7)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                         and pilot.app.screen.record is not None)
        form = pilot.app.screen
        form.query_one("#lesson_date", Input).value = f"{sunday:%d.%m.%Y}"
        form.query_one("#pair_no", Input).value = "6"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        assert "воскресенье" in pilot.app.screen.question
        await pilot.press("enter")                        # the focused answer: «Вернуться»
        await wait_until(pilot, lambda: pilot.app.screen is form)
        assert not any(lesson.date == sunday for lesson in screen.data.page.lessons)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("left", "enter")                # «Создать»
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        await wait_until(pilot, lambda: screen.data is not None and any(
            lesson.date == sunday for lesson in screen.data.page.lessons))

    run(demo_db, scenario)
