"""The access matrix of docs/security.md, cell by cell, from raw connections of each role.

Reads: the rows a person sees in every table of the matrix row must be exactly the rows
their scope names, computed independently by a superuser. Writes: every attempt of the
matrix row (insert, update, delete, functions) must succeed exactly when one of its scopes
is in the cell; each attempt runs in a transaction that is rolled back, so the world is
shared by the whole module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from db.accounts import scram_verifier
from tests.conftest import FreshDb
from tests.security.conftest import cloned_database, connect_as, make_account, make_person, unique_login
from tests.security.matrix import PARAMS, READS, WRITES, Attempt, Cell, read_matrix
from tests.security.world import ROLE_PEOPLE, World, build_world

CELLS = read_matrix()
REFUSED = {"42501", "23514"}


class Matrix:
    """The module's world, a superuser connection and one connection per role."""

    def __init__(self, db: FreshDb, su: psycopg.Connection, world: World) -> None:
        self.db = db
        self.su = su
        self.world = world
        self._conns: dict[str, psycopg.Connection] = {}

    def conn(self, role: str) -> psycopg.Connection:
        """The role's person's own autocommit connection."""
        if role not in self._conns:
            self._conns[role] = connect_as(self.db, self.world.login[role])
        return self._conns[role]

    def params(self, role: str) -> dict[str, Any]:
        """The person's scope parameters (see matrix.PARAMS)."""
        me = self.world.person[role]
        cur = self.su.execute(PARAMS, {"me": me})
        row = cur.fetchone()
        assert row is not None and cur.description is not None
        return {"me": me, **{col.name: value for col, value in zip(cur.description, row,
                                                                    strict=True)}}

    def resolve(self, role: str, args: dict[str, Any]) -> dict[str, Any]:
        """World lookups of an attempt's arguments."""
        w = self.world
        tables = {"person": w.person, "lesson": w.lesson, "load": w.load, "group": w.group,
                  "statement": w.statement, "thread": w.thread}
        out: dict[str, Any] = {}
        for name, value in args.items():
            if value == "me":
                out[name] = w.person[role]
            elif value == "new-login":
                out[name] = unique_login("probe")
            elif isinstance(value, str) and value.split(":")[0] in tables:
                kind, key = value.split(":")
                out[name] = tables[kind][key]
            else:
                out[name] = value
        return out

    def attempt(self, role: str, attempt: Attempt) -> bool:
        """Try the write as the role, roll it back; True when it took effect."""
        conn = self.conn(role)
        args = self.resolve(role, attempt.args)
        if "%(verifier)s" in attempt.sql:
            args["verifier"] = scram_verifier(conn, args.get("login", "probe"), "ej1-derived")
        try:
            with conn.transaction(force_rollback=True):
                if attempt.sql == "START":
                    self._start_thread(conn, role)
                    return True
                cur = conn.execute(attempt.sql, args)
                return cur.rowcount > 0
        except psycopg.Error as exc:
            if exc.sqlstate in REFUSED:
                return False
            raise

    def _start_thread(self, conn: psycopg.Connection, role: str) -> None:
        w = self.world
        me = w.person[role]
        about, other = ((w.person["sa1"], w.person["curator"]) if role in ("parent", "student")
                        else (None, w.person["teacher2"]))
        row = conn.execute("INSERT INTO journal.thread (subject, student_id, created_by) "
                           "VALUES ('Проба', %s, %s) RETURNING id", (about, me)).fetchone()
        assert row is not None
        conn.execute("INSERT INTO journal.thread_member (thread_id, person_id) VALUES (%s, %s), "
                     "(%s, %s)", (row[0], me, row[0], other))
        conn.execute("INSERT INTO journal.message (thread_id, author_id, body) "
                     "VALUES (%s, %s, 'Проба')", (row[0], me))

    def close(self) -> None:
        """Close the role connections."""
        for conn in self._conns.values():
            conn.close()


@pytest.fixture(scope="module")
def matrix(pg_server: Any, template_db: str) -> Iterator[Matrix]:
    """One world for the whole module (every write attempt is rolled back)."""
    with cloned_database(pg_server, template_db, f"sec_matrix_{os.getpid()}") as db, \
            db.connect() as su:
        m = Matrix(db, su, build_world(su, make_person, make_account))
        yield m
        m.close()


def test_matrix_covers_every_role_and_row() -> None:
    """The document's matrix names every role column and only rows the tests know."""
    assert {c.role for c in CELLS} == set(ROLE_PEOPLE)
    assert {c.area for c in CELLS} == set(READS) == set(WRITES)


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.id)
def test_read(matrix: Matrix, cell: Cell) -> None:
    """The person sees exactly the rows of their read scope, in every table of the row."""
    conn = matrix.conn(cell.role)
    params = matrix.params(cell.role)
    for table, (key, scopes) in READS[cell.area].items():
        got = sorted(conn.execute(f"SELECT {key} FROM journal.{table}").fetchall())
        where = " OR ".join(f"({scopes[s]})" for s in sorted(cell.read)) or "false"
        expected = sorted(matrix.su.execute(
            f"SELECT {key} FROM journal.{table} WHERE {where}", params).fetchall())
        assert got == expected, f"{table}: {cell.role} sees {len(got)}, expected {len(expected)}"


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.id)
def test_write(matrix: Matrix, cell: Cell) -> None:
    """Every write attempt of the row succeeds exactly when its scope is in the cell."""
    known = {scope for attempt in WRITES[cell.area] for scope in attempt.scopes}
    assert cell.write <= known, f"no write attempt tests {sorted(cell.write - known)}"
    wrong = []
    for attempt in WRITES[cell.area]:
        expected = bool(attempt.scopes & cell.write)
        if matrix.attempt(cell.role, attempt) != expected:
            wrong.append(f"{attempt.label}: {'refused' if expected else 'allowed'}")
    assert not wrong, f"{cell.role} on {cell.area}: " + "; ".join(wrong)
