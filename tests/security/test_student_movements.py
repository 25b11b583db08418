"""Students not studying on a date (issue 11): the database refuses their marks, attendance
and statement marks; movements are recorded by the office, leave and return by the curator.

Every write is a raw SQL statement on the person's own connection (what psql would do).
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from db.errors import translate
from kernel.errors import ValidationError
from tests.security.world import World

MARK = ("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
        "VALUES (%s, %s, %s, 'test', '4')")
ATTEND = ("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
          "VALUES (%s, %s, %s, 'П')")


def _lesson(conn: psycopg.Connection, world: World, day: dt.date, pair: int = 5) -> int:
    row = conn.execute("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                       "VALUES (%s, %s, %s, %s) RETURNING id",
                       (world.load["la"], day, pair, world.person["teacher"])).fetchone()
    assert row is not None
    return int(row[0])


def _refused(conn: psycopg.Connection, query: str, args: tuple) -> str:
    with pytest.raises(psycopg.errors.CheckViolation) as caught:
        conn.execute(query, args)
    error = translate(caught.value)
    assert isinstance(error, ValidationError)
    return error.message


@pytest.mark.parametrize("kind", ["академический отпуск", "отчисление"])
def test_a_teacher_cannot_mark_a_student_on_leave_or_expelled(world: World, login_as,
                                                              kind: str) -> None:
    office, teacher = login_as("office"), login_as("teacher")
    before = _lesson(teacher, world, world.today - dt.timedelta(days=3))
    teacher.execute(MARK, (before, world.load["la"], world.person["sa2"]))     # still studying
    office.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                   "order_no) VALUES (%s, %s, %s, %s, '12-к')",
                   (world.person["sa2"], kind, world.today - dt.timedelta(days=1),
                    world.group["GA"]))
    after = _lesson(teacher, world, world.today + dt.timedelta(days=1), pair=6)
    la, sa2 = world.load["la"], world.person["sa2"]
    message = _refused(teacher, MARK, (after, la, sa2))
    assert "не обучается в группе" in message and "Студент-sa2" in message
    _refused(teacher, ATTEND, (after, la, sa2))
    # the mark written before the movement stays, and can still be cleared
    assert teacher.execute("SELECT count(*) FROM journal.mark WHERE lesson_id = %s",
                           (before,)).fetchone() == (1,)
    assert teacher.execute("UPDATE journal.mark SET value = '5' WHERE lesson_id = %s",
                           (before,)).rowcount == 1
    # a statement held after the movement refuses the student's mark too
    _refused(teacher, "INSERT INTO journal.statement_mark VALUES (%s, %s, '5')",
             (world.statement["la"], sa2))
    status = {"академический отпуск": "академический отпуск", "отчисление": "отчислен"}[kind]
    assert office.execute("SELECT status FROM journal.student WHERE person_id = %s",
                          (sa2,)).fetchone() == (status,)


def test_not_yet_enrolled_and_return_from_leave(world: World, su, login_as) -> None:
    teacher, curator = login_as("teacher"), login_as("curator")
    la, sa2 = world.load["la"], world.person["sa2"]
    newbie = world.person["newbie"]                         # enrolled in ten days' time
    su.execute("INSERT INTO journal.student (person_id, group_id, record_book_no, enrolled_on) "
               "VALUES (%s, %s, 'З-новый', %s)", (newbie, world.group["GA"],
                                                  world.today + dt.timedelta(days=10)))
    early = _lesson(teacher, world, world.today + dt.timedelta(days=1))
    assert "не зачислен" in _refused(teacher, ATTEND, (early, la, newbie))
    # the curator of GA records an academic leave (from–to) and the return
    curator.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, until_on, "
                    "group_id, order_no, reason) VALUES (%s, 'академический отпуск', %s, %s, %s, "
                    "'7-о', 'по болезни')",
                    (sa2, world.today - dt.timedelta(days=10), world.today - dt.timedelta(days=2),
                     world.group["GA"]))
    during = _lesson(teacher, world, world.today - dt.timedelta(days=5))
    assert "академический отпуск" in _refused(teacher, MARK, (during, la, sa2))
    after = _lesson(teacher, world, world.today - dt.timedelta(days=1))
    teacher.execute(MARK, (after, la, sa2))                       # the leave ended
    row = su.execute("SELECT recorded_by, order_no FROM journal.student_movement "
                     "WHERE student_id = %s AND kind = 'академический отпуск'", (sa2,)).fetchone()
    assert row == (world.login["curator"], "7-о")
    assert teacher.execute("SELECT journal.studies_in(%s, %s, %s), journal.studies_in(%s, %s, %s)",
                           (sa2, world.group["GA"], world.today - dt.timedelta(days=5),
                            sa2, world.group["GA"], world.today)).fetchone() == (False, True)


def test_who_records_movements(world: World, login_as) -> None:
    curator, curator2, teacher = login_as("curator"), login_as("curator2"), login_as("teacher")
    args = (world.person["sa2"], world.today, world.group["GA"])
    leave = ("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id) "
             "VALUES (%s, 'академический отпуск', %s, %s)")
    expel = ("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id) "
             "VALUES (%s, 'отчисление', %s, %s)")
    for conn, query in ((teacher, leave), (curator2, leave), (curator, expel)):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(query, args)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        curator.execute("UPDATE journal.student_movement SET on_date = on_date")
    curator.execute(leave, args)
    # a movement out of order is refused with a Russian reason
    message = _refused(login_as("office"), expel,
                       (world.person["sa2"], world.today - dt.timedelta(days=1), world.group["GA"]))
    assert "по порядку дат" in message
    # everyone who reads the student reads the movements
    assert teacher.execute("SELECT kind FROM journal.student_movement WHERE student_id = %s "
                           "ORDER BY on_date, id", (world.person["sa2"],)).fetchall() == [
        ("зачисление",), ("академический отпуск",)]
    assert login_as("parent").execute("SELECT count(*) FROM journal.student_movement "
                                      "WHERE student_id = %s", (world.person["sa2"],)).fetchone() == (0,)


def test_a_transfer_moves_the_student_on_its_date(world: World, su, login_as) -> None:
    office = login_as("office")
    sa2, ga, gb = world.person["sa2"], world.group["GA"], world.group["GB"]
    office.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                   "order_no) VALUES (%s, 'перевод', %s, %s, '15-к')", (sa2, world.today, gb))
    assert su.execute("SELECT group_id FROM journal.student WHERE person_id = %s",
                      (sa2,)).fetchone() == (gb,)
    day = world.today - dt.timedelta(days=1)
    assert su.execute("SELECT journal.study_state(%s, %s, %s), journal.study_state(%s, %s, %s), "
                      "journal.study_state(%s, %s, %s), journal.study_state(%s, %s, %s)",
                      (sa2, ga, day, sa2, gb, day, sa2, ga, world.today, sa2, gb, world.today)
                      ).fetchone() == (None, "не зачислен", "переведён", None)


def test_a_mark_on_an_absent_student_is_refused(world: World, login_as) -> None:
    """The absent-mark rule (migration 0031), whoever writes: the absence stays, the mark
    is refused."""
    teacher = login_as("teacher")
    la, sa1, sa2 = world.load["la"], world.person["sa1"], world.person["sa2"]
    lesson = _lesson(teacher, world, world.today - dt.timedelta(days=2))
    teacher.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
                    "VALUES (%s, %s, %s, 'НН')", (lesson, la, sa1))
    assert "отсутствующему отметку не ставят" in _refused(teacher, MARK, (lesson, la, sa1))
    teacher.execute(MARK, (lesson, la, sa2))
    teacher.execute("UPDATE journal.attendance SET code = 'НУ' WHERE lesson_id = %s "
                    "AND student_id = %s", (lesson, sa1))
    assert "отмечен НУ" in _refused(teacher, MARK.replace("'test'", "'oral'"), (lesson, la, sa1))
    # present first, then the mark: fine
    teacher.execute("UPDATE journal.attendance SET code = 'П' WHERE lesson_id = %s "
                    "AND student_id = %s", (lesson, sa1))
    teacher.execute(MARK, (lesson, la, sa1))
