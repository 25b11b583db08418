"""A student sees only their own rows, a parent only their children's — in every table and
view of the schema, found through the catalog (so tables added later are covered too)."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.security.world import World

# Columns that name a person (or a student, whose id is the person's).
PERSON_COLUMNS = {"person_id", "student_id", "parent_id", "teacher_id", "taught_by",
                  "curator_id", "examiner_id", "author_id", "created_by"}


def _readable(su: psycopg.Connection, login: str) -> dict[str, list[str]]:
    """Every table and view of journal with the columns this login may select."""
    rows = su.execute("""
        SELECT c.relname, a.attname FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'journal'::regnamespace AND c.relkind IN ('r', 'p', 'v')
           AND has_column_privilege(%s, c.oid, a.attnum, 'SELECT')
         ORDER BY c.relname, a.attnum""", (login,)).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def _person_ids_in(value: object) -> set[int]:
    """Ids under person-like keys anywhere inside a jsonb value."""
    found: set[int] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PERSON_COLUMNS and isinstance(item, int):
                found.add(item)
            found |= _person_ids_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= _person_ids_in(item)
    return found


def _seen_people(conn: psycopg.Connection, tables: dict[str, list[str]]) -> dict[str, set[int]]:
    seen: dict[str, set[int]] = {}
    for table, columns in tables.items():
        cur = conn.execute(f"SELECT {', '.join(columns)} FROM journal.{table}")
        names = [d.name for d in cur.description or []]
        for row in cur.fetchall():
            for name, value in zip(names, row, strict=True):
                ids: set[int] = set()
                if name in PERSON_COLUMNS or (table == "person" and name == "id"):
                    ids = {value} if isinstance(value, int) else set()
                elif isinstance(value, dict | list):
                    ids = _person_ids_in(value)
                elif isinstance(value, str) and value.startswith("{"):
                    ids = _person_ids_in(json.loads(value))
                for person in ids:
                    seen.setdefault(table, set()).add(person)
    return seen


@pytest.mark.parametrize(("who", "own"), [("student", ["sa1"]), ("parent", ["sa1"])])
def test_no_other_students_anywhere(world: World, su: psycopg.Connection, login_as,
                                    who: str, own: list[str]) -> None:
    conn = login_as(who)
    tables = _readable(su, world.login[who])
    assert len(tables) >= 30
    seen = _seen_people(conn, tables)
    students = {world.person[s] for s in ("sa1", "sa2", "sa3", "sb1", "sb2", "sc1", "sc2",
                                          "newbie")}
    allowed = {world.person[s] for s in own}
    for table, people in seen.items():
        assert not (people & students) - allowed, f"{who} sees another student in {table}"
    assert allowed <= seen.get("mark", set()), "the test must see the person's own marks"


@pytest.mark.parametrize("who", ["student", "parent"])
def test_no_other_students_names_or_personal_data(world: World, su: psycopg.Connection,
                                                  login_as, who: str) -> None:
    conn = login_as(who)
    names = {r[0] for r in conn.execute("SELECT surname FROM journal.person").fetchall()}
    assert "Студент-student" in names
    assert not {n for n in names if n.startswith("Студент-")} - {"Студент-student"}
    assert not {n for n in names if n.startswith("Родитель-")} - (
        {"Родитель-parent"} if who == "parent" else set())
    for column in ("birth_date", "phone", "email"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SELECT {column} FROM journal.person")


def test_other_students_rows_are_invisible_by_key_too(world: World, login_as) -> None:
    """Asking for another student's rows by id returns nothing, for every student column."""
    conn = login_as("student")
    other = world.person["sa2"]            # same group
    for table in ("mark", "attendance", "statement_mark", "final_mark", "guardian",
                  "change_log"):
        rows = conn.execute(f"SELECT 1 FROM journal.{table} WHERE student_id = %s",
                            (other,)).fetchall()
        assert rows == [], table
    assert conn.execute("SELECT 1 FROM journal.student WHERE person_id = %s",
                        (other,)).fetchall() == []
    assert conn.execute("SELECT 1 FROM journal.account WHERE person_id = %s",
                        (other,)).fetchall() == []
