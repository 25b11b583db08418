"""The journal page's security-definer reader, journal.page_rows (migration 0077), from raw
connections: it returns a page only to those who read the whole page under the policies,
and then exactly what the policies' seven statements return; everyone else gets an error
(no EXECUTE) or no rows, and the program reads their (partial) page through the policies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from psycopg import sql

from core.journal.queries import read_page
from tests.conftest import FreshDb
from tests.security.conftest import PASSWORD, connect_as, unique_login
from tests.security.world import World

Login = Callable[[str], psycopg.Connection]
ROWS = "SELECT * FROM journal.page_rows(%s)"
WHOLE_READERS = ("admin", "director", "deputy", "office", "methodologist", "support")


def _statements(conn: psycopg.Connection, load: int) -> dict[str, list[tuple[Any, ...]]]:
    """The page as the seven statements read it under the connection's policies."""
    return read_page(conn, load, whole=False)


def _rows(conn: psycopg.Connection, load: int) -> list[tuple[Any, ...]]:
    return conn.execute(ROWS, (load,)).fetchall()


def _moves(world: World, login_as: Login) -> None:
    """sa2 on academic leave since yesterday, sa3 (a mark at la1) transferred to GB today:
    the page keeps both rows and greys the days they do not study."""
    office = login_as("office")
    office.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                   "VALUES (%s, %s, %s, 'test', '4')",
                   (world.lesson["la1"], world.load["la"], world.person["sa3"]))
    office.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                   "order_no) VALUES (%s, 'академический отпуск', %s, %s, '12-к')",
                   (world.person["sa2"], world.today - dt.timedelta(days=1), world.group["GA"]))
    office.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                   "order_no) VALUES (%s, 'перевод', %s, %s, '15-к')",
                   (world.person["sa3"], world.today, world.group["GB"]))


def test_whole_readers_get_exactly_what_the_policies_show(world: World, login_as: Login,
                                                          su: psycopg.Connection) -> None:
    _moves(world, login_as)
    la = world.load["la"]
    full = _statements(su, la)
    assert {s for s, _ in full["students"]} == world.students_of("GA")
    assert {m[0] for m in full["movements"]} >= {world.person["sa2"], world.person["sa3"]}
    assert full["marks"] and full["attendance"] and full["lessons"]
    for who in ("teacher", *WHOLE_READERS):
        conn = login_as(who)
        assert _rows(conn, la), who
        assert read_page(conn, la) == _statements(conn, la) == full, who
    teacher2 = login_as("teacher2")
    for load in ("la2", "lb", "lc"):
        assert read_page(teacher2, world.load[load]) == _statements(su, world.load[load]), load


def test_a_teacher_gets_no_rows_of_another_teachers_load(world: World, login_as: Login) -> None:
    teacher = login_as("teacher")
    # lb: another teacher's load of another group, where they substituted one lesson (R17);
    # la2: another teacher's load of their own group; lc: nothing of theirs at all.
    for load in ("lb", "la2", "lc"):
        assert _rows(teacher, world.load[load]) == [], load
    # the substitute still reads their part of lb, through the policies, as before
    page = read_page(teacher, world.load["lb"])
    assert page == _statements(teacher, world.load["lb"])
    assert [lesson[0] for lesson in page["lessons"]] == [world.lesson["lb_sub"]]
    other = read_page(teacher, world.load["lc"])     # the load is named to staff, no more
    assert other == _statements(teacher, world.load["lc"])
    assert other["students"] == other["lessons"] == other["marks"] == []
    assert _rows(login_as("teacher2"), world.load["la"]) == []


@pytest.mark.parametrize("who", ["curator", "curator2", "parent", "student", "pb1", "sa3"])
def test_curators_parents_and_students_may_not_call_it(world: World, login_as: Login,
                                                       who: str) -> None:
    conn = login_as(who)
    for load in ("la", "lb"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _rows(conn, world.load[load])
        # the program's read falls back to the policies' statements on a refusal
        assert read_page(conn, world.load[load]) == _statements(conn, world.load[load])


def test_the_mail_role_and_a_bare_login_may_not_read_a_page(world: World, sec_db: FreshDb,
                                                            su: psycopg.Connection) -> None:
    su.execute("ALTER ROLE ejournal_mail PASSWORD 'пароль-почты'")
    status = sec_db.server.status()
    with (psycopg.connect(host=str(status.socket_dir), port=status.port, dbname=sec_db.dbname,
                          user="ejournal_mail", password="пароль-почты", autocommit=True) as mail,
          pytest.raises(psycopg.errors.InsufficientPrivilege)):
        _rows(mail, world.load["la"])
    # A login role in the teachers' group role but with no account behind it: the grant lets
    # it call the function, the function's own check gives it nothing.
    bare = unique_login("bare")
    su.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
        sql.Identifier(bare), sql.Literal(PASSWORD)))
    su.execute(sql.SQL("GRANT ej_login, ej_teacher TO {}").format(sql.Identifier(bare)))
    with psycopg.connect(host=str(status.socket_dir), port=status.port, dbname=sec_db.dbname,
                         user=bare, password=PASSWORD, autocommit=True) as conn:
        assert _rows(conn, world.load["la"]) == []


def test_an_account_that_must_change_its_password_gets_nothing(world: World, sec_db: FreshDb,
                                                               su: psycopg.Connection) -> None:
    teacher = connect_as(sec_db, world.login["teacher"])
    assert _rows(teacher, world.load["la"])
    su.execute("UPDATE journal.account SET must_change_password = true WHERE person_id = %s",
               (world.person["teacher"],))
    assert _rows(teacher, world.load["la"]) == []
    teacher.close()


def test_a_teacher_whose_load_is_handed_over_no_longer_reads_it(world: World, sec_db: FreshDb,
                                                                login_as: Login) -> None:
    la = world.load["la"]
    old = connect_as(sec_db, world.login["teacher"])       # open before the handover
    assert _rows(old, la)
    login_as("admin").execute("SELECT journal.reassign_load(%s, %s, 'болезнь преподавателя')",
                              (la, world.person["teacher2"]))
    assert _rows(old, la) == []
    # what they taught stays theirs to read, through the policies: their part, not the page
    page = read_page(old, la)
    assert page == _statements(old, la)
    assert [lesson[0] for lesson in page["lessons"]] == [world.lesson["la1"]]
    new = login_as("teacher2")
    assert _rows(new, la)
    old.close()


def test_a_load_of_an_archived_year_is_read_through_the_policies(
        world: World, login_as: Login, su: psycopg.Connection) -> None:
    """The group of a load in an archived year is no longer one the teacher teaches: the
    policies hide its students, and so the reader does not hand out the page."""
    su.execute("UPDATE journal.academic_year SET archived_at = now() WHERE id = %s",
               (world.year_id,))
    teacher = login_as("teacher")
    assert _rows(teacher, world.load["la"]) == []
    page = read_page(teacher, world.load["la"])
    assert page == _statements(teacher, world.load["la"])
    assert page["students"] == [] and page["marks"]
    office = login_as("office")
    assert _rows(office, world.load["la"])
    assert read_page(office, world.load["la"]) == _statements(su, world.load["la"])
