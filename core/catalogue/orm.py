"""SQLModel sessions on the person's own psycopg connection.

The engine never opens a connection of its own: it is handed the person's connection (their
PostgreSQL role), so row-level security filters and refuses exactly as it does for raw SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session


@contextmanager
def orm_session(conn: psycopg.Connection) -> Iterator[Session]:
    """A SQLModel session over ``conn`` (the caller keeps owning the connection).

    Reads only: the catalogue's writes go through core.catalogue's set-based statements, in
    one transaction with a reason (db.connect.transaction).
    """
    engine = create_engine("postgresql+psycopg://", creator=lambda: conn,
                           poolclass=StaticPool, pool_reset_on_return=None)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose(close=False)
