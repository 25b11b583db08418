"""What the journal page says about saving is what the database holds (Pilot, real database)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from textual.pilot import Pilot

from core.journal.outbox import Outbox
from core.journal.page import Change
from kernel.marks import MarkValue
from tests.demo_fixture import DemoDb, teacher_load
from tests.tui.screens.journal.pilot import cell_in_db, cursor, run, saved, wait_until
from tui.app import EJournalApp
from tui.screens.journal.page import JournalScreen


def status(screen: JournalScreen) -> str:
    return str(screen.query_one("#journal-status").render())


def empty_column(screen: JournalScreen) -> None:
    """Put the cursor at the top of a lesson where nobody has a mark of its kind."""
    grid = screen.grid
    assert grid is not None
    page = grid.page
    for col, lesson in reversed(list(enumerate(page.lessons))):
        if all(page.cell(s.student_id, lesson.lesson_id).mark_for(lesson.default_work_kind) is None
               and page.cell(s.student_id, lesson.lesson_id).attendance is None for s in page.students):
            grid.move_cursor(0, col)
            return
    raise AssertionError("no empty lesson on the page")


def test_an_f7_column_is_on_disk_in_one_record_before_the_grid_shows_it(demo_db: DemoDb) -> None:
    """Reproduction 4: the column is written (one write, one fsync) before it is drawn."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid, saver = screen.grid, screen.saver
        assert grid is not None and saver is not None and saver.outbox.path is not None
        empty_column(screen)
        rows = min(23, len(grid.page.students))
        lesson_id = grid.page.lessons[grid.cursor_col].lesson_id
        shown_at_store: list[bool] = []
        store = grid.store
        assert store is not None

        def watching(changes: list[Change]) -> None:
            shown_at_store.append(any(grid.page.cell(c.student_id, c.lesson_id).marks for c in changes))
            store(changes)

        grid.store = watching
        screen._type_sequence(" ".join("5432"[i % 4] for i in range(rows)))
        adds = [json.loads(line[9:]) for line in saver.outbox.path.read_text("utf-8").splitlines()]
        batches = [r["c"] for r in adds if r["t"] == "add" and r["c"][0]["l"] == lesson_id]
        assert shown_at_store == [False] and [len(b) for b in batches] == [rows]
        await wait_until(pilot, lambda: saved(screen))
        assert all(cell_in_db(demo_db, lesson_id, s.student_id)[0] for s in grid.page.students[:rows])

    run(demo_db, scenario)


def test_a_correction_of_an_old_mark_asks_for_the_reason_and_esc_puts_the_stored_value_back(
        demo_db: DemoDb) -> None:
    """Reproduction 2: the grid asks for the reason once; Esc keeps the stored value; the
    status line never says «сохранены» while a cell is held."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("home")
        lesson_id, student_id = cursor(screen)
        kind = grid.page.lessons[0].default_work_kind
        with demo_db.connect() as conn:
            conn.execute("SET session_replication_role = replica")
            conn.execute("DELETE FROM journal.mark WHERE lesson_id = %s AND student_id = %s",
                         (lesson_id, student_id))
            conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value,"
                         " changed_at) SELECT id, load_id, %s, %s, '3', now() - interval '30 days'"
                         " FROM journal.lesson WHERE id = %s", (student_id, kind, lesson_id))
        screen.action_reload()
        await wait_until(pilot, lambda: grid.page.cell(student_id, lesson_id).mark_for(kind) is not None)
        await pilot.press("4")
        await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "PromptScreen")
        assert "сохранены" not in status(screen) or "не сохранены" in status(screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: saved(screen) and grid.page.cell(
            student_id, lesson_id).mark_for(kind) == MarkValue.THREE)
        assert cell_in_db(demo_db, lesson_id, student_id)[0] == ["3"]
        grid.move_cursor(0, grid.cursor_col)
        await pilot.press("5")
        await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "PromptScreen")
        await pilot.press(*"опечатка", "enter")
        await wait_until(pilot, lambda: saved(screen)
                         and cell_in_db(demo_db, lesson_id, student_id)[0] == ["5"])
        with demo_db.connect() as conn:
            reason = conn.execute("SELECT reason FROM journal.change_log WHERE table_name = 'mark'"
                                  " ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert reason == "опечатка"
        assert "Все изменения сохранены" in status(screen)

    run(demo_db, scenario)


def test_a_refused_cell_is_marked_and_f3_says_why(demo_db: DemoDb) -> None:
    """Reproduction 2: one refused cell is held and explained; the rest is saved."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("home")
        gone, student_id = cursor(screen)
        with demo_db.connect() as conn:  # the lesson is deleted under the open page
            conn.execute("DELETE FROM journal.lesson WHERE id = %s", (gone,))
        screen.listener.stop() if screen.listener else None
        await pilot.press("5")
        await wait_until(pilot, lambda: "не сохранены" in status(screen))
        assert grid.page.cell(student_id, gone).state == "failed"
        grid.move_cursor(0, grid.cursor_col)
        await pilot.press("f3")
        await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "CellHistoryScreen")
        text = " ".join(str(w.render()) for w in pilot.app.screen.query("Static"))
        assert "не сохранено" in text and "Занятие не найдено" in text

    run(demo_db, scenario)


