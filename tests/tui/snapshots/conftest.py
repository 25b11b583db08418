"""The frozen demo college of the snapshots: built for one fixed day, read on that day.

Every screen's snapshot is taken on a copy of a demo built with ``today = FROZEN_DAY`` while
``EJOURNAL_TODAY`` freezes the program's clock (:mod:`kernel.clock`) at ``FROZEN_MOMENT``, so
the lessons held, the «today» of each screen and the «Сейчас» of the curator's day are the
same on every run. Timestamps the server stamped while the demo was built (account creation,
history rows) are set to the frozen moment in the template, as a college would have them on
that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from kernel.settings import load_settings
from tests.curator_fixture import own_state_dir  # noqa: F401  (autouse fixture)
from tests.demo_fixture import DemoDb

FROZEN_DAY = date(2026, 11, 18)
"""A Wednesday of the first semester: a full timetable, ten weeks of marks behind it."""
FROZEN_MOMENT = datetime(2026, 11, 18, 10, 30)
"""During the second pair (10:10–11:40) of that day."""
FROZEN_TEMPLATE = "ej_demo_frozen"
SETTINGS_FILE = "/home/ejournal/.config/ejournal/ejournal.toml"
"""A settings file that does not exist, named the same on every run."""

STAMPS = """
SELECT c.table_schema, c.table_name, c.column_name
  FROM information_schema.columns c JOIN information_schema.tables t
       ON t.table_schema = c.table_schema AND t.table_name = c.table_name
 WHERE c.table_schema = 'journal' AND t.table_type = 'BASE TABLE'
   AND c.data_type = 'timestamp with time zone'
"""


def _freeze_stamps(conn: Any) -> None:
    """Stamps taken from the server's clock during the build (not derived from the demo's
    days) become the frozen moment: the build's own second must not show on a screen."""
    from psycopg import sql

    conn.execute("SET session_replication_role = replica")   # no history of this fix-up
    for schema, table, column in conn.execute(STAMPS).fetchall():
        conn.execute(sql.SQL("UPDATE {}.{} SET {} = %s WHERE {} > %s").format(
            sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column),
            sql.Identifier(column)), (FROZEN_MOMENT.astimezone(), FROZEN_MOMENT.astimezone()))


@pytest.fixture(scope="session")
def frozen_template(pg_server: Any, template_db: str) -> list[Any]:
    """Build the small demo for ``FROZEN_DAY`` once into its own template; return its logins."""
    from demo.build import build_demo
    from tests.conftest import _copy_database_acl

    with pg_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {FROZEN_TEMPLATE} TEMPLATE {template_db}")
        _copy_database_acl(conn, template_db, FROZEN_TEMPLATE)
    settings = load_settings(dbname=FROZEN_TEMPLATE)
    with pg_server.connect_superuser(FROZEN_TEMPLATE, autocommit=True) as conn:
        summary = build_demo(conn, seed=2026, scale="small", settings=settings, today=FROZEN_DAY)
        _freeze_stamps(conn)
    with pg_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {FROZEN_TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
    return list(summary.logins)


@pytest.fixture
def frozen_demo(pg_server: Any, frozen_template: list[Any],
                monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoDb]:
    """A copy of the frozen demo, with the program's clock at ``FROZEN_MOMENT``."""
    from tests.conftest import clone_database

    monkeypatch.setenv("EJOURNAL_TODAY", FROZEN_MOMENT.isoformat(timespec="minutes"))
    # Screens name the settings file (the server's is in a new temporary folder each run).
    monkeypatch.setenv("EJOURNAL_CONFIG", SETTINGS_FILE)
    with clone_database(pg_server, FROZEN_TEMPLATE) as dbname:
        yield DemoDb(dbname, pg_server.superuser_conninfo(dbname), pg_server,
                     load_settings(dbname=dbname), frozen_template)
