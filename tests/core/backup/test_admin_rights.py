"""An administrator's own login never carries the backup role's rights: RLS still applies."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from core.backup.auth import backup_target
from core.backup.config import BackupSetup
from core.backup.manifest import read_manifest
from core.backup.run import run_backup

TABLES = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname = 'journal' ORDER BY 2
"""


def _counts(cursor_or_conn, tables) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for schema, table in tables:
        try:
            row = cursor_or_conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))).fetchone()
            found[table] = row[0]
        except psycopg.errors.InsufficientPrivilege:
            found[table] = None
    return found


PROBE = """
SET ROLE ej_owner;
CREATE TABLE journal.rls_probe (id int PRIMARY KEY, owner text NOT NULL);
INSERT INTO journal.rls_probe SELECT g, 'someone_else' FROM generate_series(1, 10) g;
ALTER TABLE journal.rls_probe ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.rls_probe FORCE ROW LEVEL SECURITY;
CREATE POLICY rls_probe_select ON journal.rls_probe FOR SELECT USING (owner = session_user::text);
GRANT SELECT ON journal.rls_probe TO ej_login;
RESET ROLE;
"""


def test_admin_sees_less_than_the_backup_role(demo_backup) -> None:
    with demo_backup.demo.connect() as conn:  # rows of someone else, hidden by a policy
        conn.execute(PROBE)
    setup = BackupSetup(demo_backup.settings, demo_backup.policy)
    admin = demo_backup.log_in()
    with psycopg.connect(backup_target(setup).conninfo(), autocommit=True) as conn:
        tables = conn.execute(TABLES).fetchall()
        try:
            with admin.cursor() as cur:
                seen = _counts(cur, tables)
        finally:
            admin.close()
        everything = _counts(conn, tables)  # after both logins were recorded

    assert all(n is None or n <= everything[t] for t, n in seen.items())
    assert everything["rls_probe"] == 10 and seen["rls_probe"] == 0

    run = run_backup(demo_backup.settings, policy=demo_backup.policy)  # the copy holds every row
    assert run.ok and read_manifest(run.copies[0]).tables["journal.rls_probe"].rows == 10


def test_admin_login_is_not_the_backup_role(demo_backup) -> None:
    admin = demo_backup.log_in()
    try:
        with admin.cursor() as cur:
            row = cur.execute(
                "SELECT r.rolbypassrls, r.rolsuper, pg_has_role(current_user, 'ej_backup', 'MEMBER')"
                "  FROM pg_roles r WHERE r.rolname = current_user").fetchone()
            assert row == (False, False, False)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cur.execute("SET ROLE ej_backup")
        with admin.cursor() as cur:
            cur.execute("SET row_security = off")  # what pg_dump does: refused, not bypassed
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                cur.execute("SELECT count(*) FROM journal.mark")
    finally:
        admin.close()
