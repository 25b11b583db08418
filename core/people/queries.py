"""SQL of a group's students and parents: read the roster, write a student or a parent.

Runs on the person's own connection inside the caller's transaction; row-level security
decides which rows can be read and changed. A write that touches no row (no right, or the
person is not of this group) returns None so the caller can roll back and say so.
"""

from __future__ import annotations

from typing import Any

import psycopg

STUDENTS = """
SELECT s.person_id, p.surname, p.name, p.patronymic, p.birth_date, s.record_book_no, s.status,
       s.subgroup_id, p.phone, p.email, s.enrolled_on, s.left_on, sg.name
  FROM journal.student s
  JOIN journal.person p ON p.id = s.person_id
  LEFT JOIN journal.subgroup sg ON sg.id = s.subgroup_id
 WHERE s.group_id = %(group)s
 ORDER BY p.surname, p.name, p.patronymic, s.person_id
"""

PARENTS = """
SELECT p.id, p.surname, p.name, p.patronymic, p.phone, p.email, g.student_id, g.relation
  FROM journal.guardian g
  JOIN journal.person p ON p.id = g.parent_id
  JOIN journal.student s ON s.person_id = g.student_id
 WHERE s.group_id = %(group)s
 ORDER BY p.surname, p.name, p.id, g.student_id
"""

ACCOUNTS = """
SELECT a.person_id, a.login
  FROM journal.account a
 WHERE a.person_id IN (SELECT person_id FROM journal.student WHERE group_id = %(group)s
                       UNION
                       SELECT g.parent_id FROM journal.guardian g
                         JOIN journal.student s ON s.person_id = g.student_id
                        WHERE s.group_id = %(group)s)
"""

SUBGROUPS = "SELECT id, name FROM journal.subgroup WHERE group_id = %(group)s ORDER BY name"

PERSON_COLUMNS = ("surname", "name", "patronymic", "birth_date", "phone", "email")
STUDENT_COLUMNS = ("record_book_no", "status", "subgroup_id", "enrolled_on", "left_on")


def read_roster(conn: psycopg.Connection, group_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Students, parents (one row per child), accounts and subgroups of a group."""
    args = {"group": group_id}
    queries = {"students": STUDENTS, "parents": PARENTS, "accounts": ACCOUNTS,
               "subgroups": SUBGROUPS}
    with conn.pipeline():
        cursors = {key: conn.execute(sql, args) for key, sql in queries.items()}
    return {key: cur.fetchall() for key, cur in cursors.items()}


def _insert_student(conn: psycopg.Connection, group_id: int, values: dict[str, Any]) -> int:
    row = conn.execute(
        "INSERT INTO journal.person (surname, name, patronymic, birth_date, phone, email)"
        " VALUES (%(surname)s, %(name)s, %(patronymic)s, %(birth_date)s, %(phone)s, %(email)s)"
        " RETURNING id", values).fetchone()
    assert row is not None
    person_id = int(row[0])
    conn.execute("INSERT INTO journal.person_role (person_id, role) VALUES (%s, 'student')",
                 (person_id,))
    conn.execute(
        "INSERT INTO journal.student (person_id, group_id, subgroup_id, record_book_no, status,"
        " enrolled_on, left_on) VALUES (%(id)s, %(group)s, %(subgroup_id)s, %(record_book_no)s,"
        " %(status)s, %(enrolled_on)s, %(left_on)s)", {**values, "id": person_id, "group": group_id})
    return person_id


def _update(conn: psycopg.Connection, table: str, key: str, columns: list[str],
            values: dict[str, Any]) -> bool:
    """UPDATE only ``columns`` (a curator holds the privilege on some columns only)."""
    if not columns:
        return True
    sets = ", ".join(f"{c} = %({c})s" for c in columns)
    where = f"{key} = %(id)s" + (" AND group_id = %(group)s" if table == "student" else "")
    row = conn.execute(f"UPDATE journal.{table} SET {sets} WHERE {where} RETURNING {key}",
                       values).fetchone()
    return row is not None


def write_student(conn: psycopg.Connection, group_id: int, person_id: int | None,
                  values: dict[str, Any], columns: set[str]) -> int | None:
    """Insert a student of the group (all columns), or update the ``columns`` given of one;
    the person's id, or None when no row could be changed."""
    if person_id is None:
        return _insert_student(conn, group_id, values)
    args = {**values, "id": person_id, "group": group_id}
    student = [c for c in STUDENT_COLUMNS if c in columns]
    person = [c for c in PERSON_COLUMNS if c in columns]
    exists = conn.execute("SELECT 1 FROM journal.student WHERE person_id = %(id)s"
                          " AND group_id = %(group)s", args).fetchone()
    if exists is None or not _update(conn, "student", "person_id", student, args):
        return None
    return person_id if _update(conn, "person", "id", person, args) else None


def write_parent(conn: psycopg.Connection, group_id: int, person_id: int | None,
                 values: dict[str, Any], columns: set[str], children: list[int],
                 relation: str) -> int | None:
    """Add a parent (``journal.add_parent``) or update the ``columns`` given of one; then set
    which students of the group they represent. The parent's id, or None if refused."""
    args = {**values, "group": group_id, "children": children, "relation": relation}
    if person_id is None:
        row = conn.execute(
            "SELECT journal.add_parent(%(child)s, %(surname)s, %(name)s, %(patronymic)s,"
            " %(relation)s, %(phone)s, %(email)s)", {**args, "child": children[0]}).fetchone()
        if row is None or row[0] is None:
            return None
        person_id = int(row[0])
    elif not _update(conn, "person", "id", [c for c in PERSON_COLUMNS if c in columns],
                     {**args, "id": person_id}):
        return None
    args["parent"] = person_id
    conn.execute(
        "DELETE FROM journal.guardian g USING journal.student s"
        " WHERE g.parent_id = %(parent)s AND s.person_id = g.student_id"
        " AND s.group_id = %(group)s AND NOT g.student_id = ANY(%(children)s)", args)
    linked = conn.execute(
        "INSERT INTO journal.guardian (parent_id, student_id, relation)"
        " SELECT %(parent)s, s.person_id, %(relation)s FROM journal.student s"
        "  WHERE s.group_id = %(group)s AND s.person_id = ANY(%(children)s)"
        " ON CONFLICT (parent_id, student_id) DO UPDATE SET relation = EXCLUDED.relation"
        " RETURNING student_id", args).fetchall()
    return person_id if len(linked) == len(children) else None
