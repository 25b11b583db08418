"""A statement (ведомость) with a student on academic leave and a «неявка» (issue 11): the
student on leave is listed greyed and refused, a mark over «неявка» is refused — the same
rules as the journal page and the curator's day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual.pilot import Pilot

from core.statements.closing import create_statement
from core.statements.service import attestable_loads, read_statement
from kernel.marks import StatementValue
from tests.tui.screens.family.test_screens import run, settle
from tests.tui.screens.statements.sheet_pilot import open_sheet
from tui.screens.statements.screen import StatementsScreen


def test_leave_and_absence_in_a_statement(demo_db: Any) -> None:
    teacher = demo_db.log_in("преподаватель")
    load = next(x for x in attestable_loads(teacher) if x.is_mine and x.form != "зачёт")
    statement_id = create_statement(teacher, load.load_id, load.form, None, None)
    lines = read_statement(teacher, statement_id).lines
    on_leave = lines[2].student_id
    with demo_db.connect() as conn:
        conn.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                     "order_no) SELECT person_id, 'академический отпуск', %s, group_id, '4-к' "
                     "FROM journal.student WHERE person_id = %s",
                     (date.today() - timedelta(days=1), on_leave))
    sheet = read_statement(teacher, statement_id)
    assert [line.away for line in sheet.lines][:3] == ["", "", "отп."]
    assert on_leave not in {line.student_id for line in sheet.empty_lines()}

    async def scenario(pilot: Pilot[None], screen: StatementsScreen) -> None:
        table = await open_sheet(pilot, screen, load.group_name, load.discipline, load.form,
                                 statement_id)
        await pilot.press("н", "up", "5")               # a mark over «неявка»: refused
        await settle(pilot)
        assert table.cursor_row == 0
        assert any("сначала удалите «неявка»" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("down", "down", "4")            # the student on leave: refused
        await settle(pilot)
        assert table.cursor_row == 2
        assert any("не обучается" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("up", "up", "delete", "5")      # Del, then the mark: fine
        await settle(pilot)

    run(demo_db.settings, teacher, StatementsScreen(teacher), scenario)
    values = {line.student_id: line.value for line in read_statement(teacher, statement_id).lines}
    assert values[lines[0].student_id] is StatementValue.FIVE
    assert values[on_leave] is None
