"""Brute force: auth_delay slows each failure; failures come from the server's JSON log into
journal.login_event; too many lock the account (even against the right password) until the
lock expires or the admin lifts it. Runs its own server configured as the launcher must be:
``log_destination`` with jsonlog, ``shared_preload_libraries = 'auth_delay'``."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from db import accounts, migrate
from db.server.launcher import EmbeddedServer
from kernel.settings import Settings
from tests.conftest import OWNER_FILE, TEMP_PREFIX, FreshDb, discard_cluster, free_port, temp_root
from tests.security.conftest import connect_as, make_account, make_person, person_conninfo

DELAY_MS = 300
GUARD_CONF = {"log_destination": "stderr,jsonlog", "shared_preload_libraries": "auth_delay",
              "auth_delay.milliseconds": str(DELAY_MS), "shared_buffers": "32MB",
              "max_connections": "40"}
LOCKOUT = {"max_failures": 3, "window_minutes": 15, "lock_minutes": 15}


@dataclass
class Guard:
    """The dedicated server's database, a superuser connection and two accounts."""

    db: FreshDb
    su: psycopg.Connection
    admin: tuple[int, str]
    teacher: tuple[int, str]

    def fail(self, login: str, times: int = 1) -> None:
        """Wrong-password attempts."""
        for _ in range(times):
            with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
                connect_as(self.db, login, "неверный пароль")

    def failures(self, login: str, *, wait: float = 5.0, expect: int = 0) -> int:
        """Failed logins of ``login`` recorded, importing the log until ``expect`` show up."""
        deadline = time.monotonic() + wait
        while True:
            self.su.execute("SELECT journal.refresh_login_events()")
            row = self.su.execute("SELECT count(*) FROM journal.login_event WHERE login = %s "
                                  "AND NOT success AND detail = 'неверный пароль'",
                                  (login,)).fetchone()
            assert row is not None
            if row[0] >= expect or time.monotonic() > deadline:
                return int(row[0])
            time.sleep(0.1)


@pytest.fixture(scope="module")
def guard_server() -> Iterator[EmbeddedServer]:
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=temp_root()))
    try:
        folder.chmod(0o755)
        (folder / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        server = EmbeddedServer(Settings(data_dir=str(folder), port=free_port()), durable=False,
                                conf=GUARD_CONF, person_databases=("all",))
        server.start()
        yield server
    finally:
        discard_cluster(folder)


@pytest.fixture
def guard(guard_server: EmbeddedServer) -> Iterator[Guard]:
    dbname = f"guard_{os.getpid()}_{time.monotonic_ns()}"
    people: list[tuple[int, str]] = []
    with guard_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {dbname} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        with guard_server.connect_superuser(dbname, autocommit=True) as su:
            migrate.upgrade(su)
            accounts.grant_database_access(su, dbname)
            su.execute("UPDATE journal.setting SET value = %s WHERE key = 'login_lockout'",
                       (json.dumps(LOCKOUT),))
            for role in ("admin", "teacher"):
                person = make_person(su, [role])
                people.append((person, make_account(su, person)))
            db = FreshDb(dbname, guard_server.superuser_conninfo(dbname), guard_server)
            yield Guard(db, su, people[0], people[1])
    finally:
        with guard_server.connect_superuser(autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
            for login in [p[1] for p in people]:
                with contextlib.suppress(psycopg.Error):
                    conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_each_failed_login_is_delayed(guard: Guard) -> None:
    started = time.monotonic()
    guard.fail(guard.teacher[1])
    assert time.monotonic() - started >= DELAY_MS / 1000 * 0.9


def test_failures_are_imported_at_the_next_login(guard: Guard) -> None:
    login = guard.teacher[1]
    guard.fail(login, 2)
    time.sleep(0.5)                                  # the logging collector writes the lines
    with connect_as(guard.db, login):
        pass
    rows = guard.su.execute("SELECT success, detail FROM journal.login_event WHERE login = %s "
                            "ORDER BY at", (login,)).fetchall()
    assert rows == [(False, "неверный пароль"), (False, "неверный пароль"), (True, "")]


def test_too_many_failures_lock_the_account_until_the_admin_lifts_it(guard: Guard) -> None:
    login = guard.teacher[1]
    guard.fail(login, 3)
    assert guard.failures(login, expect=3) == 3
    with pytest.raises(psycopg.OperationalError, match="Вход временно заблокирован"):
        connect_as(guard.db, login)                  # the right password, refused
    with connect_as(guard.db, guard.admin[1]) as admin:
        until = admin.execute("SELECT journal.account_locked_until(%s)",
                              (guard.teacher[0],)).fetchone()
        assert until is not None and until[0] is not None
        deadline = time.monotonic() + 5
        while not admin.execute("SELECT 1 FROM journal.login_event WHERE login = %s AND "
                                "detail LIKE 'Вход временно заблокирован%%'", (login,)).fetchall():
            assert time.monotonic() < deadline, "the refusal was not recorded"
            time.sleep(0.1)
            admin.execute("SELECT journal.refresh_login_events()")
        admin.execute("SELECT journal.unblock_account(%s)", (guard.teacher[0],))
    with connect_as(guard.db, login) as conn:
        assert conn.execute("SELECT person_id FROM journal.whoami()").fetchone() == (
            guard.teacher[0],)


def test_the_lock_expires(guard: Guard) -> None:
    login = guard.teacher[1]
    guard.fail(login, 3)
    assert guard.failures(login, expect=3) == 3
    with pytest.raises(psycopg.OperationalError, match="заблокирован"):
        connect_as(guard.db, login)
    guard.su.execute("UPDATE journal.login_event SET at = at - interval '16 minutes' "
                     "WHERE login = %s", (login,))
    with connect_as(guard.db, login):
        pass


def test_a_successful_login_starts_the_count_again(guard: Guard) -> None:
    login = guard.teacher[1]
    guard.fail(login, 2)
    assert guard.failures(login, expect=2) == 2
    with connect_as(guard.db, login):
        pass
    guard.fail(login, 2)
    assert guard.failures(login, expect=4) == 4
    with connect_as(guard.db, login):
        pass


def test_guessed_logins_of_this_database_are_recorded(guard: Guard) -> None:
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(psycopg.conninfo.make_conninfo(
            guard.db.conninfo, user="nosuch_person", password="x"))
    assert guard.failures("nosuch_person", expect=1) == 1


def test_nobody_can_hold_up_logins_with_locks(guard: Guard) -> None:
    """A logged-in person holding advisory locks (or waiting in a transaction) delays no one."""
    with connect_as(guard.db, guard.admin[1], autocommit=False) as holder:
        holder.execute("SELECT pg_advisory_lock(hashtext('ejournal.login_guard')), "
                       "pg_advisory_xact_lock(hashtext('ejournal.login_guard'))")
        holder.execute("SELECT count(*) FROM journal.login_event")
        guard.fail(guard.teacher[1])
        started = time.monotonic()
        with psycopg.connect(psycopg.conninfo.make_conninfo(
                person_conninfo(guard.db, guard.teacher[1]), connect_timeout="5")):
            pass
        assert time.monotonic() - started < 3
