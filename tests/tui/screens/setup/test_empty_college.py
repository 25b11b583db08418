"""Issue 13's proof: an empty college is set up from the sample files of docs/samples/ by
keyboard only, then a teacher types a mark on a generated lesson.

Start: an empty migrated database with one account, the admin who also works in the office.
By keyboard (Pilot key presses, every value typed): the year, its two periods and the bells
(year screen); the lists from the samples through the import screen (path typed, the mapping
as proposed, check, write); the year's lessons from the timetable (preview, then write).
The teacher's account is issued on the staff accounts screen (F2, «Выдать»); the one-time
password is read off that screen as the admin would, and the teacher's journal page, opened on
the teacher's own login, is then driven by keyboard.

The lessons are generated from today on (days already past get none), so the test needs
today inside the sample year's first semester (01.09.2026–28.12.2026) or second.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from core.catalogue.registry import LISTS
from core.session import UserSession, log_in
from demo.accounts import ensure_account
from kernel.settings import load_settings
from tests.conftest import FreshDb
from tests.curator_fixture import settle
from tests.tui.screens.journal.pilot import cursor, saved, wait_until
from tui.app import EJournalApp
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.admin.accounts import StaffAccountsScreen
from tui.screens.curator.account_issued import AccountIssuedScreen
from tui.screens.journal.page import JournalScreen
from tui.screens.setup.importing import ImportScreen
from tui.screens.setup.lists import CatalogueScreen
from tui.screens.setup.timetable_screen import TimetableScreen
from tui.screens.setup.year_form import FormDialog, PreviewDialog
from tui.screens.setup.year_screen import YearScreen
from tui.screens.start.password import ChangePasswordScreen

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
ADMIN = ("pervova.ai", "Первова", "Анна", "пустой-техникум-2026")
TEACHER = ("Ковалев", "Николай")
NEW_PASSWORD = "мел-доска-журнал"
IMPORTED = ["holidays", "specialties", "disciplines", "curricula", "staff", "groups",
            "subgroups", "students", "parents", "load", "ktp", "timetable"]
"""The lists loaded from files; years, periods and bells are typed on the year screen."""


def _sample(alias: str) -> Path:
    number = [s.alias for s in LISTS].index(alias) + 1
    return next(SAMPLES.glob(f"{number:02d}-*"))


def _admin(db: FreshDb) -> UserSession:
    """The one account of the empty college: the admin, also of the office."""
    settings = load_settings(dbname=db.dbname)
    login, surname, name, password = ADMIN
    with db.connect() as conn:
        person = conn.execute("INSERT INTO journal.person (surname, name) VALUES (%s, %s) "
                              "RETURNING id", (surname, name)).fetchone()[0]
        conn.execute("INSERT INTO journal.person_role VALUES (%s, 'admin'), (%s, 'office')",
                     (person, person))
        ensure_account(conn, person, login, password, settings=settings)
    return log_in(settings, login, password)


def _text(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def _type(pilot: Pilot[None], *values: str) -> None:
    """Fill the open form field by field: clear, type, Enter (the last Enter submits)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
    for value in values:
        await pilot.press("end", "ctrl+u", *value, "enter")


async def _year(pilot: Pilot[None], session: UserSession) -> None:
    screen = YearScreen(session)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    await pilot.press("f3")
    await _type(pilot, "2026/2027", "01.09.2026", "30.06.2027")
    await wait_until(pilot, lambda: "создан" in _text(pilot, "#year-status"))
    await wait_until(pilot, lambda: screen.year is not None)
    for number, title, starts, ends in (("1", "1 семестр", "01.09.2026", "28.12.2026"),
                                        ("2", "2 семестр", "12.01.2027", "30.06.2027")):
        await pilot.press("f4")
        await _type(pilot, number, title, starts, ends)
        await wait_until(pilot, lambda n=number: f"Период {n} открыт" in _text(pilot, "#year-status"))
    await pilot.press("shift+f7")
    await wait_until(pilot, lambda: "Записано пар: 6" in _text(pilot, "#year-status"))
    await pilot.press("escape")


async def _import(pilot: Pilot[None], screen: CatalogueScreen, alias: str) -> None:
    """Choose the list, F3, type the path, accept the proposed columns, F5, F9."""
    await wait_until(pilot, lambda: pilot.app.screen is screen)
    if not isinstance(screen.focused, OptionList):
        await pilot.press("shift+tab")
    assert isinstance(screen.focused, OptionList)
    await pilot.press("home", *["down"] * [s.alias for s in LISTS].index(alias), "enter")
    await settle(pilot)
    assert screen.spec.alias == alias
    await pilot.press("f3")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ImportScreen))
    form = pilot.app.screen
    assert isinstance(form, ImportScreen)
    await pilot.press(*str(_sample(alias)), "enter")
    await wait_until(pilot, lambda: form.sheet is not None)
    await pilot.press("f5")
    await wait_until(pilot, lambda: form.preview is not None, timeout=30)
    assert form.preview is not None and form.preview.ok, (
        alias, [str(p) for p in form.preview.problems[:3]])
    await pilot.press("f9")
    await wait_until(pilot, lambda: form.result is not None, timeout=30)
    assert form.result is not None and form.result.written, alias
    await settle(pilot)


