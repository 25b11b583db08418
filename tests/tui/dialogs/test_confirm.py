"""The confirmation dialog: the highlighted button is the focused one, and Enter presses it in
the key's own turn (keys typed after it go beneath)."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from tests.tui.screens.journal.pilot import post_keys
from tui.app import EJournalApp
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.conflict import ConflictScreen
from tui.dialogs.error import ErrorScreen


class Dialogs(App[None]):
    """The program's look (its CSS) without a database."""

    CSS = EJournalApp.CSS


def _answer(keys: list[str]) -> tuple[bool | None, list[tuple[str, bool, str]]]:
    app = Dialogs()
    answers: list[bool | None] = []
    seen: list[tuple[str, bool, str]] = []

    async def main() -> None:
        async with app.run_test(size=(60, 20)) as pilot:
            await app.push_screen(ConfirmScreen("Выйти?", "Точно выйти?"), answers.append)
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                if answers:
                    break
                seen.extend((b.id or "", b.has_focus, str(b.styles.background))
                            for b in app.screen.query(Button))

    asyncio.run(main())
    return (answers[0] if answers else None), seen


def test_enter_presses_the_highlighted_button() -> None:
    assert _answer(["enter"])[0] is False  # «Нет» is focused first
    answer, seen = _answer(["right", "enter"])
    assert answer is True
    assert [i for i, focus, _bg in seen if focus] == ["yes"]
    focused = {bg for _id, focus, bg in seen if focus}
    assert focused.isdisjoint(bg for _id, focus, bg in seen if not focus)


def test_only_the_focused_button_stands_out() -> None:
    app = Dialogs()

    async def main() -> None:
        async with app.run_test(size=(60, 20)) as pilot:
            await app.push_screen(ConfirmScreen("Выйти?", "Точно выйти?"))
            await pilot.pause()
            for _ in range(2):
                buttons = list(app.screen.query(Button))
                focused = [b for b in buttons if b.has_focus]
                assert len(focused) == 1
                other = next(b for b in buttons if not b.has_focus)
                assert focused[0].styles.background != other.styles.background
                await pilot.press("left")
                await pilot.pause()

    asyncio.run(main())


def test_the_conflict_dialog_presses_what_it_highlights() -> None:
    from core.journal.page import JournalPage

    app = Dialogs()
    answers: list[bool | None] = []

    async def main() -> None:
        async with app.run_test(size=(60, 20)) as pilot:
            await app.push_screen(ConflictScreen([], JournalPage("страница", (), ())), answers.append)
            await pilot.pause()
            assert app.screen.focused is not None and app.screen.focused.id == "theirs"
            await pilot.press("right")
            await pilot.pause()
            assert app.screen.focused is not None and app.screen.focused.id == "mine"
            await pilot.press("enter")
            await pilot.pause()

    asyncio.run(main())
    assert answers == [True]


def _typed_after_enter(dialog: ModalScreen[Any]) -> tuple[list[object], str]:
    """Enter on the dialog and two characters in one burst (as over a slow link): the answers,
    and what reached the field beneath."""
    app = Dialogs()
    answers: list[object] = []
    beneath: list[str] = []

    async def main() -> None:
        async with app.run_test(size=(60, 20)) as pilot:
            await app.mount(Input(id="beneath"))
            app.query_one("#beneath", Input).focus()
            await pilot.pause()
            await app.push_screen(dialog, answers.append)
            await pilot.pause()
            post_keys(app, ["enter", "4", "5"])   # none handled before all are queued
            await pilot.pause(0.3)
            beneath.append(app.query_one("#beneath", Input).value)

    asyncio.run(main())
    return answers, beneath[0]


def test_keys_typed_after_enter_go_beneath_not_into_the_closing_dialog() -> None:
    from core.journal.page import JournalPage

    assert _typed_after_enter(ConfirmScreen("Выйти?", "Точно выйти?")) == ([False], "45")
    assert _typed_after_enter(ConflictScreen([], JournalPage("страница", (), ()))) == ([False], "45")
    assert _typed_after_enter(ErrorScreen("Ошибка", "Что-то не так.")) == ([None], "45")
