"""Where a person lands after login: a parent or a student on the week of their journal (the
journal and the home menu beneath it, Esc, Esc), everybody who works in the journal on the
home menu; a message that comes while the menu is covered is announced where the person is."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from core.family.service import children
from core.messages.service import recipients, start_thread
from core.session import Person
from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import post_keys, wait_until
from tui.app import EJournalApp
from tui.screens.family.screen import FamilyScreen
from tui.screens.family.week import WeekScreen
from tui.screens.start.home import HomeScreen
from tui.screens.start.login import LoginScreen


def _person(roles: set[str]) -> Person:
    return Person(1, "x", "Фамилия Имя", frozenset(roles), must_change_password=False)


def test_only_parents_and_students_land_on_their_journal() -> None:
    assert _person({"parent"}).is_family
    assert _person({"student"}).is_family
    assert _person({"parent", "student"}).is_family
    for roles in ({"teacher"}, {"teacher", "parent"}, {"curator", "teacher"}, {"admin"}, set()):
        assert not _person(roles).is_family, roles


def _week_read(week: WeekScreen) -> bool:
    return week.week is not None


def _view_read(family: FamilyScreen) -> bool:
    return family.view is not None


def _left(app: EJournalApp, shown: object) -> bool:
    return app.screen is not shown


def _lands(demo_db: DemoDb, role: str) -> list[str]:
    """The screens' names after login, bottom to top, then the top one after each Esc until
    the home menu."""
    app = EJournalApp(demo_db.settings, session=demo_db.log_in(role))
    stacks: list[str] = []

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: any(isinstance(s, HomeScreen) for s in app.screen_stack))
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            stacks.append(" ".join(type(s).__name__ for s in app.screen_stack[1:]))
            while not isinstance(app.screen, HomeScreen):
                shown = app.screen
                if isinstance(shown, WeekScreen):
                    await wait_until(pilot, partial(_week_read, shown))
                await pilot.press("escape")
                await wait_until(pilot, partial(_left, app, shown))
                await app.workers.wait_for_complete()
                if isinstance(app.screen, FamilyScreen):   # read once shown
                    await wait_until(pilot, partial(_view_read, app.screen))
                stacks.append(type(app.screen).__name__)

    asyncio.run(main())
    return stacks


def test_a_student_opens_on_the_week_and_esc_leads_to_the_journal_and_the_menu(demo_db: DemoDb) -> None:
    assert _lands(demo_db, "обучающийся") == ["HomeScreen FamilyScreen WeekScreen",
                                               "FamilyScreen", "HomeScreen"]


def test_a_teacher_opens_on_the_menu(demo_db: DemoDb) -> None:
    assert _lands(demo_db, "преподаватель") == ["HomeScreen"]


def test_a_message_to_a_parent_reading_the_journal_is_announced(demo_db: DemoDb) -> None:
    parent = demo_db.log_in("родитель")
    curator = demo_db.log_in("куратор")
    app = EJournalApp(demo_db.settings, session=parent)

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, FamilyScreen))
            home = next(s for s in app.screen_stack if isinstance(s, HomeScreen))
            await wait_until(pilot, lambda: home.listener is not None)
            await pilot.pause(1.0)             # the listener's LISTEN is in place
            before = home.unread
            target = next(r for r in recipients(curator) if r.person_id == parent.person.person_id)
            start_thread(curator, "Собрание", "Собрание в пятницу.", [target.person_id],
                         target.student_id)
            await wait_until(pilot, lambda: home.unread == before + 1, timeout=10)
            said = f"Непрочитанных сообщений: {before + 1} — раздел «Сообщения» на главном экране (Esc)."
            await wait_until(pilot, lambda: said in [n.message for n in app._notifications])
            assert isinstance(app.screen, FamilyScreen)   # nothing taken from the person
            app.clear_notifications()
            await pilot.press("escape")                   # the menu, changed while covered,
            await wait_until(pilot, lambda: app.screen is home)   # is drawn as it is now
            await pilot.pause(0.3)
            drawn = app.export_screenshot()
            assert f"{before + 1}&#160;нов" in drawn or f"{before + 1} нов" in drawn, \
                "the menu drawn without the new message's count"

    asyncio.run(main())
    curator.close()


def test_a_parent_lands_on_the_children_read_at_login(demo_db: DemoDb, monkeypatch: Any) -> None:
    """The login's thread reads the children, so the first screen after it is drawn once,
    filled: the family screen does not read them again (its own reading would fail here)."""
    account = demo_db.account("родитель")
    app = EJournalApp(demo_db.settings)

    def no_second_reading(_session: object) -> None:
        raise AssertionError("the family screen read the children again")

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
            await pilot.pause()
            monkeypatch.setattr("tui.screens.family.screen.children", no_second_reading)
            post_keys(app, [*account.login, "enter", *account.password, "enter"])
            await wait_until(pilot, lambda: isinstance(app.screen, FamilyScreen), timeout=20)
            family = app.screen
            assert isinstance(family, FamilyScreen)
            await wait_until(pilot, lambda: family.is_mounted)
            await pilot.pause(0.3)
            assert family.picking == "child", "the question which child is not on the screen"
            assert app.session is not None
            assert [c.student_id for c in family.children_] == \
                [c.student_id for c in children(app.session)]

    asyncio.run(main())

