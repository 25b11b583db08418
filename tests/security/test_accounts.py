"""Account lifecycle: who may create, reset, block; what reaches the server; what follows."""

from __future__ import annotations

import psycopg
import pytest

from db import accounts
from kernel.errors import AccessDenied, ValidationError
from tests.security.conftest import (
    PASSWORD,
    SETTINGS,
    connect_as,
    make_person,
    unique_login,
    verifier,
)
from tests.security.world import World

NEW_PASSWORD = "новый-пароль-42"


BAD_VERIFIERS = [
    "секретный-пароль",
    "md5" + "0" * 32,
    "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy",          # keys of the wrong length
    "SCRAM-SHA-256$1000:" + "QUFBQUFBQUFBQUFBQUFBQQ==$" + "A" * 43 + "=:" + "A" * 43 + "=",
    "SCRAM-SHA-256$4096:QUFB$" + "A" * 43 + "=:" + "A" * 43 + "= ",
    "",
]


@pytest.mark.parametrize("bad", BAD_VERIFIERS, ids=range(len(BAD_VERIFIERS)))
def test_only_scram_verifiers_are_accepted(su: psycopg.Connection, bad: str) -> None:
    person = make_person(su, ["teacher"])
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="SCRAM-SHA-256"):
        su.execute("SELECT journal.create_account(%s, %s, %s)", (person, unique_login(), bad))
    login = unique_login()
    accounts.create_account(su, person, login, PASSWORD, settings=SETTINGS)
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="SCRAM-SHA-256"):
        su.execute("SELECT journal.reset_password(%s, %s)", (person, bad))


def test_the_server_stores_the_clients_verifier_as_is(su: psycopg.Connection, sec_db) -> None:
    person = make_person(su, ["teacher"])
    login = unique_login()
    sent = verifier(su, login)
    su.execute("SELECT journal.create_account(%s, %s, %s, false)", (person, login, sent))
    stored = su.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (login,)).fetchone()
    assert stored == (sent,)
    assert PASSWORD not in sent
    with connect_as(sec_db, login) as conn:
        assert conn.execute("SELECT person_id FROM journal.whoami()").fetchone() == (person,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect_as(sec_db, login, "не тот пароль")


@pytest.mark.parametrize("login", ["ej_admin", "pg_monitor", "postgres", "ej_newgroup", "Ivanov",
                                   "ab", "иванов"])
def test_reserved_and_bad_logins_are_refused(su: psycopg.Connection, login: str) -> None:
    person = make_person(su, ["teacher"])
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="Логин"):
        su.execute("SELECT journal.create_account(%s, %s, %s)",
                   (person, login, verifier(su, "x")))


def test_a_login_taken_by_another_role_is_refused(su: psycopg.Connection, world: World) -> None:
    foreign = unique_login("foreign")
    su.execute(f'CREATE ROLE "{foreign}" LOGIN')
    person = make_person(su, ["teacher"])
    for taken in (foreign, world.login["teacher"]):
        with pytest.raises(psycopg.errors.UniqueViolation, match="занят"):
            su.execute("SELECT journal.create_account(%s, %s, %s)",
                       (person, taken, verifier(su, taken)))
    with pytest.raises(psycopg.errors.UniqueViolation, match="уже есть"):
        su.execute("SELECT journal.create_account(%s, %s, %s)",
                   (world.person["teacher"], unique_login(), verifier(su, "x")))
    assert su.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s",
                      (foreign,)).fetchone() == (True,)


def test_a_curator_issues_accounts_only_to_their_groups_students_and_parents(
        world: World, su: psycopg.Connection, login_as) -> None:
    curator = login_as("curator")
    accounts.create_account(curator, world.person["sa2"], unique_login(), PASSWORD,
                            settings=SETTINGS)
    accounts.create_account(curator, world.person["pa2"], unique_login(), PASSWORD,
                            settings=SETTINGS)
    with pytest.raises(AccessDenied):
        accounts.create_account(curator, world.person["sb2"], unique_login(), PASSWORD,
                                settings=SETTINGS)
    # A student of the group who is also staff is the admin's business.
    su.execute("INSERT INTO journal.person_role VALUES (%s, 'teacher')", (world.person["sa3"],))
    with pytest.raises(AccessDenied):
        accounts.reset_password(curator, world.person["sa3"], PASSWORD, settings=SETTINGS)
    with pytest.raises(AccessDenied):
        accounts.block(curator, world.person["student"])
    for who in ("teacher", "office", "parent"):
        with pytest.raises(AccessDenied):
            accounts.create_account(login_as(who), world.person["x_teacher"], unique_login(),
                                    PASSWORD, settings=SETTINGS)


