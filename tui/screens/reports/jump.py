"""The journal page opened on the lesson (and the student's cell) a report line is about."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from core.journal.service import PageData
from core.session import UserSession
from tui.screens.journal import page as journal_page
from tui.screens.journal.page import JournalScreen
from tui.widgets.journal_grid import JournalGrid


class JournalAtScreen(JournalScreen):
    """The journal page with the cursor on one lesson and, if given, one student's row."""

    CSS_PATH = str(Path(journal_page.__file__).with_name("journal.tcss"))
    HELP: ClassVar[str] = """\
# Журнал: переход из отчёта

Страница журнала открыта на занятии (и ячейке студента), о котором строка отчёта
контроля (п. 3.8 Положения, R8). Заполните тему, посещаемость или задание — замечание
закроется само. Клавиши — как на странице журнала; **Esc** — назад к отчёту.
"""

    def __init__(self, session: UserSession, load_id: int, lesson_id: int | None,
                 student_id: int | None) -> None:
        super().__init__(session, load_id)
        self.target_lesson = lesson_id
        self.target_student = student_id

    def _select_initial(self, grid: JournalGrid, data: PageData) -> None:
        page = data.page
        if self.target_lesson is None or self.target_lesson not in page.col_of:
            super()._select_initial(grid, data)
            return
        student = self.target_student
        row = grid.cursor_row if student is None else page.row_of.get(student, grid.cursor_row)
        grid.move_cursor(row, page.col_of[self.target_lesson])
