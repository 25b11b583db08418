"""F7 «Движение» on the students' screen (issue 11): the curator records an academic leave
with its order; the student's status follows; the curator cannot expel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from core.people.movements import check_movement, read_movements
from core.people.roster import read_roster
from core.people.validation import FormErrors
from tests.curator_fixture import curator_group, run, settle
from tui.screens.curator.person_form import PersonFormScreen
from tui.screens.curator.students import StudentsScreen


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox of each test in its own folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def test_the_form_is_checked_field_by_field() -> None:
    with pytest.raises(FormErrors) as caught:
        check_movement({"kind": "отчисление", "on_date": "31.02.2026", "until_on": "01.03.2026"},
                       1, {})
    assert set(caught.value.errors) == {"on_date", "until_on", "order_no"}
    with pytest.raises(FormErrors) as caught:
        check_movement({"kind": "перевод", "on_date": "01.12.2026", "order_no": "1-к",
                        "group": "нет такой"}, 1, {"МВС-24-1": 7})
    assert set(caught.value.errors) == {"group"}
    data = check_movement({"kind": "академический отпуск", "on_date": "06.10.2026",
                           "until_on": "06.10.2027", "reason": " по  болезни "}, 3, {})
    assert (data.group_id, data.until_on, data.reason) == (3, date(2027, 10, 6), "по болезни")


def test_curator_records_an_academic_leave_with_f7(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    student = read_roster(curator, group).students[0]
    since = date.today() - timedelta(days=2)
    screen = StudentsScreen(curator)

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        assert screen.query_one("#students-table", DataTable).row_count > 0
        await pilot.press("f7")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, PersonFormScreen)
        assert "зачисление" in str(form.query_one(".form-note", Static).render())
        kinds = form.query_one("#field-kind", Select)
        assert [str(p) for p, _v in kinds._options] == ["академический отпуск", "выход из отпуска"]
        form.query_one("#field-on_date", Input).value = f"{since:%d.%m.%Y}"
        form.query_one("#field-order_no", Input).value = "12-к"
        form.query_one("#field-reason", Input).value = "по состоянию здоровья"
        await pilot.press("f2")
        await settle(pilot)
        assert pilot.app.screen is screen

    run(demo_db.settings, curator, screen, scenario)
    movements = read_movements(curator, student.person_id)
    assert (movements[-1].kind, movements[-1].on_date, movements[-1].order_no,
            movements[-1].recorded_by) == ("академический отпуск", since, "12-к", curator.person.login)
    assert read_roster(curator, group).student(student.person_id).data.status == "академический отпуск"
