"""Closed statements, closed periods and archived years refuse writes, for every role."""

from __future__ import annotations

import psycopg
import pytest

from db.errors import RECORD_LOCKED, translate
from kernel.errors import AccessDenied, LockedError
from tests.security.world import World


def _refused(conn: psycopg.Connection, statement: str, args: tuple[object, ...] = ()) -> None:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement, args)
    assert caught.value.sqlstate == RECORD_LOCKED, caught.value
    assert isinstance(translate(caught.value), LockedError)


def test_a_closed_statement_refuses_every_write(world: World, login_as, su) -> None:
    statement = world.statement["la"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        login_as("teacher2").execute("SELECT journal.close_statement(%s)", (statement,))
    login_as("teacher").execute("SELECT journal.close_statement(%s)", (statement,))
    for conn in (login_as("teacher"), login_as("office"), login_as("admin"), su):
        _refused(conn, "UPDATE journal.statement_mark SET value = '2' WHERE statement_id = %s",
                 (statement,))
        _refused(conn, "INSERT INTO journal.statement_mark VALUES (%s, %s, '3')",
                 (statement, world.person["sa2"]))
        _refused(conn, "DELETE FROM journal.statement_mark WHERE statement_id = %s", (statement,))
        _refused(conn, "UPDATE journal.statement SET held_on = current_date WHERE id = %s",
                 (statement,))
        _refused(conn, "DELETE FROM journal.statement WHERE id = %s", (statement,))
    _refused(login_as("office"), "SELECT journal.close_statement(%s)", (statement,))


def test_only_the_admin_reopens_a_statement_with_a_reason(world: World, login_as, su) -> None:
    statement = world.statement["la"]
    login_as("office").execute("SELECT journal.close_statement(%s)", (statement,))
    for who in ("office", "teacher", "director"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
            login_as(who).execute("SELECT journal.reopen_statement(%s, 'надо')", (statement,))
        assert isinstance(translate(caught.value), AccessDenied)
    admin = login_as("admin")
    with pytest.raises(psycopg.Error, match="причину"):
        admin.execute("SELECT journal.reopen_statement(%s, ' ')", (statement,))
    admin.execute("SELECT journal.reopen_statement(%s, 'ошибка в ведомости')", (statement,))
    login_as("teacher").execute("UPDATE journal.statement_mark SET value = '5' "
                                "WHERE statement_id = %s", (statement,))
    rows = su.execute("""SELECT old_value->>'closed_at' IS NOT NULL, new_value->>'closed_at',
                                reason, changed_by FROM journal.change_log
                          WHERE table_name = 'statement' AND action = 'UPDATE'
                          ORDER BY id""").fetchall()
    assert rows[-1] == (True, None, "ошибка в ведомости", world.login["admin"])
    assert admin.execute("SELECT current_setting('journal.reason', true)").fetchone() in (
        ("",), (None,))


def test_a_closed_period_locks_everything_under_it(world: World, login_as, su) -> None:
    login_as("office").execute("SELECT journal.close_period(%s)", (world.period_id,))
    la, lesson = world.load["la"], world.lesson["la1"]
    for conn in (login_as("admin"), su):
        _refused(conn, "UPDATE journal.mark SET value = '2' WHERE load_id = %s", (la,))
        _refused(conn, "UPDATE journal.attendance SET code = 'НН' WHERE load_id = %s", (la,))
        _refused(conn, "UPDATE journal.lesson SET topic = 'x' WHERE id = %s", (lesson,))
        _refused(conn, "INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                       "VALUES (%s, current_date, 8, %s)", (la, world.person["teacher"]))
        _refused(conn, "DELETE FROM journal.lesson WHERE id = %s", (lesson,))
        _refused(conn, "UPDATE journal.final_mark SET value = '3' WHERE load_id = %s", (la,))
        _refused(conn, "UPDATE journal.ktp_topic SET title = 'x' WHERE load_id = %s", (la,))
        _refused(conn, "DELETE FROM journal.timetable_slot WHERE load_id = %s", (la,))
        _refused(conn, "UPDATE journal.statement_mark SET value = '2' WHERE statement_id = %s",
                 (world.statement["la"],))
        _refused(conn, "UPDATE journal.teaching_load SET teacher_id = %s WHERE id = %s",
                 (world.person["teacher2"], la))
        _refused(conn, "UPDATE journal.period SET title = 'x' WHERE id = %s", (world.period_id,))
    _refused(login_as("teacher"), "UPDATE journal.mark SET value = '2' WHERE load_id = %s", (la,))
    _refused(login_as("teacher"), "SELECT journal.close_statement(%s)", (world.statement["la"],))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        login_as("office").execute("SELECT journal.reopen_period(%s, 'x')", (world.period_id,))
    login_as("admin").execute("SELECT journal.reopen_period(%s, 'исправление итоговых')",
                              (world.period_id,))
    login_as("teacher").execute("UPDATE journal.mark SET value = '4' WHERE load_id = %s", (la,))
    row = su.execute("SELECT reason FROM journal.change_log WHERE table_name = 'period' "
                     "ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("исправление итоговых",)


def test_an_archived_year_is_read_only(world: World, login_as, su) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        login_as("office").execute("SELECT journal.archive_year(%s)", (world.year_id,))
    admin = login_as("admin")
    admin.execute("SELECT journal.archive_year(%s)", (world.year_id,))
    for conn in (admin, su):
        _refused(conn, "UPDATE journal.mark SET value = '2' WHERE load_id = %s", (world.load["la"],))
        _refused(conn, "INSERT INTO journal.period (year_id, number, title, starts_on, ends_on) "
                       "SELECT id, 2, '2 семестр', starts_on, ends_on FROM journal.academic_year "
                       "WHERE id = %s", (world.year_id,))
        _refused(conn, "DELETE FROM journal.holiday WHERE year_id = %s", (world.year_id,))
        _refused(conn, "UPDATE journal.bell SET hours = 1 WHERE year_id = %s", (world.year_id,))
        _refused(conn, "UPDATE journal.academic_year SET ends_on = ends_on + 1 WHERE id = %s",
                 (world.year_id,))
        with pytest.raises(psycopg.Error):        # its periods hold it, and so does the lock
            conn.execute("DELETE FROM journal.academic_year WHERE id = %s", (world.year_id,))
    empty = su.execute("INSERT INTO journal.academic_year (title, starts_on, ends_on) "
                       "VALUES ('1999/2000', '1999-09-01', '2000-06-30') RETURNING id").fetchone()
    admin.execute("SELECT journal.archive_year(%s)", empty)
    _refused(admin, "DELETE FROM journal.academic_year WHERE id = %s", empty)
    _refused(admin, "SELECT journal.close_period(%s)", (world.period_id,))
    # Reading stays: the teacher still reads the archived journal of their own load.
    assert login_as("teacher").execute("SELECT count(*) FROM journal.mark WHERE load_id = %s",
                                       (world.load["la"],)).fetchone() != (0,)
    admin.execute("SELECT journal.reopen_year(%s, 'ошибка при закрытии года')", (world.year_id,))
    admin.execute("UPDATE journal.bell SET hours = 2 WHERE year_id = %s", (world.year_id,))


def test_archived_years_students_leave_the_teachers_view(world: World, login_as) -> None:
    """'Current year' for a teacher's students: a year that is not archived."""
    teacher = login_as("teacher")
    assert teacher.execute("SELECT count(*) FROM journal.student").fetchone() == (5,)
    login_as("admin").execute("SELECT journal.archive_year(%s)", (world.year_id,))
    assert teacher.execute("SELECT count(*) FROM journal.student").fetchone() == (0,)
