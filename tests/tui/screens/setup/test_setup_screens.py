"""The setup screens by keyboard (Pilot) on the demo college: the admin's calendar and
settings, the office's timetable with the year's lessons previewed before writing, the
readiness checklist jumping to the screen that fixes a line."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import wait_until
from tui.app import EJournalApp
from tui.screens.admin.accounts import StaffAccountsScreen
from tui.screens.setup.lists import CatalogueScreen
from tui.screens.setup.readiness_screen import ReadinessScreen
from tui.screens.setup.settings_screen import SettingsScreen
from tui.screens.setup.timetable_screen import TimetableScreen
from tui.screens.setup.year_form import FormDialog, PreviewDialog
from tui.screens.setup.year_screen import YearScreen


def _one(demo: DemoDb, sql: str, args: tuple[Any, ...] = ()) -> Any:
    with demo.connect() as conn:
        return conn.execute(sql, args).fetchone()[0]


def _text(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def _type(pilot: Pilot[None], *values: str) -> None:
    """Fill the open form field by field (Enter moves on; the last Enter submits)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
    for value in values:
        field = pilot.app.focused
        field.value = ""  # type: ignore[union-attr]
        if value:
            await pilot.press(*value)
        await pilot.press("enter")


def test_admin_adds_practice_weeks_and_a_bell(demo_db: DemoDb) -> None:
    admin = demo_db.log_in("заведующий")
    app = EJournalApp(demo_db.settings, session=admin)
    group = _one(demo_db, "SELECT name FROM journal.study_group ORDER BY name LIMIT 1")

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            screen = YearScreen(admin)
            await pilot.app.push_screen(screen)
            await wait_until(pilot, lambda: screen.query_one("#year-bells", DataTable).row_count > 0)
            await pilot.press("f6")
            await _type(pilot, "01.06.2027", "14.06.2027", "Учебная практика", "практика", group)
            await wait_until(pilot, lambda: "Добавлено" in _text(pilot, "#year-status"))
            await pilot.press("f7")
            await _type(pilot, "7", "18:50", "20:20", "2")
            await wait_until(pilot, lambda: "Пара 7 записана" in _text(pilot, "#year-status"))
            await pilot.press("f6")
            await _type(pilot, "31.02.2027", "01.03.2027", "Ошибка", "каникулы", "")
            await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ErrorScreen")
            texts = " ".join(str(w.render()) for w in pilot.app.screen.query("Static, Label"))
            assert "31.02.2027» — такой даты нет" in texts

    asyncio.run(main())
    admin.close()
    assert _one(demo_db, "SELECT count(*) FROM journal.holiday h JOIN journal.study_group g "
                         "ON g.id = h.group_id WHERE h.kind = 'практика' AND g.name = %s", (group,)) == 1
    assert _one(demo_db, "SELECT hours FROM journal.bell WHERE pair_no = 7") == 2


def test_office_previews_then_writes_the_years_lessons(demo_db: DemoDb) -> None:
    office = demo_db.log_in("учебной части")
    app = EJournalApp(demo_db.settings, session=office)
    group = _one(demo_db, "SELECT g.name FROM journal.study_group g JOIN journal.teaching_load t "
                          "ON t.group_id = g.id JOIN journal.timetable_slot s ON s.load_id = t.id "
                          "ORDER BY g.name LIMIT 1")
    before = _one(demo_db, "SELECT count(*) FROM journal.lesson")

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            screen = TimetableScreen(office)
            await pilot.app.push_screen(screen)
            await pilot.click("#tt-group")
            await pilot.press(*group, "enter")
            await wait_until(pilot, lambda: screen.query_one("#tt-table", DataTable).row_count > 0)
            await pilot.press("f7")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, PreviewDialog))
            preview = _text(pilot, "#preview-text")
            assert "будет создано:" in preview and f"  {group}: " in preview
            await pilot.press("escape")
            await wait_until(pilot, lambda: "Ничего не записано" in _text(pilot, "#tt-status"))
            assert _one(demo_db, "SELECT count(*) FROM journal.lesson") == before
            await pilot.press("f7")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, PreviewDialog))
            await pilot.press("f9")
            await wait_until(pilot, lambda: "Создано занятий:" in _text(pilot, "#tt-status"))

    asyncio.run(main())
    office.close()
    after = _one(demo_db, "SELECT count(*) FROM journal.lesson")
    assert after > before
    assert _one(demo_db, "SELECT count(DISTINCT t.group_id) FROM journal.lesson l JOIN "
                         "journal.teaching_load t ON t.id = l.load_id WHERE l.created_at > now() - "
                         "interval '1 hour' AND l.filled_at IS NULL AND l.lesson_date > current_date") == 1


def test_settings_by_the_admin_only(demo_db: DemoDb) -> None:
    async def edit(role: str, value: str) -> str:
        session = demo_db.log_in(role)
        app = EJournalApp(demo_db.settings, session=session)
        async with app.run_test(size=(160, 48)) as pilot:
            screen = SettingsScreen(session)
            await pilot.app.push_screen(screen)
            table = screen.query_one("#settings-table", DataTable)
            await wait_until(pilot, lambda: table.row_count > 0)
            row = next(i for i, c in enumerate(screen.current) if c.item.key == "reason_after_days")
            table.move_cursor(row=row)
            await pilot.pause()
            assert "только указав причину" in _text(pilot, "#settings-meaning")
            await pilot.press("enter")
            if isinstance(pilot.app.screen, SettingsScreen):
                return _text(pilot, "#settings-status")
            await _type(pilot, value, "проверка")
            await wait_until(pilot, lambda: (isinstance(pilot.app.screen, SettingsScreen)
                                             and "Записано" in _text(pilot, "#settings-status"))
                             or pilot.app.screen.__class__.__name__ == "ErrorScreen")
            if pilot.app.screen.__class__.__name__ == "ErrorScreen":
                return " ".join(str(w.render()) for w in pilot.app.screen.query("Static, Label"))
            return _text(pilot, "#settings-status")

    assert "только заведующий" in asyncio.run(edit("учебной части", "9"))
    assert "от 0 до 365" in asyncio.run(edit("заведующий", "999"))
    assert "Записано" in asyncio.run(edit("заведующий", "9"))
    assert _one(demo_db, "SELECT value::text FROM journal.setting WHERE key = 'reason_after_days'") == "9"


def test_readiness_lines_jump_to_their_screen(demo_db: DemoDb) -> None:
    office = demo_db.log_in("учебной части")
    with demo_db.connect() as conn:
        conn.execute("DELETE FROM journal.bell")
    app = EJournalApp(demo_db.settings, session=office)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            screen = ReadinessScreen(office)
            await pilot.app.push_screen(screen)
            await wait_until(pilot, lambda: bool(screen.checks))
            failed = [c for c in screen.checks if not c.ok]
            assert "bells" in {c.key for c in failed}
            row = next(i for i, c in enumerate(screen.checks) if c.key == "bells")
            screen.query_one("#ready-table", DataTable).move_cursor(row=row)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, YearScreen))
            await pilot.press("escape")
            row = next(i for i, c in enumerate(screen.checks) if c.key == "staff_accounts")
            screen.query_one("#ready-table", DataTable).move_cursor(row=row)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, StaffAccountsScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: pilot.app.screen is screen)
            row = next(i for i, c in enumerate(screen.checks) if c.key == "ktp")
            screen.query_one("#ready-table", DataTable).move_cursor(row=row)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, CatalogueScreen))
            assert cast(CatalogueScreen, pilot.app.screen).spec.alias == "ktp"

    asyncio.run(main())
    office.close()
