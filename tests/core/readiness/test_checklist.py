"""«Готовность к учебному году»: each check finds what is missing and points to its screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import psycopg

from core.calendar.year import add_year
from core.readiness.checklist import checklist, year_to_check
from tests.security.world import World

Login = Callable[[str], psycopg.Connection]


def test_checklist_of_the_running_year(world: World, login_as: Login, su: psycopg.Connection) -> None:
    office = login_as("office")
    year = year_to_check(office, world.today)
    assert year is not None and year.year_id == world.year_id
    checks = {c.key: c for c in checklist(office, year)}
    assert checks["curator"].examples == ("ИС-24-3",) and checks["curator"].target == "groups"
    assert checks["staff_accounts"].missing == 1  # x_teacher
    assert checks["parents"].missing == 7         # no parent has a phone or an e-mail yet
    for ok in ("periods", "bells", "holidays", "timetable", "ktp", "group_load"):
        assert checks[ok].ok, checks[ok].text
    su.execute("UPDATE journal.person SET phone = '+79990000000' WHERE id = %s", (world.person["parent"],))
    su.execute("DELETE FROM journal.timetable_slot WHERE load_id = %s", (world.load["lc"],))
    checks = {c.key: c for c in checklist(office, year)}
    assert checks["parents"].missing == 6
    assert checks["timetable"].text == "✗ Расписание групп — не хватает: 1 (ИС-24-3)"
    assert checks["timetable"].target == "timetable"


def test_a_new_year_without_periods_or_bells(world: World, login_as: Login) -> None:
    admin = login_as("admin")
    start = date(world.today.year + 1, 9, 1)
    add_year(admin, f"{start.year}/{start.year + 1}", start, date(start.year + 1, 8, 31))
    year = year_to_check(admin, date(start.year, 6, 1))
    assert year is not None and year.starts_on == start
    failed = [c.key for c in checklist(admin, year) if not c.ok]
    assert {"periods", "bells", "holidays", "group_load", "timetable"} <= set(failed)
    assert failed[0] in {c.key for c in checklist(admin, year) if not c.ok}  # failed ones first
