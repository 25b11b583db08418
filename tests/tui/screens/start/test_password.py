"""The password change as a student meets it on first login: a refused password is typed anew."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import post_keys, wait_until
from tui.app import EJournalApp
from tui.screens.start.password import ChangePasswordScreen


def test_refused_password_clears_both_fields_and_starts_again(demo_db: DemoDb) -> None:
    session = demo_db.log_in("обучающийся")
    app = EJournalApp(demo_db.settings, session=session)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            screen = ChangePasswordScreen(session, forced=True)
            await app.push_screen(screen)
            await pilot.pause()
            for key in ("s", "h", "o", "r", "t", "enter", "s", "h", "o", "r", "t", "enter"):
                await pilot.press(key)
            await pilot.pause()
            await pilot.press("enter")  # «Понятно» on the error
            await pilot.pause()
            assert app.screen is screen
            assert screen.query_one("#new1", Input).value == ""
            assert screen.query_one("#new2", Input).value == ""
            assert screen.query_one("#new1", Input).has_focus

    asyncio.run(main())


def test_a_new_password_typed_ahead_fills_both_fields(demo_db: DemoDb) -> None:
    """Both fields and their Enters arrive in one burst (a slow SSH link, a browser tab): the
    second copy lands in the second field and the password is changed."""
    from core.session import log_in

    session = demo_db.log_in("обучающийся")
    login, original = session.person.login, session.credentials.derived_password
    app = EJournalApp(demo_db.settings, session=session)
    new = "Zq7-новый-пароль"
    results: list[bool | None] = []

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await app.push_screen(ChangePasswordScreen(session, forced=True), results.append)
            await pilot.pause()
            post_keys(app, [*new, "enter", *new, "enter"])
            await wait_until(pilot, lambda: results != [], timeout=20)

    try:
        asyncio.run(main())
        assert results == [True]
        log_in(demo_db.settings, login, new).close()
    finally:   # a role is the cluster's, not the test's database copy: the next test logs in
        with demo_db.connect() as conn:
            conn.execute(f"ALTER ROLE \"{login}\" PASSWORD '{original}'")
            conn.execute("SELECT journal.accept_password(%s)", (login,))
