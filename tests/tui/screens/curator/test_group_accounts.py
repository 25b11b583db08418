"""The curator's F8: accounts for the whole group, one confirmation, one PDF (Pilot)."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from tui.app import EJournalApp
from tui.screens.curator.group_accounts import GroupAccountsScreen
from tui.screens.curator.students import StudentsScreen


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Preferences of the test in its own folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


async def settle(pilot: Any) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_f7_issues_the_group_and_writes_one_private_pdf(demo_db: Any, tmp_path: Path) -> None:
    curator = demo_db.log_in("куратор")
    folder = tmp_path / "slips"

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=curator)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            screen = StudentsScreen(curator)
            app.push_screen(screen)
            await settle(pilot)
            assert screen.roster is not None
            missing = [s for s in screen.roster.students if not s.login]
            assert missing
            await pilot.press("f8")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, GroupAccountsScreen)
            assert missing[0].data.surname in str(dialog.query_one("#ga-who", Static).render())
            dialog.query_one("#ga-folder", Input).value = str(folder)
            await pilot.press("enter")      # the highlighted «Выдать всем»
            await settle(pilot)
            assert dialog.result is not None and dialog.slips is not None
            assert "Листки записаны" in str(dialog.query_one("#ga-result", Static).render())
            assert stat.S_IMODE(dialog.slips.stat().st_mode) == 0o600
            issued = {i.person_id for i in dialog.result.issued}
            assert {s.person_id for s in missing} <= issued
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
            assert all(s.login for s in screen.roster.students)   # reloaded: everyone has a login
            await pilot.press("f8")
            await settle(pilot)
            again = app.screen
            assert isinstance(again, GroupAccountsScreen)
            await settle(pilot)
            assert "Выдавать некому" in str(again.query_one("#ga-who", Static).render())
            assert again.holders == [] and again.query_one("#issue").disabled

    asyncio.run(main())
    assert len(list(folder.glob("*.pdf"))) == 1
