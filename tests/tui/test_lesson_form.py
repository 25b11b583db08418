"""The lesson record (F2) as a teacher uses it: reopening keeps what was typed, Esc asks first."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from tests.demo_fixture import DemoDb
from tests.tui.test_journal_screen import run, wait_until
from tui.screens.confirm import ConfirmScreen
from tui.screens.journal import JournalScreen
from tui.screens.lesson_form import LessonFormScreen

OWN_TOPIC = " (защита отчётов)"


def _lesson_with_ktp_topic(demo: DemoDb, load_id: int) -> int:
    """A lesson of the page taken from the КТП whose topic the teacher has added to."""
    with demo.connect() as conn:
        lesson_id = conn.execute(
            "SELECT id FROM journal.lesson WHERE load_id = %s AND ktp_topic_id IS NOT NULL "
            "ORDER BY lesson_date DESC, pair_no LIMIT 1", (load_id,)).fetchone()[0]
        conn.execute("UPDATE journal.lesson l SET topic = k.title || %s FROM journal.ktp_topic k "
                     "WHERE l.id = %s AND k.id = l.ktp_topic_id", (OWN_TOPIC, lesson_id))
        conn.commit()
    return int(lesson_id)


async def _open_form(pilot: Pilot[None], screen: JournalScreen, lesson_id: int) -> LessonFormScreen:
    grid = screen.grid
    assert grid is not None
    grid.select_lesson(lesson_id)
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                     and pilot.app.screen.record is not None)
    await pilot.pause()
    await pilot.pause()  # the selects' Changed messages from filling the form
    form = pilot.app.screen
    assert isinstance(form, LessonFormScreen)
    return form


def test_reopened_record_keeps_the_topic_typed_over_the_ktp_title(demo_db: DemoDb) -> None:
    """Filling the form must not replace the saved topic by the КТП title (nor save that)."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        form = await _open_form(pilot, screen, lesson_id)
        assert form.query_one("#topic", Input).value.endswith(OWN_TOPIC)
        assert not form.edited
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        with demo_db.connect() as conn:
            topic = conn.execute("SELECT topic FROM journal.lesson WHERE id = %s",
                                 (lesson_id,)).fetchone()[0]
        assert topic.endswith(OWN_TOPIC)

    run(demo_db, scenario)


def test_escape_asks_before_dropping_typed_homework(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        form = await _open_form(pilot, screen, lesson_id)
        form.query_one("#homework", Input).value = "Подготовить отчёт к защите"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")  # «Вернуться»: the form and the typed text stay
        await pilot.pause()
        assert pilot.app.screen is form
        assert form.query_one("#homework", Input).value == "Подготовить отчёт к защите"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await wait_until(pilot, lambda: pilot.app.screen is screen)

        untouched = await _open_form(pilot, screen, lesson_id)
        assert untouched.edited is False
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: pilot.app.screen is screen)

    run(demo_db, scenario)
