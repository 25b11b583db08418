"""A refresh read before a cell was saved must not draw the older value over it.

CI found this as a flaky test: the page re-reads its cells when the database says something
changed (its own saves included). When that read ran before the next typed value reached the
database and its answer arrived after, the older value was drawn over the saved one: the screen
showed НН while the database held П, and the mark typed next was refused as «на
отсутствующего». The same could happen on the curator's day and on a statement re-read after a
refusal. Here the read is held on purpose between the two moments.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot

import core.statements.service as statement_service
import tui.screens.curator.attendance_day as day_module
import tui.screens.journal.page as page_module
from core.statements.service import read_statement
from kernel.marks import StatementValue
from tests.curator_fixture import attendance, curator_group, recent_day, settle, wipe_attendance
from tests.curator_fixture import run as run_day
from tests.demo_fixture import DemoDb
from tests.saving.test_page_saving import empty_column
from tests.tui.screens.family.test_screens import run as run_screen
from tests.tui.screens.family.test_screens import settle as settle_screen
from tests.tui.screens.journal.pilot import cell_in_db, cursor, run, saved, wait_until
from tests.tui.screens.statements.sheet_pilot import new_statement, open_sheet
from tui.screens.curator.attendance_day import AttendanceDayScreen
from tui.screens.journal.page import JournalScreen
from tui.screens.statements.screen import StatementsScreen


class HeldRead:
    """A reader of the page (``name`` in its module) that reads at once but answers only when
    released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, module: Any = page_module) -> None:
        self.real = getattr(module, name)
        self.done, self.release = threading.Event(), threading.Event()
        monkeypatch.setattr(module, name, self)

    def __call__(self, *args: Any) -> Any:
        cells = self.real(*args)
        self.done.set()
        self.release.wait(20)
        return cells


@pytest.mark.parametrize(("reader", "action"), [
    ("read_page_cells", "reload_cells"),  # the cells, on a notification of a change
    ("load_page", "reload"),  # the whole page, after F2 or Ctrl+R
])
def test_a_read_begun_before_a_save_does_not_draw_the_older_value(
        demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch, reader: str, action: str) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        if screen.listener is not None:  # only the held read refreshes the page here
            screen.listener.stop()
        empty_column(screen)
        lesson_id, student = cursor(screen)
        await pilot.press("н")
        await wait_until(pilot, lambda: saved(screen))
        held = HeldRead(monkeypatch, reader)
        getattr(screen, f"action_{action}")()
        await wait_until(pilot, held.done.is_set)
        await pilot.press("up", "п")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student) == ([], "П")
        held.release.set()
        await wait_until(pilot, lambda: not any(w.is_running for w in screen.workers))
        await pilot.pause()
        assert grid.page.cell(student, lesson_id).attendance is not None
        assert grid.page.cell(student, lesson_id).attendance.value == "П"
        await pilot.press("up", "3")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student) == (["3"], "П")

    run(demo_db, scenario)



def test_the_curators_day_keeps_a_cell_saved_after_its_refresh_began(
        demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on the curator's day: a held refresh does not put НН back over a saved П."""
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    day = recent_day(curator, group, 2)
    wipe_attendance(demo_db, day.lesson_ids)
    screen = AttendanceDayScreen(curator, day.day)
    typed: list[tuple[int, int]] = []

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        grid = screen.grid
        assert grid is not None and screen.listener is not None
        screen.listener.stop()
        student, lesson = grid.current_student, grid.current_lesson
        assert student is not None and lesson is not None and lesson.lesson_id > 0
        typed.append((student.student_id, lesson.lesson_id))
        row, col = grid.cursor_row, grid.cursor_col
        await pilot.press("н")
        await settle(pilot, screen.saver)
        held = HeldRead(monkeypatch, "read_cells", day_module)
        screen._read_cells()
        await wait_until(pilot, held.done.is_set)
        grid.move_cursor(row, col)
        await pilot.press("п")
        await wait_until(pilot, lambda: not screen.link.has_pending())
        held.release.set()
        await settle(pilot)
        assert screen.data is not None
        shown = screen.data.page.cell(*typed[0]).attendance
        assert shown is not None and shown.value == "П"

    run_day(demo_db.settings, curator, screen, scenario)
    assert attendance(demo_db, [typed[0][1]])[typed[0]] == "П"


def test_a_statement_reread_keeps_a_line_saved_after_the_read_began(
        demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on a statement (re-read after a refusal): a held read does not put 5 back
    over a saved 4."""
    teacher, load, statement_id, first = new_statement(demo_db)

    async def scenario(pilot: Pilot[None], screen: StatementsScreen) -> None:
        table = await open_sheet(pilot, screen, load.group_name, load.discipline, load.form,
                                 statement_id)
        await pilot.press("5")
        await wait_until(pilot, lambda: not screen._edits())
        held = HeldRead(monkeypatch, "read_statement", statement_service)
        screen._read_sheet(statement_id)
        await wait_until(pilot, held.done.is_set)
        table.move_cursor(row=0)
        await pilot.press("4")
        await wait_until(pilot, lambda: not screen._edits())
        held.release.set()
        await settle_screen(pilot)
        assert screen.sheet is not None
        assert screen.sheet.lines[0].value is StatementValue.FOUR

    run_screen(demo_db.settings, teacher, StatementsScreen(teacher), scenario)
    values = {line.student_id: line.value for line in read_statement(teacher, statement_id).lines}
    assert values[first] is StatementValue.FOUR
