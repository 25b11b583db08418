"""F3 on the journal page: who changed the cell by name, and the reason in full at 80×24."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable, Static

from core.journal.page import LessonColumn, StudentRow
from db.connect import transaction
from tests.core.family.conftest import raw
from tests.demo_fixture import DemoDb, teacher_load
from tests.tui.screens.journal.pilot import wait_until
from tui.app import EJournalApp
from tui.dialogs.cell_history import CellHistoryScreen

REASON = "ошибка при переносе из бумажного журнала: отметка относится к другому студенту группы"


def test_history_shows_the_name_and_the_whole_reason(demo_db: DemoDb) -> None:
    session, load_id = teacher_load(demo_db)
    teacher = demo_db.account("преподаватель")
    with demo_db.connect() as conn:
        lesson_id, student_id, day, pair = conn.execute(
            "SELECT m.lesson_id, m.student_id, l.lesson_date, l.pair_no FROM journal.mark m"
            " JOIN journal.lesson l ON l.id = m.lesson_id WHERE l.load_id = %s"
            " ORDER BY l.lesson_date DESC LIMIT 1", (load_id,)).fetchone()
    with raw(demo_db, teacher.login) as conn, transaction(conn, REASON):
        conn.execute("UPDATE journal.mark SET value = CASE WHEN value = '3' THEN '4' ELSE '3' END"
                     " WHERE lesson_id = %s AND student_id = %s", (lesson_id, student_id))
    lesson = LessonColumn(lesson_id, day, pair, "Т", "тема", "Емельянов Г. М.")
    student = StudentRow(student_id, "Студент", "Имя", 1)
    app = EJournalApp(demo_db.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = CellHistoryScreen(session, lesson, student)
            await app.push_screen(screen)
            table = screen.query_one(DataTable)
            await wait_until(pilot, lambda: table.row_count > 0)
            who = [table.get_row_at(i)[1] for i in range(table.row_count)]
            assert "Емельянов Г. М." in who and teacher.login not in who
            table.move_cursor(row=table.row_count - 1)
            await pilot.pause()
            shown = str(screen.query_one("#history-reason", Static).render())
            assert REASON in shown.replace("\n", " ")

    asyncio.run(main())
