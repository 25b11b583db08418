"""Bulk writing of the demo: identity ranges taken up front, rows sent with COPY.

Rows carry their ids so that children can point at parents without a round trip per row.
Ids are taken from each table's own identity sequence (one ``nextval`` at the first use, one
``setval`` at the end), so the program's later inserts continue after the demo's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql


class IdAllocator:
    """Hands out ids of identity columns, continuing each table's sequence."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self._next: dict[str, int] = {}
        self._sequence: dict[str, str] = {}

    def take(self, table: str) -> int:
        """The next id of ``journal.<table>``."""
        if table not in self._next:
            seq = self.conn.execute(
                "SELECT pg_get_serial_sequence(%s, 'id')", (f"journal.{table}",)
            ).fetchone()
            assert seq is not None and seq[0] is not None, table
            self._sequence[table] = seq[0]
            first = self.conn.execute("SELECT nextval(%s::regclass)", (seq[0],)).fetchone()
            assert first is not None
            self._next[table] = int(first[0])
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def finish(self) -> None:
        """Move every used sequence past the ids handed out."""
        for table, following in sorted(self._next.items()):
            self.conn.execute("SELECT setval(%s::regclass, %s, true)",
                              (self._sequence[table], following - 1))


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into ``journal.<table>``; returns how many were sent."""
    statement = sql.SQL("COPY journal.{} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
