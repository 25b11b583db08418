"""The journal grid driven by keys through Pilot, on a tiny app hosting only the grid."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from core.journal.page import Cell, Change, JournalPage, LessonColumn, StudentRow
from kernel.errors import LockedError, ValidationError
from kernel.marks import Attendance, MarkValue
from tui.widgets.journal_grid import JournalGrid

SIZE = (120, 20)


def make_page(students: int = 8, lessons: int = 40, pass_fail: bool = False) -> JournalPage:
    """Students 1.. named Фамилия1.., lessons 101.. two a day from 1 September."""
    rows = tuple(StudentRow(i, f"Фамилия{i}", "Имя", 1 + i % 2) for i in range(1, students + 1))
    start = date(2026, 9, 1)
    cols = tuple(LessonColumn(101 + j, start + timedelta(days=j // 2), 1 + j % 2, "Т",
                              substitute=j == 1) for j in range(lessons))
    return JournalPage("ИС-21 · Математика", rows, cols, pass_fail=pass_fail)


class GridApp(App[None]):
    """Hosts one grid and keeps the changes it posts."""

    def __init__(self, page: JournalPage) -> None:
        super().__init__()
        self.page = page
        self.changes: list[Change] = []
        self.lessons: list[int] = []

    def compose(self) -> ComposeResult:
        yield JournalGrid(self.page)

    def on_journal_grid_cell_changed(self, message: JournalGrid.CellChanged) -> None:
        self.changes.append(message.change)

    def on_journal_grid_lesson_selected(self, message: JournalGrid.LessonSelected) -> None:
        self.lessons.append(message.lesson.lesson_id)


def run(scenario: Callable[[Pilot[None], JournalGrid], Awaitable[None]],
        page: JournalPage | None = None) -> GridApp:
    """Run a scenario against a fresh app and return the app for checks."""
    app = GridApp(page or make_page())

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await scenario(pilot, app.query_one(JournalGrid))
            await pilot.pause()

    asyncio.run(main())
    return app


def line(grid: JournalGrid, y: int) -> str:
    """The text the grid draws on its line ``y`` (0 and 1 are the header)."""
    return grid.render_line(y).text


def cell_on_screen(grid: JournalGrid, row: int, column: int) -> str:
    """The text of a visible cell, read from the drawn line."""
    x = 26 + column * 6 - grid.scroll_offset.x + 1
    return line(grid, 2 + row - grid.scroll_offset.y)[x:x + 5].strip()


def test_typing_marks_moves_down_and_shows_them() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("5", "4", "3")
        assert grid.cursor_row == 3
        assert [cell_on_screen(grid, r, 0) for r in range(4)] == ["5", "4", "3", ""]

    app = run(scenario)
    assert [(c.student_id, c.lesson_id, c.new) for c in app.changes] == [
        (1, 101, MarkValue.FIVE), (2, 101, MarkValue.FOUR), (3, 101, MarkValue.THREE)]
    assert app.page.cell(1, 101).state == "pending"


def test_attendance_keys_latin_and_cyrillic_and_clear() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("н", "u", "p", "up", "delete")
        assert [cell_on_screen(grid, r, 0) for r in range(3)] == ["НН", "НУ", ""]
        assert grid.cursor_row == 2

    app = run(scenario)
    assert [c.new for c in app.changes] == [
        Attendance.UNEXCUSED, Attendance.EXCUSED, Attendance.PRESENT, None]


def test_undo_puts_back_the_old_value_as_a_new_change() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("5", "down", "right", "4")
        assert grid.check_action("undo", ()) is True
        await pilot.press("ctrl+z")
        assert (grid.cursor_row, grid.cursor_col) == (2, 1)
        assert cell_on_screen(grid, 2, 1) == ""
        assert cell_on_screen(grid, 0, 0) == "5"

    app = run(scenario)
    assert app.changes[-1] == Change(3, 102, "oral", MarkValue.FOUR, None, is_undo=True)


def test_home_end_and_frozen_names_while_scrolled() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("end")
        assert grid.cursor_col == 39 and grid.scroll_offset.x > 0
        assert line(grid, 2).startswith("  1 Фамилия1 И.")
        assert "20.09" in line(grid, 0)  # the last lesson's date shows
        await pilot.press("5")
        assert cell_on_screen(grid, 0, 39) == "5"
        await pilot.press("home")
        assert grid.cursor_col == 0 and grid.scroll_offset.x == 0
        assert "01.09" in line(grid, 0)

    assert run(scenario).lessons == [140, 101]


def test_pass_fail_keys_only_on_pass_fail_pages() -> None:
    async def plain(pilot: Pilot[None], grid: JournalGrid) -> None:
        assert grid.check_action("mark", ("зачёт",)) is False
        await pilot.press("з", "minus")
        assert grid.cursor_row == 0 and cell_on_screen(grid, 0, 0) == ""

    assert run(plain).changes == []

    async def pass_fail(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("з", "minus")
        assert [cell_on_screen(grid, r, 0) for r in range(2)] == ["з", "нз"]

    run(pass_fail, make_page(pass_fail=True))


def test_fill_column_present_then_state_and_remote_updates() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("down", "н", "up", "up", "asterisk")
        assert [cell_on_screen(grid, r, 0) for r in range(3)] == ["·", "НН", "·"]
        grid.set_cell_state(1, 101, "failed")
        grid.apply_remote(3, 101, Cell((), Attendance.EXCUSED))
        await pilot.pause()
        assert cell_on_screen(grid, 2, 0) == "НУ"

    app = run(scenario, make_page(students=3))
    assert app.page.cell(1, 101).state == "failed"
    assert [c.student_id for c in app.changes if c.new is Attendance.PRESENT] == [1, 3]


def test_read_only_grid_moves_but_does_not_edit() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        grid.read_only = True
        await pilot.press("5", "н", "delete", "down")
        assert grid.cursor_row == 1 and cell_on_screen(grid, 0, 0) == ""
        with pytest.raises(LockedError):
            grid.type_sequence("5 4")

    assert run(scenario).changes == []


def test_select_lesson_scrolls_to_it() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        grid.select_lesson(131)
        await pilot.pause()
        assert grid.cursor_col == 30 and grid.current_lesson is not None
        assert grid.current_lesson.lesson_id == 131
        assert "16.09" in line(grid, 0)

    run(scenario)


def test_type_sequence_and_page_keys() -> None:
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        grid.type_sequence("5 . н 4")
        await pilot.pause()
        assert [cell_on_screen(grid, r, 0) for r in range(4)] == ["5", "", "НН", "4"]
        await pilot.press("pagedown")
        assert grid.cursor_row == 7

    app = run(scenario)
    assert len(app.changes) == 3


def test_a_sequence_goes_from_the_cell_it_was_begun_on() -> None:
    """F7's row starts where F7 was pressed, wherever the cursor went meanwhile; a start
    that left the page is refused, not put elsewhere."""
    async def scenario(pilot: Pilot[None], grid: JournalGrid) -> None:
        await pilot.press("down", "down", "down")
        grid.type_sequence("5 4", at=(2, 101))
        await pilot.pause()
        assert [cell_on_screen(grid, r, 0) for r in range(4)] == ["", "5", "4", ""]
        assert grid.cursor_row == 3
        with pytest.raises(ValidationError, match="Ряд не внесён"):
            grid.type_sequence("3", at=(999, 101))

    assert len(run(scenario).changes) == 2


def test_lines_match_the_whole_row_cut_at_every_scroll_offset() -> None:
    """Cutting the lesson part at any offset and width shows exactly the right cells."""
    from rich.style import Style
    from textual.strip import Strip

    from tui.widgets.grid_render import COL_W, COMPONENTS, LEFT_W, RIGHT_W, GridStyles, LinePainter

    plain = {name: Style() for name in COMPONENTS}
    for lessons in (0, 3, 13):
        page = make_page(students=2, lessons=lessons)
        page.cells[(1, 102)] = Cell((), Attendance.UNEXCUSED)
        painter = LinePainter(page, GridStyles(Style(), plain, plain))
        whole = Strip(painter.row(0, 0, lessons * COL_W + 50).segments).text
        for area in (6, 11, 30):
            for scroll_x in range(max(1, lessons * COL_W - area + 1)):
                drawn = painter.row(0, scroll_x, area)
                middle = whole[LEFT_W + scroll_x:LEFT_W + scroll_x + area].ljust(area)
                assert Strip(drawn.segments).text == whole[:LEFT_W] + middle + whole[-RIGHT_W:]
                for column in range(lessons):
                    index = drawn.cell_index(column)
                    if index is not None:
                        x = sum(len(s.text) for s in drawn.segments[:index])
                        assert x == max(LEFT_W, LEFT_W + column * COL_W - scroll_x + 1)
