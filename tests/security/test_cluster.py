"""The cluster around the journal's database (issue 10, items 1, 4 and 11).

Item 1: one `SELECT lo_creat(-1)` by a student broke every backup (the backup role may not
read a large object it does not own). Item 4: a locked-out person kept guessing passwords
(and logging in unrecorded) through `postgres` and `template1`. Item 11: students saw who was
online in pg_stat_activity; a teacher's `INSERT INTO journal.statement … RETURNING id` failed.
"""

from __future__ import annotations

import time

import psycopg
import pytest

from core.backup.run import run_backup
from tests.core.backup.conftest import backup_env  # noqa: F401  (fixture)
from tests.security.conftest import connect_as, make_account, make_person, person_conninfo
from tests.security.world import World

LARGE_OBJECT_MAKERS = ("SELECT lo_creat(-1)", "SELECT lo_create(0)",
                       "SELECT lo_from_bytea(0, '\\x00')", "SELECT lo_import('/etc/hostname')")


@pytest.mark.parametrize("who", ["student", "parent", "teacher", "admin"])
def test_persons_cannot_create_large_objects(world: World, su, login_as, who: str) -> None:
    conn = login_as(who)
    for query in LARGE_OBJECT_MAKERS:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(query)
    assert su.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone() == (0,)


def test_a_large_object_does_not_break_the_backup(backup_env) -> None:  # noqa: F811
    with backup_env.db.connect() as su:
        login = make_account(su, make_person(su, ["student"]))
        oid = su.execute("SELECT lo_from_bytea(0, 'чужое')").fetchone()[0]
        su.execute(f'ALTER LARGE OBJECT {int(oid)} OWNER TO "{login}"')
    run = run_backup(backup_env.settings, policy=backup_env.policy)
    assert run.ok and run.written == 2, run


def _to(db, login: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(person_conninfo(db, login), dbname=dbname)


@pytest.mark.parametrize("dbname", ["postgres", "template1"])
def test_persons_may_not_connect_to_other_databases(world: World, sec_db, dbname: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(_to(sec_db, world.login["student"], dbname))


def test_the_embedded_server_admits_persons_to_the_journal_only(world: World, sec_db) -> None:
    """pg_hba.conf refuses a person elsewhere before any password check (no guessing there)."""
    server = sec_db.server
    server.admit_persons([sec_db.dbname])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                psycopg.connect(_to(sec_db, world.login["student"], "postgres"), password="x")
            except psycopg.OperationalError as exc:
                if "no pg_hba.conf entry" in str(exc):
                    break
                assert time.monotonic() < deadline, str(exc)
                time.sleep(0.05)
        connect_as(sec_db, world.login["student"]).close()
        with server.connect_superuser("postgres") as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        server.admit_persons(["all"])


@pytest.mark.parametrize("who", ["student", "teacher", "admin"])
def test_persons_create_no_temporary_objects(world: World, login_as, who: str) -> None:
    conn = login_as(who)
    for query in ("CREATE TEMP TABLE filler AS SELECT g FROM generate_series(1, 10) g",
                  "CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql "
                  "AS $$SELECT timestamptz '2000-01-01'$$"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(query)


@pytest.mark.parametrize("who", ["student", "parent", "teacher"])
def test_persons_do_not_see_who_is_online(world: World, login_as, who: str) -> None:
    login_as("admin")
    conn = login_as(who)
    for query in ("SELECT usename, application_name FROM pg_stat_activity",
                  "SELECT usesysid FROM pg_stat_get_activity(NULL)",
                  "SELECT pg_stat_get_backend_userid(b) FROM pg_stat_get_backend_idset() b"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(query)


def test_a_teacher_creates_a_statement_and_reads_its_id(world: World, login_as) -> None:
    teacher = login_as("teacher")
    row = teacher.execute("INSERT INTO journal.statement (load_id, form) VALUES (%s, 'зачёт') "
                          "RETURNING id", (world.load["la"],)).fetchone()
    assert row is not None
    assert teacher.execute("SELECT load_id FROM journal.statement WHERE id = %s",
                           (row[0],)).fetchone() == (world.load["la"],)
