"""The «Отчёты» screen through Pilot on the demo: the office's control, its XLSX equal to the
screen, Enter on a line opening the exact cell of the journal; a teacher's remarks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from textual.pilot import Pilot
from textual.widgets import DataTable

from core.reports import service
from tui.screens.reports.jump import JournalAtScreen
from tui.screens.reports.screen import ReportsScreen


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def run(settings: Any, session: Any, screen: Any,
        scenario: Callable[[Pilot[None], Any], Awaitable[None]]) -> None:
    from tui.app import EJournalApp

    async def main() -> None:
        app = EJournalApp(settings, session=session)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            app.push_screen(screen)
            await settle(pilot)
            await scenario(pilot, screen)

    asyncio.run(main())


def shown_rows(screen: ReportsScreen) -> list[list[str]]:
    grid = screen.query_one("#rp-table", DataTable)
    return [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]


def test_office_control_xlsx_equals_the_screen(demo_db: Any, tmp_path: Path) -> None:
    office = demo_db.log_in("работник учебной части")
    screen = ReportsScreen(office, out_folder=tmp_path)
    expected = service.control(office, service.fortnight())

    async def scenario(pilot: Pilot[None], screen: ReportsScreen) -> None:
        assert screen.table is not None and screen.table.title == "Контроль заполнения журнала"
        rows = shown_rows(screen)
        assert rows == expected.text_rows() and len(rows) > 20
        await pilot.press("f7")
        await settle(pilot)
        sheet = load_workbook(screen.last_export).active
        read = [["" if c is None else str(c) for c in r]
                for r in sheet.iter_rows(min_row=4, max_row=3 + len(rows), values_only=True)]
        assert read == rows

    run(demo_db.settings, office, screen, scenario)


def test_enter_opens_the_exact_cell(demo_db: Any, tmp_path: Path) -> None:
    office = demo_db.log_in("работник учебной части")
    screen = ReportsScreen(office, out_folder=tmp_path)

    async def scenario(pilot: Pilot[None], screen: ReportsScreen) -> None:
        assert screen.table is not None
        index = next(i for i, j in enumerate(screen.table.jumps)
                     if j is not None and j.student_id is not None)
        target = screen.table.jumps[index]
        grid = screen.query_one("#rp-table", DataTable)
        grid.focus()
        grid.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        page = pilot.app.screen
        assert isinstance(page, JournalAtScreen) and page.load_id == target.load_id
        assert page.grid is not None
        assert page.grid.current_lesson.lesson_id == target.lesson_id
        assert page.grid.current_student.student_id == target.student_id
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen

    run(demo_db.settings, office, screen, scenario)


def test_teacher_sees_their_remarks_first(demo_db: Any) -> None:
    office = demo_db.log_in("работник учебной части")
    service.raise_remarks(office, service.fortnight())
    teacher = demo_db.log_in("преподаватель")
    count = service.remark_count(teacher)
    screen = ReportsScreen(teacher)

    async def scenario(pilot: Pilot[None], screen: ReportsScreen) -> None:
        assert screen.kind.key == "remarks"
        assert len(shown_rows(screen)) == count > 0
        assert {k.key for k in screen.kinds} >= {"control", "performance"}
        assert "controls" not in {k.key for k in screen.kinds}

    run(demo_db.settings, teacher, screen, scenario)


def test_home_shows_the_remarks_at_login_and_f9_opens_them(demo_db: Any) -> None:
    from textual.widgets import Static

    from tui.screens.start.home import HomeScreen

    office = demo_db.log_in("работник учебной части")
    service.raise_remarks(office, service.fortnight())
    teacher = demo_db.log_in("преподаватель")
    count = service.remark_count(teacher)
    home = HomeScreen(teacher)

    async def scenario(pilot: Pilot[None], screen: HomeScreen) -> None:
        notice = str(screen.query_one("#home-notice", Static).render())
        assert f"Замечаний по ведению журнала: {count}" in notice
        await pilot.press("f9")
        await settle(pilot)
        reports = pilot.app.screen
        assert isinstance(reports, ReportsScreen) and reports.kind.key == "remarks"

    run(demo_db.settings, teacher, home, scenario)


def test_curator_prints_parents_reports_for_the_group(demo_db: Any, tmp_path: Path) -> None:
    from printing.registry import install_renderers

    install_renderers()
    curator = demo_db.log_in("куратор")
    screen = ReportsScreen(curator, out_folder=tmp_path)

    async def scenario(pilot: Pilot[None], screen: ReportsScreen) -> None:
        parents = next(k for k in screen.kinds if k.key == "parents")
        screen._pick(parents, show=True)
        await settle(pilot)
        rows = shown_rows(screen)
        assert rows and len({r[0] for r in rows}) == 1
        grid = screen.query_one("#rp-table", DataTable)
        grid.focus()
        grid.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)
        assert [f.path.name for f in screen.printed] == [
            p.name for p in tmp_path.iterdir()] and rows[1][1].split()[0] in screen.printed[0].path.name
        await pilot.press("f10")
        await settle(pilot)
        assert len(screen.printed) == len(rows)

    run(demo_db.settings, curator, screen, scenario)


def test_from_the_curators_group_screen_f10(demo_db: Any, tmp_path: Path) -> None:
    from printing.registry import install_renderers
    from tui.screens.curator.students import StudentsScreen

    install_renderers()
    curator = demo_db.log_in("куратор")
    screen = StudentsScreen(curator)

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        await settle(pilot)
        table = screen.query_one("#students-table", DataTable)
        table.move_cursor(row=2)
        chosen = screen.current_student
        assert chosen is not None and screen.group is not None
        await pilot.press("f10")
        await settle(pilot)
        reports = pilot.app.screen
        assert isinstance(reports, ReportsScreen) and reports.kind.key == "parents"
        reports.out_folder = tmp_path
        rows = shown_rows(reports)
        assert {r[0] for r in rows} == {screen.group.name}
        grid = reports.query_one("#rp-table", DataTable)
        assert rows[grid.cursor_row][1] == chosen.full_name
        await pilot.press("enter")
        await settle(pilot)
        assert len(reports.printed) == 1
        assert chosen.full_name.split()[0] in reports.printed[0].path.name

    run(demo_db.settings, curator, screen, scenario)


def test_office_sets_a_retake_date(demo_db: Any) -> None:
    office = demo_db.log_in("работник учебной части")
    screen = ReportsScreen(office, start="debts")

    async def scenario(pilot: Pilot[None], screen: ReportsScreen) -> None:
        assert screen.kind.key == "debts" and screen.table is not None
        rows = shown_rows(screen)
        assert rows and all(r[7] == "не назначена" for r in rows)
        grid = screen.query_one("#rp-table", DataTable)
        grid.focus()
        grid.move_cursor(row=0)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"20.12.2026", "enter")
        await settle(pilot)
        assert [r for r in shown_rows(screen) if r[7] == "20.12.2026"] == [
            [*rows[0][:7], "20.12.2026", ""]]

    run(demo_db.settings, office, screen, scenario)


def test_f4_draws_attendance_by_week(demo_db: Any) -> None:
    """F4 on «Посещаемость»: the chart by week; the bars plotext draws are the week's НУ and
    НН hours, and they add up to the table's columns; F4 again: back to months."""
    from datetime import timedelta

    from textual.widgets import Input
    from textual_plotext import PlotextPlot

    office = demo_db.log_in("работник учебной части")
    screen = ReportsScreen(office, start="attendance")
    last = service.school_year(office).last
    dates = service.Dates(last - timedelta(days=20), last)
    expected = service.attendance(office, dates, "group", weeks=True)

    def plotted() -> list[float]:
        monitor = screen.query_one("#rp-chart", PlotextPlot).plt._active.monitor
        return [max(bar) for bar in monitor.y]

    async def scenario(pilot: Pilot[None], screen: ReportsScreen) -> None:
        screen.query_one("#rp-from", Input).value = f"{dates.first:%d.%m.%Y}"
        screen.query_one("#rp-to", Input).value = f"{dates.last:%d.%m.%Y}"
        await pilot.press("f4")
        await settle(pilot)
        table = screen.table
        assert table is not None and table.chart is not None
        assert table.rows == expected.rows and table.chart == expected.chart
        assert table.chart.title == "Пропущено часов по неделям"
        assert "график по неделям (F4)" in str(screen.query_one("#rp-dimension").render())
        excused, unexcused = (list(v) for _n, v in table.chart.series)
        assert plotted() == excused + unexcused
        assert sum(excused) == sum(int(r[3]) for r in table.rows) > 0
        assert sum(unexcused) == sum(int(r[4]) for r in table.rows) > 0
        await pilot.press("f4")
        await settle(pilot)
        assert screen.table is not None and screen.table.chart is not None
        assert screen.table.chart.title == "Пропущено часов по месяцам"

    run(demo_db.settings, office, screen, scenario)
