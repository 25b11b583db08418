"""A statement mark typed right before Ctrl+Q (the program's own key, answered in its own
turn), in one burst as over a slow SSH link, is put before the quit is answered: the quit
overtook it, found nothing waiting to be saved, did not ask, and the mark was lost."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from core.statements.service import read_statement
from kernel.marks import StatementValue
from tests.tui.screens.family.test_screens import run, settle
from tests.tui.screens.journal.pilot import post_keys, wait_until
from tests.tui.screens.statements.sheet_pilot import new_statement, open_sheet
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.statements.screen import StatementsScreen


def test_a_statement_mark_typed_right_before_ctrl_q_is_saved_or_the_quit_asks(
        demo_db: Any) -> None:
    teacher, load, statement_id, first = new_statement(demo_db)

    async def scenario(pilot: Pilot[None], screen: StatementsScreen) -> None:
        table = await open_sheet(pilot, screen, load.group_name, load.discipline, load.form,
                                 statement_id)
        assert table.cursor_row == 0
        post_keys(pilot.app, ["5", "ctrl+q"])
        await pilot.pause(0.3)
        if isinstance(pilot.app.screen, ConfirmScreen):     # «Не все изменения сохранены»
            await pilot.press("escape")                      # stay
        await settle(pilot)
        await wait_until(pilot, lambda: screen.saver is not None and not screen.saver.has_pending())

    run(demo_db.settings, teacher, StatementsScreen(teacher), scenario)
    values = {line.student_id: line.value for line in read_statement(teacher, statement_id).lines}
    assert values[first] is StatementValue.FIVE, "the mark typed before Ctrl+Q was lost"
