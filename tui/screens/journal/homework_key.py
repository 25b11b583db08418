"""F9 of the journal page: the files of the selected lesson's homework (issue 16, item 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from tui.screens.journal.page import JournalScreen


class HomeworkFilesKey:
    """Opens the homework files dialog for the lesson under the cursor (a mixin of the page)."""

    def action_homework_files(self) -> None:
        """The selected lesson's homework files: open, attach, remove."""
        from tui.dialogs.homework_files import HomeworkFilesScreen

        page = cast("JournalScreen", self)
        grid = page.grid
        if grid is None or grid.current_lesson is None:
            return
        lesson = grid.current_lesson
        title = f"{lesson.date:%d.%m.%Y}, {lesson.pair_no} пара"
        if lesson.topic:
            title += f" · {lesson.topic}"
        page.app.push_screen(HomeworkFilesScreen(page.session, lesson.lesson_id, title,
                                                 writable=page.editable))
