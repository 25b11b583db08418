"""The journal page as people use it: typing, undo, bulk fill, conflicts, reconnects.

Each test opens the demo teacher's page in the real app over a copy of the demo database,
presses keys through Pilot and checks what the database holds afterwards.
"""

from __future__ import annotations

import asyncio

from textual.pilot import Pilot

from tests.demo_fixture import DemoDb, teacher_load
from tests.tui.screens.journal.pilot import (
    SIZE,
    add_makeup_lesson,
    cell_in_db,
    cursor,
    open_page,
    run,
    saved,
    wait_until,
)
from tui.app import EJournalApp
from tui.screens.journal.page import JournalScreen
from tui.widgets.journal_grid import JournalGrid


def test_typed_mark_is_saved_by_the_teacher_and_moves_down(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("home")
        lesson_id, student_id = cursor(screen)
        before = cell_in_db(demo_db, lesson_id, student_id)[0]
        await pilot.press("2")
        await wait_until(pilot, lambda: saved(screen))
        assert grid.cursor_row == 1
        assert cell_in_db(demo_db, lesson_id, student_id)[0] == [*before, "2"] or "2" in \
            cell_in_db(demo_db, lesson_id, student_id)[0]
        with demo_db.connect() as conn:
            who = conn.execute(
                "SELECT changed_by FROM journal.change_log WHERE table_name = 'mark' "
                "ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert who == screen.session.person.login

    run(demo_db, scenario)


def test_undo_restores_the_old_value_as_a_new_recorded_change(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.press("home")
        lesson_id, student_id = cursor(screen)
        before = cell_in_db(demo_db, lesson_id, student_id)
        await pilot.press("н")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student_id)[1] == "НН"
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student_id) == before
        with demo_db.connect() as conn:
            count = conn.execute(
                "SELECT count(*) FROM journal.change_log WHERE table_name = 'attendance' "
                "AND student_id = %s AND changed_by = %s",
                (student_id, screen.session.person.login)).fetchone()[0]
        assert count == 2

    run(demo_db, scenario)


def test_fill_present_and_typed_sequence(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None and screen.data is not None
        lesson_id = await add_makeup_lesson(pilot, screen)   # an empty column to fill
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: saved(screen))
        with demo_db.connect() as conn:
            present = conn.execute("SELECT count(*) FROM journal.attendance WHERE lesson_id = %s "
                                   "AND code = 'П'", (lesson_id,)).fetchone()[0]
        assert present == len(grid.page.students)
        grid.move_cursor(0, grid.cursor_col)
        screen._type_sequence("5 4 н . 3")
        await pilot.pause()
        await wait_until(pilot, lambda: saved(screen))
        first, second, third, _fourth, fifth = (s.student_id for s in grid.page.students[:5])
        assert cell_in_db(demo_db, lesson_id, first)[0] == ["5"]
        assert cell_in_db(demo_db, lesson_id, second)[0] == ["4"]
        assert cell_in_db(demo_db, lesson_id, third)[1] == "НН"
        assert cell_in_db(demo_db, lesson_id, fifth)[0] == ["3"]

    run(demo_db, scenario)


def test_conflict_shows_both_values_and_keeps_mine_on_request(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.press("home")
        lesson_id, student_id = cursor(screen)
        with demo_db.connect() as conn:  # the office corrects the same cell meanwhile
            conn.execute("DELETE FROM journal.attendance WHERE lesson_id = %s AND student_id = %s",
                         (lesson_id, student_id))
            conn.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
                         "SELECT id, load_id, %s, 'НУ' FROM journal.lesson WHERE id = %s",
                         (student_id, lesson_id))
        screen.listener.stop() if screen.listener else None  # the page has not seen it yet
        await pilot.press("н")
        # the dialog is on the stack before its buttons are mounted: wait for them
        await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ConflictScreen"
                         and bool(pilot.app.screen.query("#mine")))
        text = " ".join(str(w.render()) for w in pilot.app.screen.query("Static"))
        assert "НН" in text and "НУ" in text
        await pilot.click("#mine")
        await wait_until(pilot, lambda: saved(screen)
                         and cell_in_db(demo_db, lesson_id, student_id)[1] == "НН")

    run(demo_db, scenario)


