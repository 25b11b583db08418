"""A student transferred out of the group on its statement, driven by keys (issue 11): dated
after the transfer, their line is greyed «пер.» and a typed mark is refused before it reaches
the database; dated before it, their mark is typed and saved like any other."""

from __future__ import annotations

from textual.pilot import Pilot

from core.statements.service import read_statement
from kernel.marks import StatementValue
from tests.demo_fixture import DemoDb
from tests.transfer_fixture import date_statement, transferred_statement
from tests.tui.screens.family.test_screens import run, settle
from tests.tui.screens.statements.sheet_pilot import open_sheet
from tui.screens.statements.screen import StatementsScreen


def test_a_transferred_student_on_the_statement_before_and_after(demo_db: DemoDb) -> None:
    moved, statement_id = transferred_statement(demo_db)
    teacher = demo_db.log_in("преподаватель")
    info = read_statement(teacher, statement_id).info
    before = info.held_on
    date_statement(demo_db, statement_id, moved.on_date)

    async def scenario(pilot: Pilot[None], screen: StatementsScreen) -> None:
        table = await open_sheet(pilot, screen, info.group_name, info.discipline, info.form,
                                 statement_id)
        row = screen.sheet.row_of(moved.student_id)
        assert screen.sheet.lines[row].away == "пер."
        assert "пер." in "".join(str(cell) for cell in table.get_row_at(row))
        table.move_cursor(row=row)
        await pilot.press("5")                            # dated after the transfer: refused
        await settle(pilot)
        assert any("не обучается" in str(n.message) for n in pilot.app._notifications)
        assert read_statement(teacher, statement_id).lines[row].value is None
        date_statement(demo_db, statement_id, before)
        await pilot.press("f5")
        await settle(pilot)
        assert screen.sheet.lines[row].away == ""
        table.move_cursor(row=row)
        await pilot.press("4")                            # dated before it: taken
        await settle(pilot)

    run(demo_db.settings, teacher, StatementsScreen(teacher), scenario)
    values = {line.student_id: line.value for line in read_statement(teacher, statement_id).lines}
    assert values[moved.student_id] is StatementValue.FOUR
