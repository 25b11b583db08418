"""The ``demo_db`` fixture: a database cloned from a template filled with the demo college.

The demo is built once per test session (a few seconds) into ``ej_demo_template``; each test
gets its own copy, so tests may change data freely. Demo accounts are cluster-wide roles
created once with the template and shared by the copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from kernel.settings import Settings, load_settings

DEMO_TEMPLATE = "ej_demo_template"


@dataclass(frozen=True)
class DemoDb:
    """A test's copy of the demo database.

    Attributes:
        dbname: The database's name.
        conninfo: The superuser's conninfo.
        server: The throwaway server.
        settings: Settings that log in to this database.
        logins: The demo accounts (role label, login, password, full name).
    """

    dbname: str
    conninfo: str
    server: Any
    settings: Settings
    logins: list[Any] = field(default_factory=list)

    def connect(self, *, autocommit: bool = True) -> Any:
        """A superuser connection to this database."""
        return self.server.connect_superuser(self.dbname, autocommit=autocommit)

    def account(self, role: str) -> Any:
        """The first demo account whose role label contains ``role`` (e.g. 'преподаватель')."""
        for login in self.logins:
            if role in login.role:
                return login
        raise KeyError(role)

    def log_in(self, role: str) -> Any:
        """A logged-in UserSession of the demo account with that role label."""
        from core.session import log_in

        account = self.account(role)
        return log_in(self.settings, account.login, account.password)


@pytest.fixture(scope="session")
def demo_template(pg_server: Any, template_db: str) -> list[Any]:
    """Build the small demo once into a template database; return its logins."""
    from demo.build import build_demo
    from tests.conftest import _copy_database_acl

    with pg_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DEMO_TEMPLATE} TEMPLATE {template_db}")
        _copy_database_acl(conn, template_db, DEMO_TEMPLATE)
    settings = load_settings(dbname=DEMO_TEMPLATE)
    with pg_server.connect_superuser(DEMO_TEMPLATE, autocommit=True) as conn:
        summary = build_demo(conn, seed=2026, scale="small", settings=settings)
    with pg_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {DEMO_TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
    return list(summary.logins)


@pytest.fixture
def demo_db(pg_server: Any, demo_template: list[Any]) -> Iterator[DemoDb]:
    """A fresh copy of the demo database for one test."""
    from tests.conftest import clone_database

    with clone_database(pg_server, DEMO_TEMPLATE) as dbname:
        # The demo's logins are the cluster's, shared by every test: failed logins an earlier
        # test caused (in its own copy) are in the server's log, and a copy's first look at
        # the log would count them towards a lockout. A copy counts from its creation on.
        with pg_server.connect_superuser(dbname, autocommit=True) as conn:
            conn.execute("""
                INSERT INTO ej_guard.log_position (file, read_to)
                SELECT f, coalesce((pg_stat_file(f, true)).size, 0)
                  FROM pg_current_logfile('jsonlog') f WHERE f IS NOT NULL
                ON CONFLICT (id) DO UPDATE SET file = excluded.file, read_to = excluded.read_to""")
        yield DemoDb(dbname, pg_server.superuser_conninfo(dbname), pg_server,
                     load_settings(dbname=dbname), demo_template)


BUSIEST_LOAD = """
SELECT t.id FROM journal.teaching_load t JOIN journal.lesson l ON l.load_id = t.id
 WHERE t.teacher_id = (SELECT person_id FROM journal.account WHERE login = %s)
   AND t.subgroup_id IS NULL
 GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1
"""


def teacher_load(demo: DemoDb) -> tuple[Any, int]:
    """The demo teacher's session and their load with the most lessons."""
    session = demo.log_in("преподаватель")
    with demo.connect() as conn:
        load_id = conn.execute(BUSIEST_LOAD, (session.person.login,)).fetchone()[0]
    return session, load_id