def test_undo_survives_saving_the_lesson_record(demo_db: DemoDb) -> None:
    """Reproduction 11: the page is re-read after F2 → Ctrl+S, and Ctrl+Z still undoes."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.press("home")
        lesson_id, student_id = cursor(screen)
        before = cell_in_db(demo_db, lesson_id, student_id)
        await pilot.press("н")
        await wait_until(pilot, lambda: saved(screen))
        page = screen.data.page if screen.data else None
        screen.action_reload()  # what saving the lesson record does
        await wait_until(pilot, lambda: screen.data is not None and screen.data.page is not page)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: saved(screen)
                         and cell_in_db(demo_db, lesson_id, student_id) == before)

    run(demo_db, scenario)


def test_the_server_stopped_and_started_under_an_open_page(demo_db: DemoDb) -> None:
    """The status says «Нет связи» while the server is down, and the mark arrives after."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.press("home", "3")
        await wait_until(pilot, lambda: saved(screen))
        lesson_id, student_id = cursor(screen)
        demo_db.server.stop("fast")
        try:
            await pilot.press("4")
            await wait_until(pilot, lambda: "Нет связи" in status(screen), timeout=15)
            assert "сохранены на диске" in status(screen)
        finally:
            demo_db.server.start()
        await wait_until(pilot, lambda: saved(screen), timeout=30)
        assert "4" in cell_in_db(demo_db, lesson_id, student_id)[0]

    run(demo_db, scenario)


def test_changes_left_by_a_killed_program_are_sent_at_login(demo_db: DemoDb) -> None:
    """Reproduction 7: the next login finds the outbox, says so on the home screen, sends it."""
    session, load_id = teacher_load(demo_db)
    with demo_db.connect() as conn:
        lesson_id, student_id = conn.execute(
            "SELECT l.id, s.person_id FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id"
            " JOIN journal.student s ON s.group_id = t.group_id WHERE l.load_id = %s"
            " AND NOT EXISTS (SELECT FROM journal.mark m WHERE m.lesson_id = l.id"
            " AND m.student_id = s.person_id AND m.work_kind = 'test') LIMIT 1", (load_id,)).fetchone()
    left = Outbox.open(session.person.login, session.database_id)
    left.add(load_id, [Change(student_id, lesson_id, "test", None, MarkValue.FIVE)])
    assert left._handle is not None
    left._handle.close()  # the program was killed: its lock is gone, its file stays
    app = EJournalApp(demo_db.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "HomeScreen")
            text = str(pilot.app.screen.query_one("#home-saving").render())
            assert "Из прошлого запуска программы взято изменений: 1" in text
            await wait_until(pilot, lambda: _mark(demo_db, lesson_id, student_id) == "5")
            await wait_until(pilot, lambda: "Ждут отправки" not in str(
                pilot.app.screen.query_one("#home-saving").render()))

    asyncio.run(main())


def _mark(demo: DemoDb, lesson_id: int, student_id: int) -> Any:
    with demo.connect() as conn:
        row = conn.execute("SELECT value FROM journal.mark WHERE lesson_id = %s AND student_id = %s"
                           " AND work_kind = 'test'", (lesson_id, student_id)).fetchone()
    return row[0] if row else None


def test_a_password_reset_under_an_open_page_locks_and_the_new_password_sends(demo_db: DemoDb) -> None:
    """Reproduction 2 (re-login): the changes wait; the lock screen asks; typing the password
    the administrator issued (then a new one of one's own) lets them through."""
    from kernel.passwords import derive_password

    issued, own = "Выдан-2026-12", "Свой-пароль-2026"

    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        session = screen.session
        login, original = session.person.login, session.credentials.derived_password
        derived = derive_password(login, issued, installation_salt=session.settings.auth_salt)
        await pilot.press("home")
        lesson_id, student_id = cursor(screen)
        try:
            with demo_db.connect() as conn:
                conn.execute(f"ALTER ROLE \"{login}\" PASSWORD '{derived}'")
                conn.execute("SELECT journal.accept_password(%s)", (login,))   # set by hand
                conn.execute("UPDATE journal.account SET must_change_password = true WHERE login = %s",
                             (login,))
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                             (login,))
            await pilot.press("5")
            await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "LockScreen", timeout=15)
            assert "Нужно войти заново" in status(screen)
            await pilot.press(*issued, "enter")
            await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ChangePasswordScreen"
                             and getattr(pilot.app.focused, "id", None) == "new1", timeout=15)
            await pilot.press(*own, "enter")   # the next field takes keys once Enter is handled
            await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "new2")
            await pilot.press(*own, "enter")
            await wait_until(pilot, lambda: saved(screen) and "5" in cell_in_db(demo_db, lesson_id,
                                                                                student_id)[0], timeout=20)
        finally:
            with demo_db.connect() as conn:
                conn.execute(f"ALTER ROLE \"{login}\" PASSWORD '{original}'")
                conn.execute("SELECT journal.accept_password(%s)", (login,))

    run(demo_db, scenario)
