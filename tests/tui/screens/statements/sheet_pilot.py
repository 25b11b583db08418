"""Pilot helper of the statement screens' tests: find a statement by typing, open its sheet."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from core.statements.closing import create_statement
from core.statements.service import attestable_loads, read_statement
from tests.tui.screens.family.test_screens import settle, type_text
from tui.screens.statements.screen import StatementsScreen


async def open_sheet(pilot: Pilot[None], screen: StatementsScreen, group: str, discipline: str,
                     form: str, statement_id: int) -> DataTable:
    """Type the group, the discipline's first word and the form into the filter, open the
    statement found (Enter twice) and return its table."""
    await type_text(pilot, f"{group} {discipline.split()[0]} {form.split()[0]}")
    await pilot.press("enter", "enter")
    await settle(pilot)
    assert screen.sheet is not None and screen.sheet.info.statement_id == statement_id
    return screen.query_one(DataTable)


def new_statement(demo: Any) -> tuple[Any, Any, int, int]:
    """A new statement of one of the demo teacher's graded loads (not pass/fail): the
    teacher's session, the load, the statement's id and the student of its first line."""
    teacher = demo.log_in("преподаватель")
    load = next(x for x in attestable_loads(teacher) if x.is_mine and x.form != "зачёт")
    statement_id = create_statement(teacher, load.load_id, load.form, None, None)
    return teacher, load, statement_id, read_statement(teacher, statement_id).lines[0].student_id
