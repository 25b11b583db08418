"""Helpers of the security suite: people, accounts, connections as a person.

Every connection the tests judge is a raw psycopg connection with the person's own
credentials (the argon2-derived password of their login), exactly what psql or any other
client would get; nothing in the program stands between the person and the database.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator

import psycopg
import pytest
from psycopg import sql

from db import accounts
from kernel.passwords import derive_password
from kernel.settings import Settings
from tests.conftest import FreshDb
from tests.security.world import World, build_world

SETTINGS = Settings()
PASSWORD = "пароль-для-тестов"
_logins = itertools.count(1)


def unique_login(prefix: str = "sec") -> str:
    """A login no other test (or database of the cluster) uses."""
    return f"{prefix}{os.getpid()}x{next(_logins)}"


def make_person(conn: psycopg.Connection, roles: list[str] | tuple[str, ...], *,
                surname: str = "Тестов", name: str = "Тест") -> int:
    """A person with these roles (superuser connection); returns the id."""
    row = conn.execute("INSERT INTO journal.person (surname, name) VALUES (%s, %s) RETURNING id",
                       (surname, name)).fetchone()
    assert row is not None
    for role in roles:
        conn.execute("INSERT INTO journal.person_role VALUES (%s, %s)", (row[0], role))
    return int(row[0])


def make_account(conn: psycopg.Connection, person_id: int, *, login: str | None = None,
                 password: str = PASSWORD, must_change: bool = False) -> str:
    """Create the person's account (through the program's own function); returns the login."""
    login = login or unique_login()
    accounts.create_account(conn, person_id, login, password, settings=SETTINGS,
                            must_change=must_change)
    return login


def verifier(conn: psycopg.Connection, login: str, password: str = PASSWORD) -> str:
    """The SCRAM verifier the program would send for this login and typed password."""
    derived = derive_password(login, password, installation_salt=SETTINGS.auth_salt)
    return accounts.scram_verifier(conn, login, derived)


def person_conninfo(db: FreshDb, login: str, password: str = PASSWORD) -> str:
    """libpq conninfo of a person's own connection to the test database."""
    status = db.server.status()
    derived = derive_password(login, password, installation_salt=SETTINGS.auth_salt)
    return psycopg.conninfo.make_conninfo(
        host=str(status.socket_dir), port=str(status.port), dbname=db.dbname, user=login,
        password=derived)


def connect_as(db: FreshDb, login: str, password: str = PASSWORD, *,
               autocommit: bool = True) -> psycopg.Connection:
    """A raw psycopg connection as the person (what psql would give them)."""
    return psycopg.connect(person_conninfo(db, login, password), autocommit=autocommit)


def _role_names(conn: psycopg.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT rolname FROM pg_roles").fetchall()}


@contextlib.contextmanager
def cloned_database(server: object, template: str, dbname: str) -> Iterator[FreshDb]:
    """A database copied from the migrated template, open to ej_login; dropped afterwards
    together with the roles created meanwhile."""
    su = server.connect_superuser  # type: ignore[attr-defined]
    name = sql.Identifier(dbname)
    with su(autocommit=True) as conn:
        before = _role_names(conn)
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(template)))
        with su(dbname, autocommit=True) as db_conn:
            accounts.grant_database_access(db_conn, dbname)
    try:
        yield FreshDb(dbname, server.superuser_conninfo(dbname), server)  # type: ignore[attr-defined,arg-type]
    finally:
        with su(autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            for role in sorted(_role_names(conn) - before):
                with contextlib.suppress(psycopg.Error):
                    conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture
def sec_db(fresh_db: FreshDb) -> FreshDb:
    """The test's fresh database, with CONNECT for ej_login (clones lose database grants)."""
    with fresh_db.connect() as conn:
        accounts.grant_database_access(conn, fresh_db.dbname)
    return fresh_db


@pytest.fixture
def su(sec_db: FreshDb) -> Iterator[psycopg.Connection]:
    """A superuser connection to the test's database."""
    with sec_db.connect() as conn:
        yield conn


@pytest.fixture
def world(sec_db: FreshDb, su: psycopg.Connection) -> World:
    """A small college with one person per role (see world.py), in the test's database."""
    return build_world(su, make_person, make_account)


@pytest.fixture
def login_as(sec_db: FreshDb, world: World) -> Iterator[Callable[[str], psycopg.Connection]]:
    """``login_as("teacher")``: an autocommit connection as that person of the world."""
    opened: list[psycopg.Connection] = []

    def _open(who: str) -> psycopg.Connection:
        conn = connect_as(sec_db, world.login[who])
        opened.append(conn)
        return conn

    yield _open
    for conn in opened:
        conn.close()
