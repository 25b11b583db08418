"""Accounts of people: create, reset, block, unblock, change one's own password.

Every operation is a call of a SECURITY DEFINER function of the database (migration 0006),
which checks who is calling; this module only prepares the arguments. The password a person
types never leaves the client: it is hardened by argon2 (:func:`kernel.passwords.derive_password`,
the same derivation the login uses) and sent as a SCRAM-SHA-256 verifier of the derived
password, computed here by libpq.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from db.errors import translate
from kernel.errors import ValidationError
from kernel.logins import is_valid_login
from kernel.passwords import check_new_password, derive_password
from kernel.settings import Settings


def scram_verifier(conn: psycopg.Connection, login: str, derived: str) -> str:
    """The SCRAM-SHA-256 verifier of the derived password (computed by libpq, client side)."""
    raw = conn.pgconn.encrypt_password(derived.encode(), login.encode(), b"scram-sha-256")
    return raw.decode("ascii")


def _verifier(conn: psycopg.Connection, login: str, password: str, settings: Settings) -> str:
    check_new_password(password, login)
    derived = derive_password(login, password, installation_salt=settings.auth_salt)
    return scram_verifier(conn, login, derived)


def _call(conn: psycopg.Connection, query: str, args: tuple[Any, ...]) -> Any:
    try:
        with conn.transaction():
            row = conn.execute(query, args).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    return row[0] if row else None


def login_of(conn: psycopg.Connection, person_id: int) -> str:
    """The login of a person's account, as far as the caller may see it.

    Raises:
        ValidationError: the person has no account, or the caller may not see it.
    """
    try:
        row = conn.execute("SELECT login FROM journal.account WHERE person_id = %s",
                           (person_id,)).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    if row is None:
        raise ValidationError("У этого человека нет учётной записи (или она вам недоступна).")
    return str(row[0])


def create_account(conn: psycopg.Connection, person_id: int, login: str, password: str, *,
                   settings: Settings, must_change: bool = True) -> None:
    """Create the login of a person with a first password (by default to be changed).

    Raises:
        ValidationError: bad login or weak password, login taken, account exists.
        AccessDenied: the caller may not create this account.
    """
    if not is_valid_login(login) or login.startswith(("ej_", "pg_")):
        raise ValidationError(f"Логин «{login}» не подходит: латинские строчные буквы, цифры, "
                              "точка, дефис, подчёркивание; не начинается с ej_ или pg_.")
    verifier = _verifier(conn, login, password, settings)
    _call(conn, "SELECT journal.create_account(%s, %s, %s, %s)",
          (person_id, login, verifier, must_change))


def reset_password(conn: psycopg.Connection, person_id: int, password: str, *,
                   settings: Settings) -> None:
    """Give a person a new one-time password; they must change it at the next login.

    Their live sessions are ended.
    """
    login = login_of(conn, person_id)
    verifier = _verifier(conn, login, password, settings)
    _call(conn, "SELECT journal.reset_password(%s, %s)", (person_id, verifier))


def change_own_password(conn: psycopg.Connection, login: str, new_password: str,
                        settings: Settings) -> None:
    """Set the connected person's own new password (the connection stays open).

    Raises:
        ValidationError: the new password is too weak.
    """
    verifier = _verifier(conn, login, new_password, settings)
    _call(conn, "SELECT journal.change_my_password(%s)", (verifier,))


def block(conn: psycopg.Connection, person_id: int) -> None:
    """Block an account: it cannot log in, and its live sessions are ended (admin only)."""
    _call(conn, "SELECT journal.block_account(%s)", (person_id,))


def unblock(conn: psycopg.Connection, person_id: int) -> None:
    """Let a blocked (or locked out) account log in again (admin only)."""
    _call(conn, "SELECT journal.unblock_account(%s)", (person_id,))


def grant_database_access(conn: psycopg.Connection, dbname: str) -> None:
    """Let members of ej_login (and the backup role) connect to a database.

    Database privileges are not copied with a database (CREATE DATABASE … TEMPLATE, a
    restore into a new database), so whoever creates one calls this as its owner or a
    superuser.
    """
    name = sql.Identifier(dbname)
    with conn.transaction():
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(name))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO ej_login").format(name))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO ej_backup").format(name))
        # The weekly letter's sender (migration 0100), once the cluster has it.
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'ej_mail'").fetchone():
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO ej_mail").format(name))
