"""The change of the academic year (R1, R16): the last course graduates, the others move up,
the new year opens with its periods, bells and holidays; the finished year stays readable."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from core.calendar.year import find_year, list_bells, list_holidays, list_periods, list_years
from core.calendar.year_change import apply_change, plan_change
from kernel.errors import EJournalError
from tests.security.world import World

Login = Callable[[str], psycopg.Connection]


@pytest.fixture
def four_courses(world: World, su: psycopg.Connection) -> int:
    """The curriculum runs 8 semesters; GA is in its 4th (last) course this year."""
    start = su.execute("SELECT extract(year FROM starts_on)::int FROM journal.academic_year").fetchone()
    assert start is not None
    su.execute("INSERT INTO journal.curriculum_item (curriculum_id, discipline_id, semester_no, "
               "hours_total, attestation) SELECT curriculum_id, (SELECT min(id) FROM journal.discipline), "
               "8, 36, 'экзамен' FROM journal.study_group WHERE id = %s", (world.group["GA"],))
    su.execute("UPDATE journal.study_group SET admission_year = %s WHERE id = %s",
               (start[0] - 3, world.group["GA"]))
    su.execute("UPDATE journal.study_group SET admission_year = %s WHERE id <> %s",
               (start[0] - 1, world.group["GA"]))
    return int(start[0])


def test_year_change(world: World, login_as: Login, su: psycopg.Connection, four_courses: int) -> None:
    admin = login_as("admin")
    old = list_years(admin)[0]
    change = plan_change(admin, old)
    texts = [g.text for g in change.groups]
    assert texts == ["ИС-24-1: выпуск (3 обучающихся)", "ИС-24-2: 2 → 3 курс", "ИС-24-3: 2 → 3 курс"]
    assert len(list_years(admin)) == 1  # the plan wrote nothing
    with pytest.raises(EJournalError):
        apply_change(login_as("teacher"), change)
    assert len(list_years(admin)) == 1 and su.execute(
        "SELECT count(*) FROM journal.student WHERE status = 'выпущен'").fetchone() == (0,)
    new_id = apply_change(admin, change)
    new = find_year(admin, f"{four_courses + 1}/{four_courses + 2}")
    assert new.year_id == new_id
    assert [(p.number, p.starts_on.month) for p in list_periods(admin, new_id)] == [(1, 9), (2, 1)]
    assert len(list_bells(admin, new_id)) == 1  # copied from the finished year
    assert any(h.title == "День народного единства" for h in list_holidays(admin, new_id))
    students = dict(su.execute("SELECT person_id, status FROM journal.student").fetchall())
    assert {students[p] for p in world.students_of("GA")} == {"выпущен"}
    assert {students[p] for p in world.students_of("GB", "GC")} == {"обучается"}
    assert su.execute("SELECT count(*) FROM journal.study_group WHERE graduated_at = %s",
                      (old.ends_on,)).fetchone() == (1,)
    # the finished year stays readable: the teacher's lesson and marks of a graduated group
    teacher = login_as("teacher")
    assert teacher.execute("SELECT count(*) FROM journal.mark WHERE lesson_id = %s",
                           (world.lesson["la1"],)).fetchone() == (2,)
    # next year plans from the new course: the graduated group is gone, the others move up
    assert [g.text for g in plan_change(admin, new).groups] == ["ИС-24-2: 3 → 4 курс",
                                                                "ИС-24-3: 3 → 4 курс"]
    with pytest.raises(EJournalError, match="уже открыт"):
        apply_change(admin, change)
