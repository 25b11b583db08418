"""Demo accounts: one login per role with a fixed password and no forced change.

Logins are PostgreSQL roles, shared by every database of a cluster, while the demo may be
built in several databases of one cluster (the test suite does so). A login that already
exists as a role is taken over: its password is reset to the demo password and it is linked
to this database's person.
"""

from __future__ import annotations

import importlib

import psycopg

from core.config import Settings


def ensure_account(conn: psycopg.Connection, person_id: int, login: str, password: str, *,
                   settings: Settings) -> None:
    """Create (or take over) the demo account of a person."""
    try:
        accounts = importlib.import_module("db.accounts")
    except ImportError:  # the accounts module is not there yet: no login roles
        return
    accounts.create_account(conn, person_id, login, password, settings=settings,
                            must_change=False)
