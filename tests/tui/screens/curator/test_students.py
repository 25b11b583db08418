"""The students and parents screen driven by keys through Pilot, as the demo curator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from core.people.roster import read_roster
from core.session import log_in
from tests.curator_fixture import curator_group, run, settle
from tui.screens.curator.account_issued import AccountIssuedScreen
from tui.screens.curator.person_form import PersonFormScreen
from tui.screens.curator.students import StudentsScreen

KEYS = {" ": "space", "(": "left_parenthesis", ")": "right_parenthesis", "-": "minus",
        "+": "plus", "@": "at", ".": "full_stop", "/": "slash", "~": "tilde", "_": "underscore"}


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Clear a field of the open form and type a text key by key."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*[KEYS.get(ch, ch) for ch in text])


def test_student_form_shows_russian_messages_and_saves_normalised(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    first = read_roster(curator, group).students[0]
    screen = StudentsScreen(curator)

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        assert screen.query_one("#students-table", DataTable).row_count > 0
        await pilot.press("enter")  # the first student's form
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, PersonFormScreen)
        assert not form.query_one("#field-surname", Input).disabled  # the curator keeps names
        await type_into(pilot, "#field-phone", "12345")
        await type_into(pilot, "#field-email", "ivanov@mail")
        await pilot.press("f2")
        await settle(pilot)
        assert pilot.app.screen is form  # not closed: the messages are shown
        assert "11 цифр" in form.error_text("phone")
        assert "ivanova@mail.ru" in form.error_text("email")
        await type_into(pilot, "#field-phone", "8 (900) 123-45-67")
        await type_into(pilot, "#field-email", "ivanov@mail.ru")
        await pilot.press("f2")
        await settle(pilot)
        assert pilot.app.screen is screen
        row = screen.query_one("#students-table", DataTable).get_row_at(0)
        assert "+7 (900) 123-45-67" in row and "ivanov@mail.ru" in row

    run(demo_db.settings, curator, screen, scenario)
    data = read_roster(curator, group).student(first.person_id).data
    assert (data.phone, data.email) == ("+79001234567", "ivanov@mail.ru")


def test_parent_added_with_checked_fields(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    first = read_roster(curator, group).students[0]
    screen = StudentsScreen(curator)

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        await pilot.press("f3")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, PersonFormScreen)
        await pilot.press("f2")  # everything empty
        await settle(pilot)
        assert form.error_text("surname") == "Фамилия: обязательное поле."
        assert "телефон или e-mail" in form.error_text("phone")
        await type_into(pilot, "#field-surname", "Петрова")
        await type_into(pilot, "#field-name", "Анна")
        await type_into(pilot, "#field-phone", "+7 (913) 000-11-22")
        await pilot.press("f2")
        await settle(pilot)
        assert pilot.app.screen is screen
        parents = screen.query_one("#parents-table", DataTable)
        assert any("Петрова Анна" in str(parents.get_row_at(i)[0]) for i in range(parents.row_count))

    run(demo_db.settings, curator, screen, scenario)
    added = [p for p in read_roster(curator, group).parents_of(first.person_id)
             if p.data.surname == "Петрова"]
    assert [(p.data.phone, p.data.relation) for p in added] == [("+79130001122", "мать")]


def test_account_password_shown_once_and_slip_written(demo_db: Any, tmp_path: Path) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    roster = read_roster(curator, group)
    row = next(i for i, s in enumerate(roster.students) if not s.login)
    folder = tmp_path / "print"
    screen = StudentsScreen(curator)
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        screen.query_one("#students-table", DataTable).move_cursor(row=row)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, AccountIssuedScreen)
        issued = screen.last_issued
        assert issued is not None
        seen["login"], seen["password"] = issued.login, issued.password
        shown = str(dialog.query_one("#issued-password", Static).render())
        assert issued.password in shown
        dialog.query_one("#issued-folder", Input).value = str(folder)
        await pilot.press("f2")
        await settle(pilot)
        assert dialog.saved is not None and dialog.saved.parent == folder
        seen["pdf"] = dialog.saved
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.last_issued is None
        assert dialog.issued is None  # the dialog forgot the password
        table = screen.query_one("#students-table", DataTable)
        assert issued.login in table.get_row_at(row)
        text = " ".join(str(w.render()) for w in pilot.app.screen.query(Static))
        assert seen["password"] not in text  # never shown again

    run(demo_db.settings, curator, screen, scenario)
    assert Path(seen["pdf"]).read_bytes().startswith(b"%PDF")
    session = log_in(demo_db.settings, seen["login"], seen["password"])
    assert session.person.must_change_password
    session.close()
