"""Migrations: empty → latest, re-run changes nothing, edited migrations refused."""

from __future__ import annotations

import psycopg
import pytest

from db import migrate
from kernel.errors import ServerError


def test_template_is_fully_migrated(fresh_db) -> None:
    with psycopg.connect(fresh_db.conninfo, autocommit=True) as conn:
        assert set(migrate.applied(conn)) == {m.version for m in migrate.available()}


def test_rerun_changes_nothing(fresh_db) -> None:
    with psycopg.connect(fresh_db.conninfo, autocommit=True) as conn:
        before = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'journal'").fetchone()
        assert migrate.upgrade(conn) == []
        after = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'journal'").fetchone()
    assert before == after


def test_edited_migration_is_refused(fresh_db) -> None:
    with psycopg.connect(fresh_db.conninfo, autocommit=True) as conn:
        conn.execute("UPDATE public.ejournal_migration SET checksum = 'x' WHERE version = '0001_schema'")
        with pytest.raises(ServerError, match="изменена"):
            migrate.upgrade(conn)


def test_tables_owned_by_nologin_owner(fresh_db) -> None:
    with psycopg.connect(fresh_db.conninfo, autocommit=True) as conn:
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'journal'").fetchall()
        login = conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'ej_owner'").fetchone()
    assert owners == [("ej_owner",)]
    assert login == (False,)


BAD_VALUES = [
    ("INSERT INTO journal.person (surname, name, phone) VALUES ('Иванов', 'Иван', '8-900')", "phone"),
    ("INSERT INTO journal.person (surname, name) VALUES ('', 'Иван')", "empty surname"),
    ("INSERT INTO journal.person_role VALUES (1, 'wizard')", "role"),
    ("INSERT INTO journal.academic_year (title, starts_on, ends_on) "
     "VALUES ('2026-2027', '2026-09-01', '2027-06-30')", "year title"),
    ("INSERT INTO journal.academic_year (title, starts_on, ends_on) "
     "VALUES ('2026/2027', '2027-09-01', '2026-06-30')", "year order"),
]


@pytest.mark.parametrize(("statement", "what"), BAD_VALUES, ids=[w for _s, w in BAD_VALUES])
def test_bad_values_refused_from_raw_sql(fresh_db, statement: str, what: str) -> None:
    with psycopg.connect(fresh_db.conninfo, autocommit=True) as conn, pytest.raises(psycopg.Error):
        conn.execute(statement)
