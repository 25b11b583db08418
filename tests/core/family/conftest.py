"""Helpers of the family tests: demo sessions and a second family with its own login."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from core.session import UserSession, log_in
from db.connect import Credentials

OTHER_PARENT = ("other.parent", "demo-other-parent")


@dataclass(frozen=True)
class Family:
    """A parent login and their children's ids."""

    session: UserSession
    children: tuple[int, ...]


def raw(demo_db: Any, login: str) -> psycopg.Connection:
    """A plain psycopg connection as a demo login (no program code in between)."""
    passwords = {a.login: a.password for a in demo_db.logins} | {OTHER_PARENT[0]: OTHER_PARENT[1]}
    creds = Credentials.from_typed(demo_db.settings, login, passwords[login])
    return psycopg.connect(**creds.params, autocommit=True)


@pytest.fixture
def other_family(demo_db: Any) -> Family:
    """A parent of another family (none of the demo parent's children) with a login."""
    from demo.accounts import ensure_account

    parent = demo_db.log_in("родитель")
    with parent.cursor() as cur:
        mine = [r[0] for r in cur.execute(
            "SELECT student_id FROM journal.guardian WHERE parent_id = %s",
            (parent.person.person_id,)).fetchall()]
    parent.close()
    with demo_db.connect() as conn:
        row = conn.execute(
            """SELECT g.parent_id, array_agg(g.student_id) FROM journal.guardian g
                WHERE g.parent_id NOT IN (SELECT parent_id FROM journal.guardian
                                           WHERE student_id = ANY(%s))
                  AND NOT EXISTS (SELECT FROM journal.account a WHERE a.person_id = g.parent_id)
                GROUP BY g.parent_id ORDER BY g.parent_id LIMIT 1""", (mine,)).fetchone()
        ensure_account(conn, row[0], OTHER_PARENT[0], OTHER_PARENT[1], settings=demo_db.settings)
    return Family(log_in(demo_db.settings, *OTHER_PARENT), tuple(row[1]))
