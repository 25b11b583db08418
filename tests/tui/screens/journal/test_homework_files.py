"""F9 on the journal page as a teacher uses it: attach a file by its path, a wrong one is
refused in Russian and stores nothing, remove one after the confirmation (kept on record)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.core.homework.sample import EXE, PDF
from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import run, wait_until
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.homework_files import HomeworkFilesScreen
from tui.screens.journal.page import JournalScreen


def _rows(demo: DemoDb, lesson_id: int) -> list[tuple[str, bool]]:
    with demo.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(
            "SELECT file_name, removed_at IS NOT NULL FROM journal.homework_file "
            "WHERE lesson_id = %s ORDER BY id", (lesson_id,)).fetchall()]


def _status(dialog: HomeworkFilesScreen) -> str:
    return str(dialog.query_one("#hw-status", Static).render())


def test_teacher_attaches_and_removes_a_file(demo_db: DemoDb, tmp_path: Path) -> None:
    good, bad = tmp_path / "Задачи.pdf", tmp_path / "программа.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(EXE)

    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        assert screen.data is not None and screen.grid is not None
        lesson_id = screen.data.page.lessons[-1].lesson_id
        screen.grid.select_lesson(lesson_id)
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeworkFilesScreen))
        dialog = pilot.app.screen
        assert isinstance(dialog, HomeworkFilesScreen) and dialog.lesson_id == lesson_id
        await wait_until(pilot, lambda: "Файлов к этому заданию нет" in _status(dialog))
        path = dialog.query_one("#hw-path", Input)
        path.focus()
        path.value = str(bad)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Не прикреплён" in _status(dialog))
        assert "только PDF, DOCX или картинку" in _status(dialog) and _rows(demo_db, lesson_id) == []
        path.value = str(good)
        await pilot.press("enter")
        table = dialog.query_one("#hw-files", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        assert "Прикреплён «Задачи.pdf»" in _status(dialog)
        assert _rows(demo_db, lesson_id) == [("Задачи.pdf", False)]
        assert table.has_focus
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("left", "enter")
        await wait_until(pilot, lambda: pilot.app.screen is dialog and table.row_count == 0
                         and "убран" in _status(dialog))
        assert _rows(demo_db, lesson_id) == [("Задачи.pdf", True)]
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen)

    run(demo_db, scenario)
