"""Pickers (issue 11): Enter in a filter opens the single match or the highlighted row at once;
the КТП list of a lesson without a topic opens at the next unused topic."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectOverlay

from core.journal.service import list_loads
from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import SIZE, run, wait_until
from tui.app import EJournalApp
from tui.screens.journal.lesson_form import LessonFormScreen
from tui.screens.journal.page import JournalScreen
from tui.screens.journal.pick import JournalPickScreen

KEYS = {"-": "minus", " ": "space", ".": "full_stop"}


def _pick(demo: DemoDb, keys: list[str], typed: str) -> int | None:
    """Type ``typed`` into the journal picker, press ``keys``; the load opened, if any."""
    session = demo.log_in("преподаватель")
    opened: list[int] = []

    async def main() -> None:
        app = EJournalApp(demo.settings, session=session)
        async with app.run_test(size=SIZE) as pilot:
            screen = JournalPickScreen(session)
            await app.push_screen(screen)
            await wait_until(pilot, lambda: bool(screen.loads))
            await pilot.press(*[KEYS.get(ch, ch) for ch in typed])
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause(0.3)
            if isinstance(app.screen, JournalScreen):
                opened.append(app.screen.load_id)
                await wait_until(pilot, lambda: app.screen.grid is not None)
                for worker in (app.screen.saver, app.screen.listener):
                    if worker is not None:
                        worker.stop()
            else:
                assert isinstance(app.screen, JournalPickScreen)

    asyncio.run(main())
    return opened[0] if opened else None


def _label(load) -> str:  # type: ignore[no-untyped-def]
    return (load.label + ("" if load.is_mine else f" · {load.teacher_name}")).lower()


def test_enter_opens_the_single_match(demo_db: DemoDb) -> None:
    loads = list_loads(demo_db.log_in("преподаватель"))
    single = next(x for x in loads
                  if sum(1 for y in loads if x.group_name.lower() in _label(y)) == 1)
    assert _pick(demo_db, ["enter"], single.group_name.lower()) == single.load_id


def test_down_and_enter_open_the_highlighted_row_at_once(demo_db: DemoDb) -> None:
    loads = list_loads(demo_db.log_in("преподаватель"))
    matches = [x for x in loads if "семестр" in _label(x)]
    assert len(matches) >= 2
    assert _pick(demo_db, ["down", "down", "enter"], "семестр") == matches[1].load_id
    # several matches, nothing highlighted: Enter goes into the list, opens nothing yet
    assert _pick(demo_db, ["enter"], "семестр") is None


def test_ktp_list_opens_at_the_next_unused_topic(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        assert screen.data is not None and screen.grid is not None
        last = screen.data.page.lessons[-1].date
        with demo_db.connect() as conn:     # a timetabled lesson the teacher has not filled in
            lesson = conn.execute(
                "INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                "SELECT id, %s, 6, teacher_id FROM journal.teaching_load WHERE id = %s RETURNING id",
                (last + timedelta(days=1), screen.load_id)).fetchone()[0]
            following = conn.execute(
                "SELECT min(k.position) FROM journal.ktp_topic k WHERE k.load_id = %s AND "
                "NOT EXISTS (SELECT FROM journal.lesson l WHERE l.ktp_topic_id = k.id)",
                (screen.load_id,)).fetchone()[0]
        await pilot.press("f5")
        await wait_until(pilot, lambda: screen.grid is not None
                         and lesson in screen.grid.page.col_of)
        screen.grid.select_lesson(lesson)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                         and pilot.app.screen.choices is not None)
        form = pilot.app.screen
        ktp = form.query_one("#ktp", Select)
        assert ktp.value is Select.NULL
        ktp.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = ktp.query_one(SelectOverlay)
        assert isinstance(overlay, OptionList) and overlay.highlighted is not None
        prompt = str(overlay.get_option_at_index(overlay.highlighted).prompt)
        assert following > 1 and prompt.startswith(f"{following}. ") and "✓" not in prompt

    run(demo_db, scenario)
