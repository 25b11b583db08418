"""The page follows others' changes, not its own: the notification of a mark the program
itself saved brings no read of the page (it was read again after every typed mark, thirty
times a second on a college server), while another session's change still does."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import add_makeup_lesson, run, saved, wait_until
from tui.screens.journal import page as page_module
from tui.screens.journal.page import JournalScreen


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the page's reads of its cells (from the listener: ``_read_cells``)."""
    reads: list[int] = []
    real = page_module.read_page_cells

    def counted(*args: object) -> object:
        reads.append(1)
        return real(*args)   # type: ignore[arg-type]

    monkeypatch.setattr(page_module, "read_page_cells", counted)
    return reads


async def _studying_rows(pilot: Pilot[None], screen: JournalScreen) -> tuple[int, list[int]]:
    """A new empty column with the cursor on its first studying row: (lesson, student ids)."""
    grid = screen.grid
    assert grid is not None
    lesson_id = await add_makeup_lesson(pilot, screen)
    page = grid.page
    rows = [row for row, s in enumerate(page.students) if page.away_sign(s.student_id, lesson_id) is None]
    grid.move_cursor(rows[0], grid.cursor_col)
    await pilot.pause()
    return lesson_id, [page.students[row].student_id for row in rows]


def test_the_programs_own_saves_bring_no_read_of_the_page(
        demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await _studying_rows(pilot, screen)
        await wait_until(pilot, lambda: saved(screen))
        await pilot.pause(1.5)          # the make-up lesson's own notes have come and gone
        reads = _count_reads(monkeypatch)
        for key in "543":
            await pilot.press(key)
            await wait_until(pilot, lambda: saved(screen))
        await pilot.pause(1.5)          # the listener waits for notes 0.5 s at a time
        assert reads == [], f"the page was read again {len(reads)} times after its own saves"

    run(demo_db, scenario)


def test_another_sessions_mark_is_read_and_shown(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id, students = await _studying_rows(pilot, screen)
        await wait_until(pilot, lambda: saved(screen))
        other = demo_db.log_in("преподаватель")      # the same teacher in another program
        with other.new_connection() as conn:
            conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)"
                         " VALUES (%s, %s, %s, 'test', '4')", (lesson_id, screen.load_id, students[-1]))
            conn.commit()
        other.close()
        assert screen.grid is not None
        page = screen.grid.page
        await wait_until(pilot, lambda: [m.value for m in page.cell(students[-1], lesson_id).marks]
                         == ["4"])

    run(demo_db, scenario)