def test_group_roles_follow_person_role(world: World, su: psycopg.Connection) -> None:
    login = world.login["teacher"]

    def groups() -> set[str]:
        rows = su.execute("""SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g
                              ON g.oid = m.roleid WHERE m.member = %s::regrole""",
                          (f'"{login}"',)).fetchall()
        return {r[0] for r in rows}

    assert groups() == {"ej_login", "ej_teacher"}
    su.execute("INSERT INTO journal.person_role VALUES (%s, 'curator')", (world.person["teacher"],))
    assert groups() == {"ej_login", "ej_teacher", "ej_curator"}
    su.execute("DELETE FROM journal.person_role WHERE person_id = %s AND role = 'teacher'",
               (world.person["teacher"],))
    assert groups() == {"ej_login", "ej_curator"}


def test_reset_then_change_own_password(world: World, sec_db, login_as) -> None:
    curator = login_as("curator")
    student = login_as("student")
    accounts.reset_password(curator, world.person["student"], "одноразовый-1", settings=SETTINGS)
    with pytest.raises(psycopg.OperationalError):
        student.execute("SELECT 1")
    with pytest.raises(psycopg.OperationalError):
        connect_as(sec_db, world.login["student"])           # the old password is gone
    with connect_as(sec_db, world.login["student"], "одноразовый-1") as conn:
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() == (0,)
        with pytest.raises(ValidationError):
            accounts.change_own_password(conn, world.login["student"], "123", SETTINGS)
        accounts.change_own_password(conn, world.login["student"], NEW_PASSWORD, SETTINGS)
        assert conn.execute("SELECT must_change_password FROM journal.whoami()").fetchone() == (
            False,)
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)
    with connect_as(sec_db, world.login["student"], NEW_PASSWORD) as conn:
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)


def test_only_the_admin_blocks_and_not_themselves(world: World, login_as) -> None:
    admin = login_as("admin")
    with pytest.raises(ValidationError, match="собственную"):
        accounts.block(admin, world.person["admin"])
    for who in ("office", "director", "curator"):
        with pytest.raises(AccessDenied):
            accounts.block(login_as(who), world.person["teacher2"])
    accounts.block(admin, world.person["teacher2"])
    accounts.unblock(admin, world.person["teacher2"])


def test_deleting_a_person_drops_their_login(world: World, su: psycopg.Connection) -> None:
    login = world.login["sa3"]
    su.execute("DELETE FROM journal.student WHERE person_id = %s", (world.person["sa3"],))
    su.execute("DELETE FROM journal.person WHERE id = %s", (world.person["sa3"],))
    assert su.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchall() == []


def test_a_curator_adds_a_parent_of_their_group(world: World, login_as) -> None:
    curator = login_as("curator")
    parent = curator.execute("SELECT journal.add_parent(%s, 'Новикова', 'Анна', 'Павловна', "
                             "'мать', '+79991112233')", (world.person["sa2"],)).fetchone()
    assert parent is not None
    assert curator.execute("SELECT phone FROM journal.person WHERE id = %s",
                           (parent[0],)).fetchone() == ("+79991112233",)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        curator.execute("SELECT journal.add_parent(%s, 'Чужая', 'Мать')", (world.person["sb2"],))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        login_as("teacher").execute("SELECT journal.add_parent(%s, 'Чужая', 'Мать')",
                                    (world.person["sa2"],))


def test_account_changes_are_recorded_without_secrets(world: World, su, login_as) -> None:
    admin = login_as("admin")
    accounts.reset_password(admin, world.person["teacher2"], PASSWORD, settings=SETTINGS)
    accounts.block(admin, world.person["teacher2"])
    rows = su.execute("""SELECT action, old_value, new_value, changed_by, person_id
                           FROM journal.change_log WHERE table_name = 'account'
                            AND row_key = jsonb_build_object('person_id', %s::bigint)
                          ORDER BY id""", (world.person["teacher2"],)).fetchall()
    assert [r[0] for r in rows] == ["INSERT", "UPDATE", "UPDATE"]
    assert rows[-1][2] == {"blocked": True}
    assert rows[-1][3] == world.login["admin"] and rows[-1][4] == world.person["admin"]
    text = str(su.execute("SELECT array_agg(c::text) FROM journal.change_log c").fetchone())
    assert "SCRAM" not in text and PASSWORD not in text


def test_load_teacher_answers_only_for_the_curators_loads(world: World, login_as) -> None:
    curator = login_as("curator")
    assert curator.execute("SELECT journal.load_teacher(%s)", (world.load["la2"],)).fetchone() == (
        world.person["teacher2"],)
    assert curator.execute("SELECT journal.load_teacher(%s)", (world.load["lb"],)).fetchone() == (
        None,)
    assert login_as("student").execute("SELECT journal.load_teacher(%s)",
                                       (world.load["la"],)).fetchone() == (None,)
