"""The statements, family and messages screens driven by keys through Pilot on the demo."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from core.journal.moves import neighbour_statement
from core.messages.service import list_threads, read_thread
from core.statements.closing import create_statement
from core.statements.service import attestable_loads, list_statements, read_statement
from kernel.marks import StatementValue
from tui.app import EJournalApp
from tui.screens.family.screen import FamilyScreen
from tui.screens.messages.screen import MessagesScreen
from tui.screens.statements.screen import StatementsScreen

KEYS = {"-": "minus", " ": "space", ".": "full_stop", ",": "comma"}


def run(settings: Any, session: Any, screen: Any, scenario: Callable[[Pilot[None], Any], Awaitable[None]],
        size: tuple[int, int] = (160, 48)) -> None:
    """Open ``screen`` in an app logged in as ``session`` and play the scenario."""
    async def main() -> None:
        app = EJournalApp(settings, session=session)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.push_screen(screen)
            await settle(pilot)
            await scenario(pilot, screen)

    asyncio.run(main())


async def settle(pilot: Pilot[None]) -> None:
    """Let the workers finish and the screen catch up (never sleep)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type a text key by key."""
    await pilot.press(*[KEYS.get(ch, ch) for ch in text])


def text_of(screen: Any, selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(screen.query_one(selector, Static).render())


def test_statement_filled_with_keys_and_closed(demo_db: Any) -> None:
    teacher = demo_db.log_in("преподаватель")
    load = next(x for x in attestable_loads(teacher) if x.is_mine and x.form != "зачёт")
    statement_id = create_statement(teacher, load.load_id, load.form, None, None)
    lines = read_statement(teacher, statement_id).lines
    students = len([line for line in lines if not line.away])   # the cursor skips the others
    keys = ["5", "4", "н", "3"] * students

    async def scenario(pilot: Pilot[None], screen: StatementsScreen) -> None:
        await type_text(pilot, f"{load.group_name} {load.discipline.split()[0]} {load.form.split()[0]}")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert screen.sheet is not None and screen.sheet.info.statement_id == statement_id
        assert "Итог семестра" in [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        await pilot.press(*keys[:students])
        await settle(pilot)
        assert "Все изменения сохранены" in text_of(screen, "#st-status")
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("shift+tab", "enter")   # the dialog's «Закрыть»
        await settle(pilot)
        assert screen.sheet.info.closed and "Закрыта" in text_of(screen, "#st-title")
        await pilot.press("2")
        await settle(pilot)
        assert screen.sheet.lines[0].value is StatementValue.FIVE

    run(demo_db.settings, teacher, StatementsScreen(teacher), scenario)
    sheet = read_statement(teacher, statement_id)
    assert sheet.info.closed
    typed = iter({"н": "неявка"}.get(k, k) for k in keys[:students])
    expected = [None if line.away else next(typed) for line in sheet.lines]
    assert [line.value.value if line.value else None for line in sheet.lines] == expected


def test_office_moves_to_the_next_group_and_jumps_by_name(demo_db: Any) -> None:
    office = demo_db.log_in("работник учебной части")
    statements = list_statements(office)
    start = next(s for s in statements if neighbour_statement(office, s.statement_id, 1) is not None)
    target = neighbour_statement(office, start.statement_id, 1)
    target_group = next(s.group_name for s in statements if s.statement_id == target)

    async def scenario(pilot: Pilot[None], screen: StatementsScreen) -> None:
        screen._open(start.statement_id)
        await settle(pilot)
        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert screen.sheet is not None and screen.sheet.info.statement_id == target
        await pilot.press("ctrl+pageup")
        await settle(pilot)
        assert screen.sheet.info.statement_id == start.statement_id
        await pilot.press("ctrl+g")
        await settle(pilot)
        await type_text(pilot, target_group.lower().replace("-", ""))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sheet.info.statement_id == target

    run(demo_db.settings, office, StatementsScreen(office), scenario)


def test_family_view_fits_80_by_24(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")

    async def scenario(pilot: Pilot[None], screen: FamilyScreen) -> None:
        picker = screen.query_one("#fam-pick", OptionList)
        assert picker.option_count == 2 and picker.has_focus   # two children: pick one first
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.view is not None and screen.child is not None
        assert screen.child.full_name in text_of(screen, "#fam-head")
        assert "Пропущено" in text_of(screen, "#fam-head")
        marks = screen.query_one("#fam-marks", DataTable)
        assert marks.row_count == len(screen.view.disciplines) > 0
        for key in ("2", "3", "4", "5"):
            await pilot.press(key)
            await pilot.pause()
        assert screen.query_one("#fam-week", DataTable).row_count > 0
        for widget in screen.query("*"):
            if widget.display and widget.region.area:
                assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
        await pilot.press("f2")
        await pilot.pause()
        assert screen.query_one("#fam-pick", OptionList).has_focus

    run(demo_db.settings, parent, FamilyScreen(parent), scenario, size=(80, 24))


def test_messages_written_answered_and_read(demo_db: Any) -> None:
    curator, parent = demo_db.log_in("куратор"), demo_db.log_in("родитель")
    surname = parent.person.full_name.split()[0]

    async def write(pilot: Pilot[None], screen: MessagesScreen) -> None:
        await pilot.press("f6")
        await settle(pilot)
        await type_text(pilot, surname)
        await pilot.press("enter", "enter")
        await type_text(pilot, "Собрание")
        await pilot.press("enter")
        await type_text(pilot, "Собрание в пятницу в 17:00.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.thread is not None and screen.thread.subject == "Собрание"

    run(demo_db.settings, curator, MessagesScreen(curator), write)
    thread = next(t for t in list_threads(parent) if t.subject == "Собрание")
    assert thread.unread == 1

    async def answer(pilot: Pilot[None], screen: MessagesScreen) -> None:
        threads = screen.query_one("#msg-threads", OptionList)
        assert "непрочитанных: 1" in str(screen.query_one("#msg-left .msg-heading").render())
        threads.highlighted = next(i for i, t in enumerate(screen.threads) if t.thread_id == thread.thread_id)
        await pilot.press("enter")
        await settle(pilot)
        assert "Собрание в пятницу" in text_of(screen, "#msg-body")
        await type_text(pilot, "Буду, спасибо.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Буду, спасибо." in text_of(screen, "#msg-body")

    run(demo_db.settings, parent, MessagesScreen(parent), answer)

    async def receipts(pilot: Pilot[None], screen: MessagesScreen) -> None:
        screen._open(thread.thread_id)
        await settle(pilot)
        body = text_of(screen, "#msg-body")
        assert "прочитано" in body and "не прочитано" not in body and "Буду, спасибо." in body

    run(demo_db.settings, curator, MessagesScreen(curator), receipts)
    assert [m.read_by_other for m in read_thread(curator, thread.thread_id).messages] == [True, True]