def test_dropped_connection_keeps_the_change_and_replays_it(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.press("home")
        await pilot.press("3")  # the saver connects
        await wait_until(pilot, lambda: saved(screen))
        await pilot.press("up")
        lesson_id, student_id = cursor(screen)
        with demo_db.connect() as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE usename = %s AND datname = current_database()",
                         (screen.session.person.login,))
        await pilot.press("4")
        await wait_until(pilot, lambda: saved(screen), timeout=15)
        assert "4" in cell_in_db(demo_db, lesson_id, student_id)[0]

    run(demo_db, scenario)


def test_student_sees_the_page_read_only_with_their_own_row(demo_db: DemoDb) -> None:
    student = demo_db.log_in("обучающийся")
    with demo_db.connect() as conn:
        load_id = conn.execute(
            "SELECT t.id FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id "
            "JOIN journal.lesson l ON l.load_id = t.id WHERE s.person_id = %s AND t.subgroup_id IS NULL "
            "GROUP BY t.id ORDER BY count(*) DESC LIMIT 1", (student.person.person_id,)).fetchone()[0]
    app = EJournalApp(demo_db.settings, session=student)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_page(pilot, student, load_id)
            grid = screen.grid
            assert grid is not None
            assert [s.student_id for s in grid.page.students] == [student.person.person_id]
            assert grid.read_only
            before = dict(grid.page.cells)
            await pilot.press("5")
            await pilot.pause()
            assert grid.page.cells == before
            for worker in (screen.saver, screen.listener):
                if worker is not None:
                    worker.stop()

    asyncio.run(main())


def test_grid_is_a_journal_grid(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        assert isinstance(screen.grid, JournalGrid)
        assert screen.data is not None and len(screen.data.page.students) >= 20

    run(demo_db, scenario)


def test_office_moves_to_the_same_discipline_in_the_next_group(demo_db: DemoDb) -> None:
    office = demo_db.log_in("учебной части")
    from core.journal.moves import neighbour_load

    _teacher, load_id = teacher_load(demo_db)
    target = neighbour_load(office, load_id, 1)
    app = EJournalApp(demo_db.settings, session=office)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_page(pilot, office, load_id)
            assert screen.editable
            await pilot.press("ctrl+pagedown")
            if target is None:
                return
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, JournalScreen)
                             and pilot.app.screen.load_id == target
                             and pilot.app.screen.grid is not None)
            moved = pilot.app.screen
            assert isinstance(moved, JournalScreen)
            for worker in (moved.saver, moved.listener):
                if worker is not None:
                    worker.stop()

    asyncio.run(main())


def test_teacher_lists_own_and_substituted_loads_office_lists_all(demo_db: DemoDb) -> None:
    from core.journal.service import list_loads

    teacher = demo_db.log_in("преподаватель")
    office = demo_db.log_in("учебной части")
    mine = list_loads(teacher)
    with demo_db.connect() as conn:
        allowed = {r[0] for r in conn.execute(
            "SELECT t.id FROM journal.teaching_load t WHERE t.teacher_id = %(me)s "
            "OR EXISTS (SELECT FROM journal.lesson l WHERE l.load_id = t.id AND l.taught_by = %(me)s)",
            {"me": teacher.person.person_id}).fetchall()}
        total = conn.execute("SELECT count(*) FROM journal.teaching_load").fetchone()[0]
    assert {load.load_id for load in mine} == allowed
    assert mine[0].is_mine
    assert len(list_loads(office)) == total


def test_quitting_with_unsaved_changes_asks_first(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        assert screen.saver is not None
        screen.saver.stop()  # the link is down: what is typed stays pending
        await pilot.press("home", "4")
        await pilot.pause()
        assert screen.saver.has_pending()
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ConfirmScreen")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.is_running and pilot.app.screen is screen

    run(demo_db, scenario)
