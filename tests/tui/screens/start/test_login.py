"""The login screen takes keys typed ahead: a login, Enter and the password arriving in one
burst (a fast typist over a slow SSH link, a browser tab) all land where the person meant.
So does a login, Tab and the password: keys typed while the program was still starting arrive
together, and the password must never end up shown in the login field."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import post_keys, wait_until
from tui.app import EJournalApp
from tui.screens.start.home import HomeScreen
from tui.screens.start.login import LoginScreen


def _at_login(demo_db: DemoDb, steps: Callable[[Pilot[None], EJournalApp, Any], Awaitable[None]]) -> None:
    """Run ``steps`` (the pilot, the app, the demo teacher's account) from the login screen."""
    account = demo_db.account("преподаватель")
    app = EJournalApp(demo_db.settings)

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
            await pilot.pause()
            await steps(pilot, app, account)

    asyncio.run(main())


def test_a_password_typed_ahead_of_the_focus_lands_in_the_password_field(demo_db: DemoDb) -> None:
    async def steps(pilot: Pilot[None], app: EJournalApp, account: Any) -> None:
        # every key is queued before the program handles the first: no pause for the focus
        post_keys(app, [*account.login, "enter", *account.password, "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), timeout=20)
        await wait_until(pilot, lambda: app.screen.focused is not None)   # home mounted
        await pilot.pause()
        assert app.session is not None and app.session.person.login == account.login

    _at_login(demo_db, steps)


def test_a_password_typed_ahead_after_tab_lands_in_the_password_field(demo_db: DemoDb) -> None:
    async def steps(pilot: Pilot[None], app: EJournalApp, account: Any) -> None:
        login = app.screen
        post_keys(app, [*account.login, "tab", *account.password])
        await wait_until(pilot, lambda: login.query_one("#password", Input).value
                         or len(login.query_one("#login", Input).value) > len(account.login))
        await pilot.pause()
        assert login.query_one("#login", Input).value == account.login, \
            "the password typed after Tab went into the login field, in clear"
        assert login.query_one("#password", Input).value == account.password
        post_keys(app, ["shift+tab", "x"])   # back to the login field, in the key's own turn
        await wait_until(pilot, lambda: login.query_one("#login", Input).value != account.login)
        assert login.query_one("#login", Input).value == "x"   # a field taken selects its text
        assert login.query_one("#password", Input).value == account.password

    _at_login(demo_db, steps)


def test_enter_in_the_password_field_submits(demo_db: DemoDb) -> None:
    """Enter in the password field (not the login field) is the field's own: it submits."""
    async def steps(pilot: Pilot[None], app: EJournalApp, account: Any) -> None:
        await pilot.press(*account.login, "enter")
        await pilot.pause()
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert login.focused is login.query_one("#password", Input)
        assert login.query_one("#login", Input).value == account.login
        await pilot.press(*"не тот пароль", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert app.session is None   # refused: the error dialog, no session

    _at_login(demo_db, steps)
