"""The year's lessons generated from a hand-made timetable (R12): dates worked out by hand
(tests/core/calendar/college.py), the preview writes nothing, a second run adds nothing."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from core.calendar.generate import plan_year, write_plan
from kernel.errors import EJournalError
from tests.core.calendar.college import EXPECTED, College, build
from tests.security.conftest import connect_as


@pytest.fixture
def college(su: psycopg.Connection) -> College:
    return build(su)


def _by_load(college: College, pairs: list[tuple[int, date, int]]) -> dict[str, list[tuple[date, int]]]:
    names = {v: k for k, v in college.load.items()}
    result: dict[str, list[tuple[date, int]]] = {name: [] for name in college.load}
    for load_id, day, pair in sorted(pairs):
        result[names[load_id]].append((day, pair))
    return result


def _lessons(su: psycopg.Connection) -> list[tuple[int, date, int]]:
    return [tuple(r) for r in su.execute(  # type: ignore[misc]
        "SELECT load_id, lesson_date, pair_no FROM journal.lesson").fetchall()]


def test_plan_matches_the_dates_worked_out_by_hand(su: psycopg.Connection, college: College,
                                                   sec_db: object) -> None:
    office = connect_as(sec_db, college.login["office"])  # type: ignore[arg-type]
    plan = plan_year(office, college.year.year_id)
    planned = [(n.lesson.load_id, n.lesson.date, n.lesson.pair_no) for n in plan.lessons]
    assert _by_load(college, planned) == EXPECTED
    # the preview wrote nothing
    assert _lessons(su) == []
    # hours come from the bells: the added 4th пара is one academic hour
    hours = {(n.lesson.date, n.lesson.pair_no): n.hours for n in plan.lessons
             if n.lesson.load_id == college.load["A"]}
    assert hours[(date(2024, 12, 24), 4)] == 1 and hours[(date(2024, 12, 16), 1)] == 2
    summary = plan.loads[college.load["A"]]
    assert (summary.lessons, summary.hours, summary.new, summary.first) == (5, 9, 5, date(2024, 12, 16))
    texts = [c.text for c in plan.conflicts]
    assert any(t.startswith("28.12.2024, 1 пара: преподаватель СотрудникT1") for t in texts), texts
    assert any(t.startswith("17.12.2024, 2 пара: аудитория 101") for t in texts), texts
    assert len(texts) == 2, texts
    assert "Накладки (2):" in plan.lines()
    # from a date on: the days already past get no lessons
    later = plan_year(office, college.year.year_id, from_date=date(2024, 12, 24))
    expected = {name: [(d, p) for d, p in dates if d >= date(2024, 12, 24)]
                for name, dates in EXPECTED.items()}
    assert _by_load(college, [(n.lesson.load_id, n.lesson.date, n.lesson.pair_no)
                              for n in later.lessons]) == expected
    assert later.lines()[0].startswith("Занятий по расписанию с 24.12.2024: 5;")
    office.close()


def test_writing_is_idempotent_and_takes_ktp_topics(su: psycopg.Connection, college: College,
                                                    sec_db: object) -> None:
    office = connect_as(sec_db, college.login["office"])  # type: ignore[arg-type]
    assert write_plan(office, plan_year(office, college.year.year_id)) == 9
    assert _by_load(college, _lessons(su)) == EXPECTED
    again = plan_year(office, college.year.year_id)
    assert again.new_lessons == [] and write_plan(office, again) == 0
    assert len(_lessons(su)) == 9
    topics = su.execute("SELECT l.lesson_date, coalesce(k.title, ''), l.taught_by, l.filled_at "
                        "FROM journal.lesson l LEFT JOIN journal.ktp_topic k ON k.id = l.ktp_topic_id "
                        "WHERE l.load_id = %s ORDER BY l.lesson_date", (college.load["A"],)).fetchall()
    assert [t for _, t, _, _ in topics] == ["Числа", "Функции", "Пределы", "", ""]
    assert {filled for *_, filled in topics} == {None}  # planned, not filled (R8)
    assert {who for _, _, who, _ in topics} == {college.person["T1"]}
    # the history names the office as the author of the generated lessons
    authors = su.execute("SELECT DISTINCT changed_by FROM journal.change_log WHERE table_name = 'lesson'"
                         ).fetchall()
    assert authors == [(college.login["office"],)]
    office.close()


def test_a_teacher_cannot_generate_or_change_the_timetable(college: College, sec_db: object,
                                                           su: psycopg.Connection) -> None:
    teacher = connect_as(sec_db, college.login["T1"])  # type: ignore[arg-type]
    plan = plan_year(teacher, college.year.year_id)  # reading is allowed: staff read the timetable
    assert plan.lessons
    with pytest.raises(EJournalError):
        write_plan(teacher, plan)  # loads of another teacher (C): refused, nothing half-written
    assert _lessons(su) == []
    for sql in ("INSERT INTO journal.timetable_slot (load_id, weekday, pair_no) VALUES (%s, 5, 5)",
                "INSERT INTO journal.timetable_change (load_id, on_date, pair_no, kind) "
                "VALUES (%s, '2024-12-20', 3, 'add')",
                "UPDATE journal.timetable_slot SET room = 'x' WHERE load_id = %s"):
        with pytest.raises(psycopg.Error):
            teacher.execute(sql, (college.load["A"],))
            if teacher.execute("SELECT count(*) FROM journal.timetable_slot WHERE room = 'x'"
                               ).fetchone() == (0,):
                raise psycopg.errors.InsufficientPrivilege("updated nothing")
    teacher.close()
