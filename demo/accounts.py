"""Demo accounts: one login per role with a fixed password and no forced change.

Logins are PostgreSQL roles, shared by every database of a cluster, while the demo may be
built in several databases of one cluster (the test suite does so). A new login is created by
:func:`db.accounts.create_account`; a login that already exists as a role (the demo of
another database) is taken over: its password is set to the demo password again, it is
linked to this database's person and its group roles follow this database's
``journal.person_role``.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from kernel.passwords import check_new_password, derive_password
from kernel.settings import Settings


def ensure_account(conn: psycopg.Connection, person_id: int, login: str, password: str, *,
                   settings: Settings) -> None:
    """Create (or take over) the demo account of a person; it need not change its password.

    Raises:
        ValidationError: a weak password or a bad login (a bug in the demo's data).
    """
    from db import accounts

    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is None:
        accounts.create_account(conn, person_id, login, password, settings=settings,
                                must_change=False)
        return
    check_new_password(password, login)
    derived = derive_password(login, password, installation_salt=settings.auth_salt)
    verifier = accounts.scram_verifier(conn, login, derived)
    role = sql.Identifier(login)
    with conn.transaction():
        conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(verifier)))
        conn.execute(
            "INSERT INTO journal.account (person_id, login, must_change_password, "
            "password_changed_at) VALUES (%s, %s, false, now())", (person_id, login))
        member = conn.execute(
            "SELECT pg_has_role(%s, 'ej_login', 'MEMBER')", (login,)).fetchone()
        if member is None or not member[0]:
            clause = conn.execute("SELECT journal.grant_clause()").fetchone()
            grant = sql.SQL("GRANT ej_login TO {}").format(role)
            conn.execute(grant + sql.SQL(clause[0] if clause else ""))
        conn.execute("SELECT journal.sync_login_roles(%s)", (person_id,))
