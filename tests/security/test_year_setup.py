"""Rights of the yearly setup (migration 0060), from raw connections of each role.

A substitution planned by the office lets the substitute create and fill exactly that lesson
under their own login, see the group's students, and the history names them; teachers and
curators cannot change the timetable, its one-off changes, substitutions, transfers or the
settings; the office writes the timetable but not the calendar or the settings.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from kernel.settings import load_settings
from tests.conftest import FreshDb
from tests.security.conftest import PASSWORD
from tests.security.world import World

Login = Callable[[str], psycopg.Connection]
INSERT_LESSON = """INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, topic)
                   VALUES (%s, %s, %s, %s, 'Замена') RETURNING id"""


def _plan(conn: psycopg.Connection, w: World, load: str, pair: int, who: str = "teacher") -> None:
    from core.calendar.timetable import plan_substitution

    plan_substitution(conn, w.load[load], w.today, pair, w.person[who], "болезнь")


def test_the_substitute_creates_and_fills_the_planned_lesson(world: World, login_as: Login,
                                                             su: psycopg.Connection) -> None:
    teacher, office = login_as("teacher"), login_as("office")
    args = (world.load["lc"], world.today, 6, world.person["teacher"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        teacher.execute(INSERT_LESSON, args)      # nothing planned: not their lesson
    gc = world.students_of("GC")
    assert not gc & {r[0] for r in teacher.execute("SELECT person_id FROM journal.student")}
    _plan(office, world, "lc", 6)
    # now the substitute sees the group and creates, fills and marks the lesson
    assert gc <= {r[0] for r in teacher.execute("SELECT person_id FROM journal.student")}
    row = teacher.execute(INSERT_LESSON, args).fetchone()
    assert row is not None
    lesson = row[0]
    teacher.execute("UPDATE journal.lesson SET topic = 'Пределы', homework = '№ 5' WHERE id = %s",
                    (lesson,))
    sc1 = world.person["sc1"]
    teacher.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                    "VALUES (%s, %s, %s, 'oral', '4')", (lesson, world.load["lc"], sc1))
    teacher.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
                    "VALUES (%s, %s, %s, 'П')", (lesson, world.load["lc"], sc1))
    assert su.execute("SELECT taught_by, topic FROM journal.lesson WHERE id = %s", (lesson,)
                      ).fetchone() == (world.person["teacher"], "Пределы")
    authors = su.execute("""SELECT DISTINCT table_name, changed_by FROM journal.change_log
                             WHERE (table_name = 'lesson' AND (row_key ->> 'id')::int = %(l)s)
                                OR (table_name IN ('mark', 'attendance')
                                    AND (new_value ->> 'lesson_id')::int = %(l)s)""",
                         {"l": lesson}).fetchall()
    assert set(authors) == {(t, world.login["teacher"]) for t in ("lesson", "mark", "attendance")}
    # not another пара, and not in someone else's name
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        teacher.execute(INSERT_LESSON, (world.load["lc"], world.today, 7, world.person["teacher"]))
    _plan(office, world, "lc", 7)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        teacher.execute(INSERT_LESSON, (world.load["lc"], world.today, 7, world.person["teacher2"]))
    # a student's or a curator's connection gains nothing from it
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        login_as("curator").execute(INSERT_LESSON, (world.load["lc"], world.today, 7,
                                                    world.person["curator"]))


def test_the_program_path_picker_and_ensure_lesson(world: World, login_as: Login,
                                                   sec_db: FreshDb, su: psycopg.Connection) -> None:
    from core.journal.lesson_record import ensure_lesson
    from core.journal.service import list_loads, todays_lessons
    from core.session import log_in

    _plan(login_as("office"), world, "lc", 8)
    session = log_in(load_settings(dbname=sec_db.dbname), world.login["teacher"], PASSWORD)
    try:
        assert world.load["lc"] in {load.load_id for load in list_loads(session)}
        today = [t for t in todays_lessons(session) if t.load_id == world.load["lc"]]
        assert [(t.pair_no, t.lesson_id) for t in today] == [(8, None)]
        lesson = ensure_lesson(session, world.load["lc"], world.today, 8)
        assert ensure_lesson(session, world.load["lc"], world.today, 8) == lesson
    finally:
        session.close()
    assert su.execute("SELECT taught_by FROM journal.lesson WHERE id = %s", (lesson,)
                      ).fetchone() == (world.person["teacher"],)


def test_a_planned_substitution_hands_over_the_lesson_not_held_yet(world: World, login_as: Login,
                                                                   su: psycopg.Connection) -> None:
    row = su.execute(INSERT_LESSON, (world.load["lc"], world.today, 7, world.person["teacher2"])
                     ).fetchone()
    assert row is not None
    planned = row[0]
    office = login_as("office")
    _plan(office, world, "lc", 7)
    _plan(office, world, "lc", 5)   # lc1: held already (marks, attendance): stays teacher2's
    taught = dict(su.execute("SELECT id, taught_by FROM journal.lesson WHERE id IN (%s, %s)",
                             (planned, world.lesson["lc1"])).fetchall())
    assert taught == {planned: world.person["teacher"], world.lesson["lc1"]: world.person["teacher2"]}
    teacher = login_as("teacher")
    assert teacher.execute("UPDATE journal.lesson SET topic = 'Замена' WHERE id = %s RETURNING id",
                           (planned,)).fetchone() == (planned,)
    who = su.execute("SELECT changed_by, reason FROM journal.change_log WHERE table_name = 'lesson' "
                     "AND action = 'UPDATE' AND row_key = jsonb_build_object('id', %s::int) "
                     "ORDER BY id LIMIT 1", (planned,)).fetchone()
    assert who == (world.login["office"], "болезнь")


WRITES = (
    "INSERT INTO journal.substitution (load_id, on_date, pair_no, substitute_id, absent_id) "
    "VALUES ({lc}, current_date, 3, {teacher}, {teacher2})",
    "INSERT INTO journal.timetable_change (load_id, on_date, pair_no, kind) "
    "VALUES ({lc}, current_date, 3, 'cancel')",
    "INSERT INTO journal.timetable_slot (load_id, weekday, pair_no) VALUES ({lc}, 3, 3)",
    "DELETE FROM journal.timetable_slot WHERE load_id = {lc} RETURNING id",
    "INSERT INTO journal.workday_transfer (year_id, work_date, as_weekday) "
    "VALUES ({year}, current_date, 1)",
    "UPDATE journal.setting SET value = '7' WHERE key = 'reason_after_days' RETURNING key",
    "INSERT INTO journal.holiday (year_id, starts_on, ends_on, title) "
    "VALUES ({year}, current_date, current_date, 'x') RETURNING id",
)


def _refused(conn: psycopg.Connection, sql: str) -> bool:
    try:
        with conn.transaction():
            cur = conn.execute(sql)
            done = cur.fetchone() if cur.description else (1,)
            if done is None:
                return True  # row-level security filtered every row
            raise psycopg.errors.RaiseException("done")  # roll back what went through
    except psycopg.errors.RaiseException:
        return False
    except psycopg.Error:
        return True


@pytest.mark.parametrize(("who", "allowed"), [
    ("teacher", set()), ("curator", set()), ("student", set()), ("director", set()),
    ("office", {0, 1, 2, 3}), ("admin", {0, 1, 2, 3, 4, 5, 6})])
def test_who_writes_the_timetable_calendar_and_settings(world: World, login_as: Login, who: str,
                                                        allowed: set[int]) -> None:
    conn = login_as(who)
    ids = {"lc": world.load["lc"], "teacher": world.person["teacher"],
           "teacher2": world.person["teacher2"], "year": world.year_id}
    done = {n for n, sql in enumerate(WRITES) if not _refused(conn, sql.format(**ids))}
    assert done == allowed


def test_settings_are_checked_by_the_database(su: psycopg.Connection, world: World,
                                              login_as: Login) -> None:
    admin = login_as("admin")
    for key, value in (("rounding_rule", '"up"'), ("reason_after_days", '-1'),
                       ("reason_after_days", '"3"'), ("idle_lock_minutes", '5000')):
        with pytest.raises(psycopg.errors.CheckViolation):
            admin.execute("UPDATE journal.setting SET value = %s WHERE key = %s", (value, key))
    admin.execute("UPDATE journal.setting SET value = '\"bankers\"' WHERE key = 'rounding_rule'")
    row = su.execute("SELECT changed_by, old_value->>'value', new_value->>'value' FROM journal.change_log "
                     "WHERE table_name = 'setting'").fetchone()
    assert row == (world.login["admin"], '"half_up"', '"bankers"') or row == (
        world.login["admin"], "half_up", "bankers")
