"""Handing a load to another teacher; who may be recorded as teaching (issue 10, items 3, 8).

Item 3, the attack: after `UPDATE teaching_load SET teacher_id = …` the old teacher's open
session kept writing the lessons recorded as taught by them — a future lesson created in
advance included — as if they were a substitute. Item 8: a teacher recorded any person (a
student of another group) as having taught their lesson, or as a statement's examiner.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from tests.security.conftest import connect_as
from tests.security.world import World


def _future_lesson(conn: psycopg.Connection, world: World) -> int:
    """The teacher records a lesson of their load a week ahead and marks it."""
    day = world.today + dt.timedelta(days=7)
    row = conn.execute("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                       "VALUES (%s, %s, 1, %s) RETURNING id",
                       (world.load["la"], day, world.person["teacher"])).fetchone()
    assert row is not None
    conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                 "VALUES (%s, %s, %s, 'oral', '5')", (row[0], world.load["la"], world.person["sa2"]))
    return int(row[0])


@pytest.mark.parametrize("how", ["function", "update"])
def test_a_handed_over_load_leaves_its_old_teacher_read_only(world: World, sec_db, su,
                                                             login_as, how: str) -> None:
    la, la1 = world.load["la"], world.lesson["la1"]
    old = connect_as(sec_db, world.login["teacher"])          # open before the handover
    future = _future_lesson(old, world)
    admin = login_as("admin")
    if how == "function":
        admin.execute("SELECT journal.reassign_load(%s, %s, 'болезнь преподавателя')",
                      (la, world.person["teacher2"]))
    else:
        admin.execute("UPDATE journal.teaching_load SET teacher_id = %s WHERE id = %s",
                      (world.person["teacher2"], la))

    # the lessons they taught stay readable, with their marks and history ...
    assert old.execute("SELECT id FROM journal.lesson WHERE load_id = %s", (la,)).fetchall() == [
        (la1,)]
    assert old.execute("SELECT count(*) FROM journal.mark WHERE lesson_id = %s",
                       (la1,)).fetchone() == (2,)
    assert old.execute("SELECT count(*) FROM journal.change_log WHERE table_name = 'mark' "
                       "AND (new_value->>'lesson_id')::int = %s", (la1,)).fetchone()[0] > 0
    # ... and nothing of them is writable
    assert old.execute("UPDATE journal.mark SET value = '2' WHERE lesson_id = %s",
                       (la1,)).rowcount == 0
    assert old.execute("UPDATE journal.lesson SET topic = 'Другая' WHERE id = %s",
                       (la1,)).rowcount == 0
    for query, args in (
            ("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
             "VALUES (%s, %s, %s, 'test', '2')", (la1, la, world.person["sa1"])),
            ("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
             "VALUES (%s, %s, %s, 'НН')", (la1, la, world.person["sa2"]))):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            old.execute(query, args)
    # the lesson prepared in advance went to the new teacher, out of the old one's reach
    assert su.execute("SELECT taught_by FROM journal.lesson WHERE id = %s",
                      (future,)).fetchone() == (world.person["teacher2"],)
    assert old.execute("SELECT count(*) FROM journal.mark WHERE lesson_id = %s",
                       (future,)).fetchone() == (0,)
    new = login_as("teacher2")
    assert new.execute("UPDATE journal.mark SET value = '4' WHERE lesson_id = %s",
                       (future,)).rowcount == 1
    # recorded: the handover and the load's history
    handover = admin.execute("SELECT from_teacher, to_teacher, from_date, handed_by "
                             "FROM journal.load_handover WHERE load_id = %s", (la,)).fetchall()
    assert handover == [(world.person["teacher"], world.person["teacher2"],
                         world.today + dt.timedelta(days=1), world.login["admin"])]
    log = admin.execute("SELECT old_value, new_value, reason FROM journal.change_log "
                        "WHERE table_name = 'teaching_load' AND load_id = %s", (la,)).fetchall()
    assert len(log) == 1 and log[0][0] == {"teacher_id": world.person["teacher"]}
    assert log[0][2] == ("болезнь преподавателя" if how == "function" else "")
    old.close()


def test_only_the_admin_reassigns_and_only_to_a_teacher(world: World, login_as) -> None:
    la = world.load["la"]
    for who in ("office", "teacher", "curator"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            login_as(who).execute("SELECT journal.reassign_load(%s, %s, 'x')",
                                  (la, world.person["teacher2"]))
    admin = login_as("admin")
    with pytest.raises(psycopg.errors.CheckViolation, match="преподаватель"):
        admin.execute("SELECT journal.reassign_load(%s, %s, 'x')", (la, world.person["sb1"]))
    with pytest.raises(psycopg.Error, match="причину") as refused:
        admin.execute("SELECT journal.reassign_load(%s, %s, '')", (la, world.person["teacher2"]))
    assert refused.value.sqlstate == "EJ001"


def test_a_substitute_keeps_the_lessons_they_taught(world: World, login_as) -> None:
    """R17 is unchanged: lb_sub (teacher taught a lesson of teacher2's load) stays writable."""
    login_as("admin").execute("SELECT journal.reassign_load(%s, %s, 'замена')",
                              (world.load["la"], world.person["teacher2"]))
    teacher = login_as("teacher")
    assert teacher.execute("UPDATE journal.mark SET value = '3' WHERE lesson_id = %s",
                           (world.lesson["lb_sub"],)).rowcount == 2


def test_only_teachers_teach_and_examine(world: World, login_as) -> None:
    teacher = login_as("teacher")
    la1 = world.lesson["la1"]
    for stranger in ("sb1", "parent", "curator2", "office"):
        with pytest.raises(psycopg.errors.CheckViolation, match="преподаватель"):
            teacher.execute("UPDATE journal.lesson SET taught_by = %s WHERE id = %s",
                            (world.person[stranger], la1))
        with pytest.raises(psycopg.errors.CheckViolation, match="преподаватель"):
            teacher.execute("INSERT INTO journal.statement (load_id, form, examiner_id) "
                            "VALUES (%s, 'зачёт', %s)", (world.load["la"], world.person[stranger]))
        with pytest.raises(psycopg.errors.CheckViolation, match="преподаватель"):
            teacher.execute("UPDATE journal.statement SET examiner_id = %s WHERE id = %s",
                            (world.person[stranger], world.statement["la"]))
        with pytest.raises(psycopg.errors.CheckViolation, match="преподаватель"):
            login_as("admin").execute("INSERT INTO journal.lesson (load_id, lesson_date, "
                                      "pair_no, taught_by) VALUES (%s, current_date, 8, %s)",
                                      (world.load["la"], world.person[stranger]))
    # a substitute who is a teacher is fine
    teacher.execute("UPDATE journal.lesson SET taught_by = %s WHERE id = %s",
                    (world.person["x_teacher"], la1))
    teacher.execute("UPDATE journal.statement SET examiner_id = %s WHERE id = %s",
                    (world.person["teacher2"], world.statement["la"]))
