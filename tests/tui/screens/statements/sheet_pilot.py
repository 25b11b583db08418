"""Pilot helper of the statement screens' tests: find a statement by typing, open its sheet."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable

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
