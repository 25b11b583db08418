"""The admin's staff accounts screen driven by keys (Pilot): create with a slip, block, unblock,
roles, a new password."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from textual.widgets import Input, OptionList, Static

from core.session import log_in
from kernel.errors import LoginError
from tests.tui.screens.start.test_home_unread import wait_for
from tui.app import EJournalApp
from tui.screens.admin.accounts import RolePickScreen, StaffAccountsScreen
from tui.screens.curator.account_issued import AccountIssuedScreen


def test_staff_accounts_by_keys(demo_db: Any, tmp_path: Path) -> None:
    admin = demo_db.log_in("заведующий")
    folder = tmp_path / "slips"
    seen: dict[str, str] = {}

    async def main() -> None:
        app = EJournalApp(demo_db.settings, session=admin)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.app.workers.wait_for_complete()
            screen = StaffAccountsScreen(admin)
            app.push_screen(screen)
            await wait_for(pilot, lambda: bool(screen.staff))
            row = next(i for i, m in enumerate(screen.staff) if not m.login)
            person = screen.staff[row].person_id
            await pilot.press(*["down"] * row)
            assert screen.current is not None and screen.current.person_id == person

            def member() -> Any:
                return next(m for m in screen.staff if m.person_id == person)

            await pilot.press("f2")
            await wait_for(pilot, lambda: app.screen is not screen)
            await pilot.click("#yes")
            await wait_for(pilot, lambda: isinstance(app.screen, AccountIssuedScreen)
                           and bool(app.screen.query("#issued-folder")))
            issued = screen.last_issued
            seen["login"], seen["password"] = issued.login, issued.password
            app.screen.query_one("#issued-folder", Input).value = str(folder)
            await pilot.press("f2")
            await wait_for(pilot, lambda: app.screen.saved is not None)
            slip = app.screen.saved
            assert stat.S_IMODE(slip.stat().st_mode) == 0o600
            text = "".join(p.extract_text() for p in PdfReader(slip).pages)
            assert issued.login in text and issued.password in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen and member().login == issued.login)
            assert member().state == "ждёт смены пароля"

            await pilot.press("f6")
            await wait_for(pilot, lambda: app.screen is not screen)
            await pilot.click("#yes")
            await wait_for(pilot, lambda: member().blocked)
            assert "заблокирована" in str(screen.query_one("#staff-status", Static).render())
            with pytest.raises(LoginError):
                log_in(demo_db.settings, issued.login, issued.password)
            await pilot.press("f7")
            await wait_for(pilot, lambda: not member().blocked)
            log_in(demo_db.settings, issued.login, issued.password).close()

            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, RolePickScreen))
            roles = app.screen.roles
            await pilot.press(*["down"] * roles.index("curator"), "enter")
            await wait_for(pilot, lambda: "curator" in member().roles)
            await pilot.press("f9")
            await wait_for(pilot, lambda: isinstance(app.screen, RolePickScreen))
            picker = app.screen.query_one(OptionList)
            await pilot.press(*["down"] * app.screen.roles.index("curator"), "enter")
            assert picker is not None
            await wait_for(pilot, lambda: "curator" not in member().roles)

            await pilot.press("f3")
            await wait_for(pilot, lambda: app.screen is not screen)
            await pilot.click("#yes")
            await wait_for(pilot, lambda: isinstance(app.screen, AccountIssuedScreen))
            seen["new"] = screen.last_issued.password
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen)

    asyncio.run(main())
    with pytest.raises(LoginError):                       # the old password is refused
        log_in(demo_db.settings, seen["login"], seen["password"])
    fresh = log_in(demo_db.settings, seen["login"], seen["new"])
    assert fresh.person.must_change_password
    fresh.close()
    admin.close()
