"""The family week view and legend driven by keys (Pilot), and a curator's new lesson
arriving without F5."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from textual.widgets import DataTable, Markdown, Static

from core.attendance.queries import insert_lesson
from core.family.service import children
from core.family.week import monday_of, read_week
from tests.tui.screens.start.test_home_unread import wait_for
from tui.app import EJournalApp
from tui.screens.family.legend import LegendScreen
from tui.screens.family.screen import FamilyScreen
from tui.screens.family.week import WeekScreen


def _cells(screen: WeekScreen) -> list[list[str]]:
    table = screen.query_one("#week-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def test_week_keys_legend_and_data(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    child = children(parent)[0]
    this_monday = monday_of(date.today())
    with demo_db.connect() as conn:
        last = conn.execute("SELECT max(l.lesson_date) FROM journal.mark m JOIN journal.lesson l"
                            " ON l.id = m.lesson_id WHERE m.student_id = %s",
                            (child.student_id,)).fetchone()[0]
    busy = monday_of(last)
    steps = (this_monday - busy).days // 7

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=parent)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.app.workers.wait_for_complete()
            family = FamilyScreen(parent)
            app.push_screen(family)
            await wait_for(pilot, lambda: bool(family.children_))
            if len(family.children_) > 1:      # a parent of several picks the first
                await pilot.press("enter")
            await wait_for(pilot, lambda: family.view is not None)
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, WeekScreen))
            week = app.screen
            assert isinstance(week, WeekScreen)
            await wait_for(pilot, lambda: week.week is not None)
            assert week.monday == this_monday
            assert "(эта неделя)" in str(week.query_one("#week-title", Static).render())
            for _ in range(steps):
                await pilot.press("left")
            await wait_for(pilot, lambda: week.week is not None and week.week.monday == busy)
            for widget in week.query("*"):
                if widget.display and widget.region.area:
                    assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
            expected = read_week(parent, child.student_id, busy)
            assert week.week == expected and expected.mark_count
            rows = _cells(week)
            assert len(rows) == len(expected.lessons)
            for row, lesson in zip(rows, expected.lessons, strict=True):
                assert row[1] == str(lesson.pair_no) and row[3] == lesson.attendance_text
                assert row[4] == ", ".join(m.text for m in lesson.marks)
            await pilot.press("right")
            await wait_for(pilot, lambda: week.week is not None and week.week.monday == busy + timedelta(7))
            await pilot.press("т")
            await wait_for(pilot, lambda: week.week is not None and week.week.monday == this_monday)
            await pilot.press("left")
            await wait_for(pilot, lambda: week.week is not None and week.week.monday < this_monday)
            await pilot.press("home")
            await wait_for(pilot, lambda: week.week is not None and week.week.monday == this_monday)
            await pilot.press("л")
            await wait_for(pilot, lambda: isinstance(app.screen, LegendScreen))
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            shown = app.screen.query_one("#legend-text", Markdown).source
            assert "**КР** — контрольная работа" in shown and "**НН**" in shown
            assert "НУ" in WeekScreen.HELP and "Итог 3" in WeekScreen.HELP
            await pilot.press("escape")
            assert app.screen is week
            await pilot.press("escape")
            assert app.screen is family

    asyncio.run(main())
    parent.close()


def test_a_curators_new_lesson_appears_without_f5(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    curator = demo_db.log_in("куратор")
    child = children(parent)[0]
    monday = monday_of(date.today())
    with demo_db.connect() as conn:
        load_id = conn.execute(
            "SELECT t.id FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id"
            " WHERE s.person_id = %s AND t.subgroup_id IS NULL ORDER BY t.id LIMIT 1",
            (child.student_id,)).fetchone()[0]

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=parent)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.app.workers.wait_for_complete()
            week = WeekScreen(parent, child, monday)
            app.push_screen(week)
            await wait_for(pilot, lambda: week.week is not None and week.listener is not None)
            await pilot.pause(1.0)
            before = len(week.week.lessons)
            with curator.cursor() as cur, cur.connection.transaction():
                lesson = insert_lesson(cur.connection, load_id, monday, 7, 2)
                cur.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code)"
                            " VALUES (%s, %s, %s, 'НН')", (lesson, load_id, child.student_id))
            await wait_for(pilot, lambda: len(week.week.lessons) == before + 1)
            added = next(x for x in week.week.lessons if x.lesson_id == lesson)
            assert added.attendance_text == "НН 2 ч"
            assert "НН 2 ч" in str(week.query_one("#week-title", Static).render())

    asyncio.run(main())
    curator.close()
    parent.close()
