"""The persons' login roles: time limits, their own settings, their passwords (issue 10,
items 5 and 10), and how the program copes with a session the server ended.

Item 5, the attack: with no limits, a teacher's `BEGIN; LOCK TABLE journal.mark … IN ACCESS
EXCLUSIVE MODE;` left idle blocked every reader and writer of the college. Item 10: a person
stored an MD5 hash or a 1-iteration SCRAM verifier as their password with `ALTER ROLE`, and
set `row_security = off` (or anything else) as their own defaults.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

import psycopg
import pytest
from psycopg import sql

from core.journal.sync import PageListener
from core.session import log_in
from db import accounts
from kernel.passwords import derive_password
from kernel.settings import load_settings
from tests.security.conftest import PASSWORD, SETTINGS, connect_as, person_conninfo
from tests.security.world import World

LIMITS = {"idle_in_transaction_session_timeout": "2min", "lock_timeout": "5s",
          "statement_timeout": "5min", "idle_session_timeout": "30min"}


def _limits(conn: psycopg.Connection) -> dict[str, str]:
    """The limits of this server: transaction_timeout exists on PostgreSQL 17+ (0022)."""
    version = int(conn.execute("SHOW server_version_num").fetchone()[0])  # type: ignore[index]
    return {**LIMITS, **({"transaction_timeout": "10min"} if version >= 170000 else {})}


def _shown(conn: psycopg.Connection) -> dict[str, str]:
    return {name: conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()[0]  # type: ignore[index]
            for name in _limits(conn)}


def _role_settings(su: psycopg.Connection, login: str) -> list[str]:
    rows = su.execute("SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_roles r "
                      "ON r.oid = s.setrole WHERE r.rolname = %s ORDER BY 1", (login,)).fetchall()
    return [r[0] for r in rows]


def _expected(conn: psycopg.Connection) -> list[str]:
    return sorted(f"{k}={v}" for k, v in _limits(conn).items())


@pytest.mark.parametrize("who", ["teacher", "student", "admin"])
def test_person_sessions_have_time_limits(world: World, su, login_as, who: str) -> None:
    assert _shown(login_as(who)) == _limits(su)
    assert _role_settings(su, world.login[who]) == _expected(su)
    assert su.execute("SELECT rolconnlimit FROM pg_roles WHERE rolname = %s",
                      (world.login[who],)).fetchone() == (20,)


def test_own_role_settings_are_undone_at_the_next_login(world: World, sec_db, su) -> None:
    login = world.login["teacher"]
    with connect_as(sec_db, login) as conn:
        for statement in (
                "ALTER ROLE {me} SET idle_in_transaction_session_timeout = 0",
                "ALTER ROLE {me} SET statement_timeout = 0",
                "ALTER ROLE {me} SET row_security = off",
                "ALTER ROLE {me} SET search_path = pg_temp, journal",
                "ALTER ROLE {me} IN DATABASE {db} SET lock_timeout = 0",
                "ALTER ROLE {me} IN DATABASE {db} SET idle_session_timeout = 0"):
            conn.execute(sql.SQL(statement).format(me=sql.Identifier(login),
                                                   db=sql.Identifier(sec_db.dbname)))
    with connect_as(sec_db, login) as conn:     # the limits at once, the rest from now on
        assert _shown(conn) == _limits(su)
    assert _role_settings(su, login) == _expected(su)
    with connect_as(sec_db, login) as conn:
        assert conn.execute("SHOW row_security").fetchone() == ("on",)
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)


def test_a_session_that_lifted_its_limits_is_ended(world: World, sec_db, su, login_as) -> None:
    stuck = connect_as(sec_db, world.login["teacher"], autocommit=False)
    stuck.execute("SET idle_in_transaction_session_timeout = 0")
    stuck.execute("SET statement_timeout = 0")
    stuck.execute("LOCK TABLE journal.mark, journal.attendance IN ACCESS EXCLUSIVE MODE")
    other = login_as("teacher2")
    other.execute("SET statement_timeout = '30s'")   # where there is no lock_timeout: fail, not hang
    with pytest.raises(psycopg.errors.LockNotAvailable):          # lock_timeout: 5 s, not forever
        other.execute("SELECT count(*) FROM journal.mark")
    # within its limits it is left alone; past them (here: at once) it is ended
    assert other.execute("SELECT journal.end_stuck_sessions()").fetchone() == (0,)
    assert su.execute("SELECT journal._end_stuck_sessions('0 s', '1 h', '1 h')").fetchone() == (1,)
    assert other.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)
    with pytest.raises(psycopg.OperationalError):
        stuck.execute("SELECT 1")
    stuck.close()


def test_a_transaction_of_short_statements_is_ended_too(world: World, sec_db, su) -> None:
    """Chained statements each shorter than the limits still make one long transaction."""
    stuck = connect_as(sec_db, world.login["teacher"], autocommit=False)
    for name in _limits(su):
        if name != "lock_timeout":
            stuck.execute(sql.SQL("SET {} = 0").format(sql.Identifier(name)))
    stuck.execute("LOCK TABLE journal.mark IN ACCESS EXCLUSIVE MODE")
    stuck.execute("SELECT pg_sleep(0.1)")
    stuck.execute("SELECT pg_sleep(0.1)")
    assert su.execute("SELECT journal._end_stuck_sessions('1 h', '1 h', '1 h', '1 h')"
                      ).fetchone() == (0,)
    assert su.execute("SELECT journal._end_stuck_sessions('1 h', '1 h', '1 h', '0 s')"
                      ).fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError):
        stuck.execute("SELECT 1")
    stuck.close()


def test_a_listener_that_stops_reading_is_ended(world: World, sec_db, su, login_as) -> None:
    """A client that LISTENs and never reads pins the NOTIFY queue (its backend waits to
    send); filled up, the queue would fail every journal write."""
    stalled = connect_as(sec_db, world.login["student"])
    stalled.execute("LISTEN journal_changes")
    pid = stalled.info.backend_pid
    flood = login_as("student")
    deadline = time.monotonic() + 60
    while su.execute("SELECT wait_event FROM pg_stat_activity WHERE pid = %s",
                     (pid,)).fetchone() != ("ClientWrite",):
        assert time.monotonic() < deadline, "the listener's backend never blocked"
        flood.execute("SELECT pg_notify('journal_changes', g || repeat('x', 7900)) "
                      "FROM generate_series(1, 100) g")
    assert su.execute("SELECT journal._end_stuck_sessions('1 h', '1 h', '1 h', '1 h', '0 s')"
                      ).fetchone() == (1,)
    stalled.close()


def _derived(login: str) -> str:
    return derive_password(login, PASSWORD, installation_salt=SETTINGS.auth_salt)


@pytest.mark.parametrize("how", ["scram-1", "md5"])
def test_a_password_set_by_alter_role_does_not_log_in(world: World, sec_db, su, login_as,
                                                      how: str) -> None:
    login = world.login["teacher"]
    derived = _derived(login)
    with connect_as(sec_db, login) as conn:
        if how == "scram-1":
            conn.execute("SET scram_iterations = 1")
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(login), sql.Literal(derived)))
        else:
            md5 = "md5" + hashlib.md5((derived + login).encode()).hexdigest()
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(login), sql.Literal(md5)))
    stored = su.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (login,)).fetchone()
    assert stored is not None and stored[0].startswith("SCRAM-SHA-256$1:" if how == "scram-1"
                                                       else "md5")
    refusal = "в обход программы" if how == "scram-1" else "password authentication failed"
    with pytest.raises(psycopg.OperationalError, match=refusal):
        connect_as(sec_db, login)
    # the admin's reset gives the account back
    accounts.reset_password(login_as("admin"), world.person["teacher"], "новый-пароль-77",
                            settings=SETTINGS)
    with connect_as(sec_db, login, "новый-пароль-77") as conn:
        accounts.change_own_password(conn, login, PASSWORD, SETTINGS)
    with connect_as(sec_db, login) as conn:
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)


def test_change_my_password_takes_only_strong_verifiers(world: World, login_as) -> None:
    weak = "SCRAM-SHA-256$1:QUFBQUFBQUFBQUFBQUFBQQ==$" + "A" * 43 + "=:" + "A" * 43 + "="
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="SCRAM-SHA-256"):
        login_as("teacher").execute("SELECT journal.change_my_password(%s)", (weak,))


# -- the program copes -----------------------------------------------------------------------

def test_the_session_reconnects_quietly_after_an_idle_end(world: World, sec_db, monkeypatch) -> None:
    monkeypatch.setenv("PGOPTIONS", "-c idle_session_timeout=300")
    session = log_in(load_settings(dbname=sec_db.dbname), world.login["teacher"], PASSWORD)
    first = session.conn.info.backend_pid
    time.sleep(0.8)                                   # the server ends the idle session
    with session.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)
        assert cur.connection.info.backend_pid != first
    session.close()


def test_the_listener_listens_again_quietly(world: World, sec_db, monkeypatch, caplog) -> None:
    monkeypatch.setenv("PGOPTIONS", "-c idle_session_timeout=300")
    caught_up = threading.Event()

    def connect() -> psycopg.Connection:
        return psycopg.connect(person_conninfo(sec_db, world.login["teacher"]), autocommit=True)

    listener = PageListener(connect, world.load["la"], caught_up.set)
    with caplog.at_level(logging.INFO, logger="ejournal.sync"):
        listener.start()
        try:
            assert caught_up.wait(10), "the listener did not come back"
        finally:
            listener.stop()
    assert "listener failed" not in caplog.text
    assert "listens again" in caplog.text
