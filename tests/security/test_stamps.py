"""The server stamps when and by whom; a no-op update stamps nothing (issue 10, items 6, 7).

Item 6, the attacks: `UPDATE mark SET value = value` re-stamped a mark older than
reason_after_days, after which a second UPDATE in the same transaction changed it without a
reason (R14); final_mark.fixed_by / fixed_at were client-writable (fixed_at in 2099 switched
the rule off). Item 7: a teacher wrote lesson.filled_at ("filled late", R8) directly.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from db.connect import transaction
from db.errors import needs_reason
from tests.security.world import World

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _backdate(su: psycopg.Connection, table: str, column: str, where: str, args: tuple) -> None:
    """Make rows look old (the stamp triggers would refuse it: the superuser turns them off)."""
    su.execute("SET session_replication_role = replica")
    su.execute(f"UPDATE journal.{table} SET {column} = %s WHERE {where}", (LONG_AGO, *args))
    su.execute("SET session_replication_role = origin")


def test_a_no_op_update_does_not_make_an_old_mark_new(world: World, su, login_as) -> None:
    la1, sa1 = world.lesson["la1"], world.person["sa1"]
    _backdate(su, "mark", "changed_at", "lesson_id = %s AND student_id = %s", (la1, sa1))
    teacher = login_as("teacher")
    where = "WHERE lesson_id = %s AND student_id = %s"
    with pytest.raises(psycopg.Error) as caught, transaction(teacher):
        assert teacher.execute(f"UPDATE journal.mark SET value = value {where}",
                               (la1, sa1)).rowcount == 1
        teacher.execute(f"UPDATE journal.mark SET value = '2' {where}", (la1, sa1))
    assert needs_reason(caught.value)
    stamp = su.execute(f"SELECT changed_at, value FROM journal.mark {where}", (la1, sa1)).fetchone()
    assert stamp == (LONG_AGO, "5")
    teacher.execute(f"UPDATE journal.mark SET value = value, changed_at = now() {where}",
                    (la1, sa1))
    assert su.execute(f"SELECT changed_at FROM journal.mark {where}",
                      (la1, sa1)).fetchone() == (LONG_AGO,)


@pytest.mark.parametrize(("table", "key"), [
    ("attendance", "lesson_id = %(lesson)s AND student_id = %(student)s"),
    ("statement_mark", "statement_id = %(statement)s AND student_id = %(student)s"),
])
def test_no_op_updates_keep_the_stamps(world: World, su, login_as, table: str, key: str) -> None:
    args = {"lesson": world.lesson["la1"], "student": world.person["sa1"],
            "statement": world.statement["la"]}
    su.execute("SET session_replication_role = replica")
    su.execute(f"UPDATE journal.{table} SET changed_at = %(at)s, changed_by = 'x' WHERE {key}",
               {**args, "at": LONG_AGO})
    su.execute("SET session_replication_role = origin")
    teacher = login_as("teacher")
    assert teacher.execute(f"UPDATE journal.{table} SET changed_by = 'кто-то', "
                           f"changed_at = now() WHERE {key}", args).rowcount == 1
    assert su.execute(f"SELECT changed_at, changed_by FROM journal.{table} WHERE {key}",
                      args).fetchone() == (LONG_AGO, "x")


def test_final_marks_are_stamped_by_the_server(world: World, su, login_as) -> None:
    la, sa1 = world.load["la"], world.person["sa1"]
    teacher = login_as("teacher")
    where = "WHERE load_id = %s AND student_id = %s"
    teacher.execute(f"UPDATE journal.final_mark SET fixed_by = %s, fixed_at = '2099-01-01' {where}",
                    (world.login["admin"], la, sa1))
    row = su.execute(f"SELECT fixed_by, fixed_at < '2099-01-01' FROM journal.final_mark {where}",
                     (la, sa1)).fetchone()
    assert row is not None and row[0] != world.login["admin"] and row[1]
    teacher.execute(f"UPDATE journal.final_mark SET value = '4' {where}", (la, sa1))
    assert su.execute(f"SELECT fixed_by FROM journal.final_mark {where}",
                      (la, sa1)).fetchone() == (world.login["teacher"],)
    # an old final mark needs a reason, whatever fixed_at the client sends along
    _backdate(su, "final_mark", "fixed_at", "load_id = %s AND student_id = %s", (la, sa1))
    with pytest.raises(psycopg.Error) as caught:
        teacher.execute(f"UPDATE journal.final_mark SET value = '3', fixed_at = '2099-01-01' "
                        f"{where}", (la, sa1))
    assert needs_reason(caught.value)
    created = teacher.execute("INSERT INTO journal.final_mark (load_id, student_id, value, source, "
                              "fixed_at, fixed_by) VALUES (%s, %s, '4', 'вручную', '2099-01-01', "
                              "'директор') RETURNING fixed_at < '2099-01-01', fixed_by",
                              (la, world.person["sa2"])).fetchone()
    assert created == (True, world.login["teacher"])


def test_filled_at_is_the_servers(world: World, su, login_as) -> None:
    la1 = world.lesson["la1"]
    teacher = login_as("teacher")
    before = su.execute("SELECT filled_at, created_at FROM journal.lesson WHERE id = %s",
                        (la1,)).fetchone()
    teacher.execute("UPDATE journal.lesson SET filled_at = '2000-01-01', created_at = "
                    "'2000-01-01', homework = 'новое' WHERE id = %s", (la1,))
    assert su.execute("SELECT filled_at, created_at FROM journal.lesson WHERE id = %s",
                      (la1,)).fetchone() == before
    lesson = teacher.execute(
        "INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, topic, created_at, "
        "filled_at) VALUES (%s, current_date, 8, %s, 'Тема', '2000-01-01', '2000-01-01') "
        "RETURNING filled_at > now() - interval '1 minute', created_at > now() - interval '1 minute'",
        (world.load["la"], world.person["teacher"])).fetchone()
    assert lesson == (True, True)
    blank = teacher.execute(
        "INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, filled_at) "
        "VALUES (%s, current_date, 7, %s, now()) RETURNING id, filled_at",
        (world.load["la"], world.person["teacher"])).fetchone()
    assert blank is not None and blank[1] is None          # no topic: not filled
    teacher.execute("UPDATE journal.lesson SET topic = 'Тема' WHERE id = %s", (blank[0],))
    assert su.execute("SELECT filled_at IS NOT NULL FROM journal.lesson WHERE id = %s",
                      (blank[0],)).fetchone() == (True,)