async def _lessons(pilot: Pilot[None], session: UserSession) -> None:
    screen = TimetableScreen(session)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    await pilot.press(*"ИС-26-1", "enter")
    await wait_until(pilot, lambda: bool(screen.slots) and screen.period is not None)
    await pilot.press("f6")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PreviewDialog))
    assert "будет создано:" in _text(pilot, "#preview-text")
    await pilot.press("f9")
    await wait_until(pilot, lambda: "Создано занятий:" in _text(pilot, "#tt-status"), timeout=30)
    await pilot.press("escape")


async def _teacher_account(pilot: Pilot[None], session: UserSession) -> tuple[str, str]:
    """Issue the teacher's account on the staff accounts screen; (login, one-time password)."""
    screen = StaffAccountsScreen(session)
    await pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: bool(screen.staff))
    row = next(i for i, m in enumerate(screen.staff) if m.full_name.startswith(" ".join(TEACHER)))
    await pilot.press("home", *["down"] * row, "f2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.press("left", "enter")  # from «Отмена» to «Выдать»
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AccountIssuedScreen))
    issued = screen.last_issued
    assert issued is not None and issued.password in _text(pilot, "#issued-password")
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is screen)
    return issued.login, issued.password


def _one(db: FreshDb, sql: str, args: tuple[Any, ...] = ()) -> Any:
    with db.connect() as conn:
        return conn.execute(sql, args).fetchone()[0]


@pytest.mark.skipif(not date(2026, 9, 1) <= date.today() <= date(2027, 6, 30),
                    reason="the sample year's lessons are generated from today on")
def test_an_empty_college_is_set_up_from_the_samples_by_keyboard(fresh_db: FreshDb,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    admin = _admin(fresh_db)

    account: list[tuple[str, str]] = []

    async def setup() -> None:
        app = EJournalApp(admin.settings, session=admin)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await _year(pilot, admin)
            lists = CatalogueScreen(admin)
            await pilot.app.push_screen(lists)
            await settle(pilot)
            for alias in IMPORTED:
                await _import(pilot, lists, alias)
            await pilot.press("escape")
            await _lessons(pilot, admin)
            account.append(await _teacher_account(pilot, admin))

    asyncio.run(setup())
    admin.close()
    assert _one(fresh_db, "SELECT count(*) FROM journal.student") == 100
    assert _one(fresh_db, "SELECT count(*) FROM journal.timetable_slot") == 32
    assert _one(fresh_db, "SELECT count(DISTINCT t.group_id) FROM journal.lesson l JOIN "
                          "journal.teaching_load t ON t.id = l.load_id WHERE l.lesson_date >= "
                          "current_date AND l.filled_at IS NULL") == 4

    login, password = account[0]
    with fresh_db.connect() as conn:
        person = conn.execute("SELECT person_id FROM journal.account WHERE login = %s",
                              (login,)).fetchone()[0]
        load_id = conn.execute(
            "SELECT t.id FROM journal.teaching_load t JOIN journal.study_group g ON g.id = "
            "t.group_id JOIN journal.discipline d ON d.id = t.discipline_id WHERE g.name = "
            "'ИС-26-1' AND d.title = 'Русский язык' AND t.teacher_id = %s", (person,)).fetchone()[0]
    teacher = log_in(admin.settings, login, password)

    async def mark() -> tuple[int, int]:
        app = EJournalApp(teacher.settings, session=teacher)
        async with app.run_test(size=(160, 48)) as pilot:
            # first login with the one-time password: the app asks for the teacher's own
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChangePasswordScreen))
            await pilot.press(*NEW_PASSWORD, "enter", *NEW_PASSWORD, "enter")
            await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ChangePasswordScreen))
            page = JournalScreen(teacher, load_id)
            await pilot.app.push_screen(page)
            await wait_until(pilot, lambda: page.grid is not None)
            try:
                await pilot.press("home")
                where = cursor(page)
                await pilot.press("5")
                await wait_until(pilot, lambda: saved(page))
            finally:
                for worker in (page.saver, page.listener):
                    if worker is not None:
                        worker.stop()
        return where

    lesson_id, student_id = asyncio.run(mark())
    teacher.close()
    assert _one(fresh_db, "SELECT l.load_id FROM journal.lesson l WHERE l.id = %s",
                (lesson_id,)) == load_id
    assert _one(fresh_db, "SELECT value FROM journal.mark WHERE lesson_id = %s AND student_id = %s",
                (lesson_id, student_id)) == "5"
    assert _one(fresh_db, "SELECT changed_by FROM journal.change_log WHERE table_name = 'mark' "
                          "ORDER BY id DESC LIMIT 1") == login
