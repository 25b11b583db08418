"""The journal page's commands as a teacher and the office meet them: the footer, F2, F6, Ctrl+G."""

from __future__ import annotations

from datetime import date, timedelta

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import SIZE, run, wait_until
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.prompt import PromptScreen
from tui.screens.journal.lesson_form import LessonFormScreen
from tui.screens.journal.page import JournalScreen
from tui.widgets.keys_footer import KeysFooter


async def _form(pilot: Pilot[None], key: str) -> LessonFormScreen:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                     and pilot.app.screen.record is not None)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, LessonFormScreen)
    return form


def test_footer_keeps_the_forecast_key_on_a_160_column_terminal(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.pause()
        footer = screen.query_one(KeysFooter)
        lines = footer.lines(footer.content_size.width)
        shown = {description for line in lines for _key, description in line}
        assert footer.size.height == len(lines) and footer.region.right <= SIZE[0]
        for description in ("Прогноз", "Занятие", "История", "Ввести ряд"):
            assert description in shown, description

    run(demo_db, scenario)


def test_saved_topic_shows_under_the_grid_at_once(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        form = await _form(pilot, "f2")
        topic = form.query_one("#topic", Input)
        topic.value += " (защита отчётов)"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        line = str(screen.query_one("#journal-lesson", Static).render())
        assert "(защита отчётов)" in line

    run(demo_db, scenario)


def test_make_up_lesson_gets_the_cursor(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        assert screen.data is not None
        taken = {lesson.date for lesson in screen.data.page.lessons}
        day = screen.data.page.lessons[-1].date - timedelta(days=1)
        while day in taken:
            day -= timedelta(days=1)
        form = await _form(pilot, "f6")
        form.query_one("#lesson_date", Input).value = f"{day:%d.%m.%Y}"
        form.query_one("#pair_no", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        if isinstance(pilot.app.screen, ConfirmScreen):   # a Sunday or a holiday: create anyway
            await pilot.press("left", "enter")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        grid = screen.grid
        assert grid is not None
        await wait_until(pilot, lambda: grid.current_lesson is not None
                         and grid.current_lesson.date == day)
        assert isinstance(day, date)

    run(demo_db, scenario)


def test_jump_to_a_group_without_the_page_says_so(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
        prompt = pilot.app.screen
        prompt.query_one(Input).value = "нет-такой-группы"
        await pilot.press("enter")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        texts = [n.message for n in pilot.app._notifications]
        assert any("нет страницы" in t for t in texts), texts
        assert not any("Дальше страниц нет" in t for t in texts)

    run(demo_db, scenario, role="работник учебной части")
