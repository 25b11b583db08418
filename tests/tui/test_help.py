"""F1 and Ctrl+P on every screen: Russian help, every key listed, actions that run.

Every Screen/ModalScreen class under ``tui/`` is found by walking the package, so a screen
another part of the program adds later is checked too: it fails here without a Russian
``HELP`` or with a binding described in English (or not at all). The screens that can be
opened on the demo college are opened, and F1 must show their help with every key.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

import tui
from tests.demo_fixture import DemoDb, teacher_load
from tests.tui.screens.journal.pilot import wait_until
from tui.app import EJournalApp
from tui.help import ActionsScreen, HelpScreen, key_label, screen_actions
from tui.screens import base

CYRILLIC = re.compile("[А-Яа-яЁё]")


def screen_classes() -> list[type[Screen[Any]]]:
    """Every Screen subclass defined in a module of the ``tui`` package (not the mixins of
    ``tui.screens.base``, which are no screens of their own)."""
    found: dict[str, type[Screen[Any]]] = {}
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, Screen) and cls.__module__ == module.__name__
                    and cls.__module__ != base.__name__):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def own_bindings(cls: type) -> list[Binding]:
    """The bindings the program's own classes in ``cls``'s ancestry declare."""
    return [b for klass in cls.__mro__ if klass.__module__.startswith("tui.")
            for b in klass.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]


def test_the_walk_finds_the_screens() -> None:
    names = {cls.__name__ for cls in screen_classes()}
    assert {"JournalScreen", "HomeScreen", "ConfirmScreen", "FamilyScreen", "HelpScreen"} <= names
    assert len(names) >= 25


def test_every_screen_has_russian_help_and_described_keys() -> None:
    problems = []
    for cls in screen_classes():
        text = cls.HELP or ""
        if len(CYRILLIC.findall(text)) < 60 or not text.strip().startswith("# "):
            problems.append(f"{cls.__qualname__}: no Russian HELP (a markdown text from «# …»)")
        for binding in own_bindings(cls):
            if not CYRILLIC.search(binding.description or ""):
                problems.append(f"{cls.__qualname__}: key {binding.key} has no Russian description")
    assert not problems, "\n".join(problems)


def test_key_labels_read_as_people_say_them() -> None:
    assert key_label("ctrl+pagedown") == "Ctrl+PgDn"
    assert key_label("f1") == "F1"
    assert key_label("escape") == "Esc"
    assert key_label("left_square_bracket") == "["
    assert key_label("н") == "н"
    assert key_label("ctrl+z") == "Ctrl+Z"


def _factories(demo: DemoDb) -> dict[str, Callable[[], Screen[Any]]]:
    """Screens that open on the demo college with nothing but a session, by class name."""
    from tui.dialogs.confirm import ConfirmScreen
    from tui.dialogs.error import ErrorScreen
    from tui.dialogs.prompt import PromptScreen
    from tui.screens.admin.admin import AdminScreen
    from tui.screens.admin.print import PrintScreen
    from tui.screens.curator.attendance_day import AttendanceDayScreen
    from tui.screens.curator.group_pick import GroupPickScreen
    from tui.screens.curator.students import StudentsScreen
    from tui.screens.family.screen import FamilyScreen
    from tui.screens.journal.lesson_form import LessonFormScreen
    from tui.screens.journal.page import JournalScreen
    from tui.screens.journal.pick import JournalPickScreen
    from tui.screens.journal.work_kind import WorkKindScreen
    from tui.screens.messages.screen import MessagesScreen
    from tui.screens.start.guide import GuideScreen
    from tui.screens.start.home import HomeScreen
    from tui.screens.start.lock import LockScreen
    from tui.screens.start.login import LoginScreen
    from tui.screens.start.password import ChangePasswordScreen
    from tui.screens.statements.screen import StatementsScreen

    teacher, load_id = teacher_load(demo)
    curator, parent, admin = (demo.log_in(r) for r in ("куратор", "родитель", "заведующий"))
    return {
        "LoginScreen": lambda: LoginScreen(demo.settings, []),
        "HomeScreen": lambda: HomeScreen(teacher),
        "GuideScreen": lambda: GuideScreen(teacher.person.roles),
        "ChangePasswordScreen": lambda: ChangePasswordScreen(teacher),
        "LockScreen": lambda: LockScreen(teacher),
        "JournalPickScreen": lambda: JournalPickScreen(teacher),
        "JournalScreen": lambda: JournalScreen(teacher, load_id),
        "LessonFormScreen": lambda: LessonFormScreen(teacher, load_id, None),
        "WorkKindScreen": lambda: WorkKindScreen(teacher),
        "StatementsScreen": lambda: StatementsScreen(teacher),
        "AttendanceDayScreen": lambda: AttendanceDayScreen(curator),
        "StudentsScreen": lambda: StudentsScreen(curator),
        "GroupPickScreen": lambda: GroupPickScreen([]),
        "MessagesScreen": lambda: MessagesScreen(parent),
        "FamilyScreen": lambda: FamilyScreen(parent),
        "AdminScreen": lambda: AdminScreen(admin),
        "PrintScreen": lambda: PrintScreen(admin),
        "ConfirmScreen": lambda: ConfirmScreen("Вопрос", "Точно?"),
        "PromptScreen": lambda: PromptScreen("Причина", "Зачем"),
        "ErrorScreen": lambda: ErrorScreen("Ошибка", "Не вышло."),
    }


NEED_CONTEXT = {"CellHistoryScreen", "ConflictScreen", "PersonFormScreen", "AccountIssuedScreen",
                "GroupScreen", "LessonFields", "StatementSheetScreen", "HelpScreen", "ActionsScreen"}
"""Screens opened only from another screen with data in hand (a cell, a conflict, a form, an
issued password) or base classes; the check above covers their HELP and keys."""


async def _check_f1(pilot: Any, screen: Screen[Any]) -> None:
    app = pilot.app
    await app.push_screen(screen)
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.screen is screen, f"{type(screen).__name__} did not open: {app.screen_stack}"
    actions = screen_actions(screen)
    await pilot.press("f1")
    await pilot.pause()
    shown = app.screen
    assert isinstance(shown, HelpScreen), type(screen).__name__
    heading = (type(screen).HELP or "").strip().splitlines()[0]
    assert heading in shown.text and "## Все клавиши этого экрана" in shown.text
    for action in actions:
        assert f"| {action.shown_keys} | {action.description} |" in shown.text
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, ActionsScreen)
    assert [a.description for a in app.screen.actions] == [a.description for a in actions]
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen
    screen.dismiss(None) if screen.is_modal else app.pop_screen()
    await pilot.pause()


def _session_only(demo: DemoDb, factories: dict[str, Callable[[], Screen[Any]]]) -> None:
    """Add the screens added since that take nothing but a session (opened as the admin, who
    reads everything); others are covered by the HELP and keys check only."""
    admin = demo.log_in("заведующий")
    for cls in screen_classes():
        if cls.__name__ in factories or cls.__name__ in NEED_CONTEXT or inspect.isabstract(cls):
            continue
        params = [p for p in inspect.signature(cls.__init__).parameters.values()
                  if p.name != "self" and p.default is inspect.Parameter.empty]
        if [p.name for p in params] == ["session"]:
            factories[cls.__name__] = lambda cls=cls: cls(admin)


def test_f1_and_ctrl_p_on_every_screen_that_opens(demo_db: DemoDb) -> None:
    factories = _factories(demo_db)
    _session_only(demo_db, factories)
    app = EJournalApp(demo_db.settings, session=demo_db.log_in("преподаватель"))

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for name, make in factories.items():
                screen = make()
                try:
                    await _check_f1(pilot, screen)
                finally:
                    for worker in (getattr(screen, "saver", None), getattr(screen, "listener", None)):
                        if worker is not None and hasattr(worker, "stop"):
                            worker.stop()
                assert name == type(screen).__name__

    asyncio.run(main())


def test_ctrl_p_runs_the_chosen_action(demo_db: DemoDb) -> None:
    from tui.screens.start.guide import GuideScreen
    from tui.screens.start.home import HomeScreen

    app = EJournalApp(demo_db.settings, session=demo_db.log_in("куратор"))

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("ctrl+p")
            await pilot.pause()
            for key in "руков":
                await pilot.press(key)
            await pilot.pause()
            assert [a.description for a in app.screen.shown] == ["Руководство"]
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, GuideScreen))
            assert "curator" in [g.role for g in app.screen.guides[:2]]  # the person's own first

    asyncio.run(main())


class Bare(App[None]):
    """The program's bindings without a database: enough for Ctrl+C."""

    BINDINGS = EJournalApp.BINDINGS

    action_help_quit = EJournalApp.action_help_quit


def test_ctrl_c_says_in_russian_how_to_quit() -> None:
    app = Bare()

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+c")
            await pilot.pause()
            texts = [f"{n.title} {n.message}" for n in app._notifications]
            assert texts and all(CYRILLIC.search(t) and "quit" not in t.lower() for t in texts)
            assert "Ctrl+Q" in texts[0]

    asyncio.run(main())
