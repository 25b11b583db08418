"""The parent's week shows a lesson's homework files; Enter opens the list, Enter on a file
saves it into the downloads folder (0600) and says where; everything fits 80×24."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from core.family.service import children
from core.family.week import monday_of
from core.homework.store import attach_bytes
from tests.core.homework.sample import PDF
from tests.tui.screens.start.test_home_unread import wait_for
from tui.app import EJournalApp
from tui.dialogs.homework_files import HomeworkFilesScreen
from tui.screens.family.week import WeekScreen


def _fits(screen: Any) -> None:
    for widget in screen.query("*"):
        if widget.display and widget.region.area:
            assert widget.region.right <= 80 and widget.region.bottom <= 24, widget


def test_parent_opens_a_homework_file(demo_db: Any, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    parent = demo_db.log_in("родитель")
    child = children(parent)[0]
    with demo_db.connect() as conn:
        lesson_id, day = conn.execute(
            "SELECT l.id, l.lesson_date FROM journal.lesson l JOIN journal.teaching_load t "
            "ON t.id = l.load_id AND t.subgroup_id IS NULL JOIN journal.student s "
            "ON s.group_id = t.group_id WHERE s.person_id = %s ORDER BY l.lesson_date DESC, "
            "l.pair_no LIMIT 1", (child.student_id,)).fetchone()
    office = demo_db.log_in("учебной части")
    attach_bytes(office, lesson_id, "Задачи к зачёту.pdf", PDF)

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=parent)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.app.workers.wait_for_complete()
            week = WeekScreen(parent, child, monday_of(day))
            app.push_screen(week)
            await wait_for(pilot, lambda: week.week is not None)
            row = next(i for i, x in enumerate(week.week.lessons) if x.lesson_id == lesson_id)
            table = week.query_one("#week-table", DataTable)
            table.move_cursor(row=row)
            await pilot.pause()
            assert str(table.get_row_at(row)[2]).endswith("(файлы)")
            assert "Задачи к зачёту.pdf" in str(week.query_one("#week-detail", Static).render())
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeworkFilesScreen))
            dialog = app.screen
            assert isinstance(dialog, HomeworkFilesScreen) and not dialog.writable
            assert not dialog.query("#hw-path")
            await wait_for(pilot, lambda: len(dialog.files) == 1)
            _fits(dialog)
            await pilot.press("enter")
            status = dialog.query_one("#hw-status", Static)
            await wait_for(pilot, lambda: "Файл сохранён" in str(status.render()))
            saved = tmp_path / "Downloads" / "Задачи к зачёту.pdf"
            assert str(saved) in str(status.render())
            assert saved.read_bytes() == PDF and stat.S_IMODE(saved.stat().st_mode) == 0o600
            await pilot.press("delete")          # not the parent's to remove
            await pilot.pause()
            assert app.screen is dialog and len(dialog.files) == 1

    asyncio.run(main())
