"""The office sets up students from its own sheet by keyboard: the catalogue's lists, the
import's column mapping, a preview showing a row's error, the fixed file, the import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from core.catalogue.importer import remembered_mapping
from core.catalogue.registry import LISTS, find_list
from tests.curator_fixture import run, settle
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.error import ErrorScreen
from tui.screens.setup.importing import ImportScreen
from tui.screens.setup.lists import CatalogueScreen
from tui.screens.setup.row_form import RowFormScreen

HEADER = "Дата зачисления;Фамилия;Имя;Дата рождения;Группа;Зачётка\n"


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Preferences (the remembered columns) of each test in its own folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def _rows(group: str, bad: bool) -> str:
    return (f"01.09.2026;Орлова;Анна;{'31.02.2008' if bad else '28.02.2008'};{group};Т-1\n"
            f"01.09.2026;Петров;Иван;05.11.2007;{group};Т-2\n")


def test_import_maps_previews_an_error_then_imports_the_fixed_file(demo_db: Any,
                                                                  tmp_path: Path) -> None:
    office = demo_db.log_in("работник учебной части")
    with demo_db.connect() as conn:
        group = conn.execute("SELECT name FROM journal.study_group ORDER BY name").fetchone()[0]
    sheet = tmp_path / "новые.csv"
    sheet.write_text(HEADER + _rows(group, bad=True), encoding="utf-8")
    screen = CatalogueScreen(office)
    students = [s.alias for s in LISTS].index("students")

    async def scenario(pilot: Pilot[None], screen: CatalogueScreen) -> None:
        assert isinstance(screen.focused, OptionList)
        await pilot.press(*["down"] * students, "enter")
        await settle(pilot)
        assert screen.spec.alias == "students"
        assert screen.query_one("#setup-rows", DataTable).row_count > 20
        await pilot.press("f3")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ImportScreen)
        form.query_one("#import-path", Input).value = str(sheet)
        await pilot.press("enter")
        await settle(pilot)
        assert "Зачётка" not in form.mapping  # not a header the list knows: map it by hand
        await pilot.press(*["down"] * 5)
        for _ in range(12):
            if form.mapping.get("Зачётка") == "record_book_no":
                break
            await pilot.press("right")
        assert form.mapping["Зачётка"] == "record_book_no"
        await pilot.press("f9")  # not checked yet: nothing happens but a hint
        assert pilot.app.screen is form
        await pilot.press("f5")
        await settle(pilot)
        problems = form.query_one("#import-problems", DataTable)
        assert problems.row_count == 1
        assert problems.get_row_at(0) == ["2", "Дата рождения", "31.02.2008 — такой даты нет"]
        await pilot.press("f9")  # errors: refused, nothing written
        await settle(pilot)
        assert pilot.app.screen is form and "ничего не записано" in str(
            form.query_one("#import-summary", Static).render())
        await pilot.press("ctrl+f9")  # only the valid rows: asked first; «Нет»
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is form and form.result is None
        sheet.write_text(HEADER + _rows(group, bad=False), encoding="utf-8")
        await pilot.press("f5")  # the file is read again
        await settle(pilot)
        assert form.preview is not None and form.preview.ok
        await pilot.press("f9")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert form.result is not None and form.result.inserted == 2

    run(demo_db.settings, office, screen, scenario)
    with demo_db.connect() as conn:
        found = conn.execute("SELECT p.birth_date::text FROM journal.student s JOIN journal.person p "
                             "ON p.id = s.person_id WHERE s.record_book_no = 'Т-1'").fetchone()
    assert found == ("2008-02-28",)
    assert remembered_mapping(office.person.login, find_list("students"))["зачетка"] == \
        "record_book_no"


def test_a_row_is_added_in_the_form_and_a_used_row_is_not_deleted(demo_db: Any) -> None:
    office = demo_db.log_in("работник учебной части")
    screen = CatalogueScreen(office)
    disciplines = [s.alias for s in LISTS].index("disciplines")

    async def scenario(pilot: Pilot[None], screen: CatalogueScreen) -> None:
        await pilot.press(*["down"] * disciplines, "enter")
        await settle(pilot)
        before = screen.query_one("#setup-rows", DataTable).row_count
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("tab", "enter")  # «Да»
        await settle(pilot)
        refusal = pilot.app.screen
        assert isinstance(refusal, ErrorScreen) and "используется" in refusal.message
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one("#setup-rows", DataTable).row_count == before
        await pilot.press("insert")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RowFormScreen)
        pilot.app.screen.query_one("#f-title", Input).value = "Астрономия"
        await pilot.press("f9")
        await settle(pilot)
        assert pilot.app.screen is screen
        table = screen.query_one("#setup-rows", DataTable)
        assert table.row_count == before + 1
        assert table.get_row_at(table.cursor_row)[1] == "Астрономия"
        await pilot.press("delete")  # unused: deleted
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert pilot.app.screen is screen and table.row_count == before

    run(demo_db.settings, office, screen, scenario)


def test_a_teachers_ktp_is_imported_for_the_load_of_the_chosen_row(demo_db: Any,
                                                                  tmp_path: Path) -> None:
    office = demo_db.log_in("работник учебной части")
    screen = CatalogueScreen(office)
    ktp = [s.alias for s in LISTS].index("ktp")
    sheet = tmp_path / "КТП.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["№", "Тема", "Часы", "Тип занятия", "Домашнее задание"])
    for n in (1, 2, 3):
        book.active.append([n, f"Новая тема {n}", 2, "практическое занятие", f"§ {n}"])
    book.save(sheet)

    async def scenario(pilot: Pilot[None], screen: CatalogueScreen) -> None:
        await pilot.press(*["down"] * ktp, "enter")
        await settle(pilot)
        row = screen.rows[0]
        await pilot.press("f3")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ImportScreen)
        assert form.defaults["group"] == row[2] and form.defaults["discipline"] == row[4]
        form.query_one("#import-path", Input).value = str(sheet)
        await pilot.press("enter")
        await settle(pilot)
        mapping = form.query_one("#import-mapping", DataTable)
        assert mapping.get_row_at(5)[1].startswith("для всех строк: ")  # the year, from the row
        await pilot.press("f5")
        await settle(pilot)
        assert form.preview is not None and form.preview.ok, form.preview
        await pilot.press("f9")
        await settle(pilot)
        assert form.result is not None and (form.result.inserted, form.result.updated) == (0, 3)

    run(demo_db.settings, office, screen, scenario)
