"""Keys typed ahead of the program (a teacher typing over a slow SSH link): those typed right
after Enter in the F7 dialog move the page's cursor, and the typed row still starts where F7
was pressed; a mark typed right before one of the program's own keys (F1, Ctrl+Q) is put
before that key is answered."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Label, Static

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import (
    add_makeup_lesson,
    cell_in_db,
    post_keys,
    run,
    saved,
    wait_until,
)
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.prompt import PromptScreen
from tui.help import HelpScreen
from tui.screens.journal.page import JournalScreen


def test_keys_after_the_f7_enter_reach_the_page_and_the_row_starts_where_f7_was(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        grid = screen.grid
        assert grid is not None
        lesson_id = await add_makeup_lesson(pilot, screen)   # an empty column, the cursor on it
        page = grid.page
        lesson = page.lessons[page.col_of[lesson_id]]
        studying = [row for row, s in enumerate(page.students)
                    if page.away_sign(s.student_id, lesson.lesson_id) is None]
        top = studying[0]
        grid.move_cursor(top, grid.cursor_col)
        targets = [page.students[row].student_id for row in studying[:2]]
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
        await pilot.pause()
        await pilot.press("н", "space", "н")
        post_keys(pilot.app, ["enter", "down", "down"])   # Enter and two ↓ arrive together
        await wait_until(pilot, lambda: pilot.app.screen is screen
                         and all(page.cell(t, lesson.lesson_id).attendance for t in targets))
        await wait_until(pilot, lambda: saved(screen))
        assert grid.cursor_row == top + 2, "the arrows typed after Enter were lost"
        assert [page.cell(t, lesson.lesson_id).attendance for t in targets] == ["НН", "НН"]

    run(demo_db, scenario)


async def _empty_cell(pilot: Pilot[None], screen: JournalScreen) -> tuple[int, int]:
    """The cursor on the first studying row of a new, empty column: (lesson, student)."""
    grid = screen.grid
    assert grid is not None
    lesson_id = await add_makeup_lesson(pilot, screen)
    page = grid.page
    row = next(row for row, s in enumerate(page.students)
               if page.away_sign(s.student_id, lesson_id) is None)
    grid.move_cursor(row, grid.cursor_col)
    await pilot.pause()
    return lesson_id, page.students[row].student_id


def test_a_mark_typed_right_before_f1_is_put_before_the_help_opens(demo_db: DemoDb) -> None:
    """F1 is the program's own key, answered in its own turn; a mark typed just before it
    (arriving in one burst, as over a slow SSH link) was answered later, against the help
    screen, and lost without a trace. Now the mark is put first."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id, student_id = await _empty_cell(pilot, screen)
        post_keys(pilot.app, ["5", "f1"])
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause(0.3)
        assert screen.data is not None
        assert [m.value for m in screen.data.page.cell(student_id, lesson_id).marks] == ["5"], \
            "the mark typed before F1 was lost"
        await pilot.press("escape")
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student_id)[0] == ["5"]

    run(demo_db, scenario)


def test_a_mark_typed_right_before_ctrl_q_is_saved_or_the_quit_asks(demo_db: DemoDb) -> None:
    """A mark and Ctrl+Q in one burst: the program quit before the mark was put, and did not
    ask, since nothing was waiting to be saved; the mark was lost. Now the mark is put (and
    written to the outbox) first, so the quit finds it and asks, or it is saved already."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id, student_id = await _empty_cell(pilot, screen)
        post_keys(pilot.app, ["5", "ctrl+q"])
        await pilot.pause(0.3)
        if isinstance(pilot.app.screen, ConfirmScreen):     # «Не все изменения сохранены»
            await pilot.press("escape")                      # stay
        await wait_until(pilot, lambda: saved(screen))
        assert cell_in_db(demo_db, lesson_id, student_id)[0] == ["5"], \
            "the mark typed before Ctrl+Q was lost"

    run(demo_db, scenario)


@pytest.mark.parametrize(("key", "ask"), [("ctrl+q", "Выйти из программы?"), ("escape", "Выйти?")])
def test_the_quit_question_says_so_when_the_changes_are_saved_while_it_is_open(
        demo_db: DemoDb, key: str, ask: str) -> None:
    """Ctrl+Q (quit) or Esc (leave the page) with a mark on its way asks «Не все изменения
    сохранены»; when the save lands while the question is open, it says «Все изменения
    сохранены» instead of the stale fear."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id, student_id = await _empty_cell(pilot, screen)
        with demo_db.connect() as blocker:     # the save waits for this lock
            blocker.execute("BEGIN")
            blocker.execute("LOCK TABLE journal.mark IN SHARE ROW EXCLUSIVE MODE")
            await pilot.press("5")
            await pilot.pause(0.5)
            await pilot.press(key)
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
            dialog = pilot.app.screen
            assert "Не все" in str(dialog.query_one(".dialog-title", Label).render())
            blocker.execute("ROLLBACK")
        await wait_until(pilot, lambda: saved(screen))
        await wait_until(pilot, lambda: str(dialog.query_one(".dialog-title", Label).render())
                         == "Все изменения сохранены")
        assert pilot.app.screen is dialog
        assert str(dialog.query_one("#question", Static).render()).endswith(
            f"Всё введённое уже в базе данных. {ask}")
        await pilot.press("escape")                  # stay
        assert cell_in_db(demo_db, lesson_id, student_id)[0] == ["5"]

    run(demo_db, scenario)
