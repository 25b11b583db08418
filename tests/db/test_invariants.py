"""Invariants the database keeps whoever writes: a mark's student is in the load's group."""

from __future__ import annotations

import psycopg
import pytest

from tests.demo_fixture import DemoDb

OTHER_GROUP_STUDENT = """
SELECT l.id, l.load_id, s.person_id
  FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id
  JOIN journal.student s ON s.group_id <> t.group_id
 ORDER BY l.id, s.person_id LIMIT 1
"""


@pytest.mark.parametrize("table", ["mark", "attendance"])
def test_student_of_another_group_is_refused(demo_db: DemoDb, table: str) -> None:
    with demo_db.connect() as conn:
        lesson, load, student = conn.execute(OTHER_GROUP_STUDENT).fetchone()
        values = "'oral', '5'" if table == "mark" else "'НН'"
        columns = "work_kind, value" if table == "mark" else "code"
        with pytest.raises(psycopg.errors.CheckViolation, match="не входит в группу"):
            conn.execute(f"INSERT INTO journal.{table} (lesson_id, load_id, student_id, {columns}) "
                         f"VALUES (%s, %s, %s, {values})", (lesson, load, student))


def test_moving_a_mark_to_a_student_of_another_group_is_refused(demo_db: DemoDb) -> None:
    with demo_db.connect() as conn:
        mark_id, other = conn.execute(
            "SELECT m.id, s.person_id FROM journal.mark m JOIN journal.teaching_load t "
            "ON t.id = m.load_id JOIN journal.student s ON s.group_id <> t.group_id "
            "ORDER BY m.id LIMIT 1").fetchone()
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE journal.mark SET student_id = %s WHERE id = %s", (other, mark_id))


def test_subgroup_load_refuses_the_other_subgroup(demo_db: DemoDb) -> None:
    with demo_db.connect() as conn:
        row = conn.execute(
            "SELECT l.id, l.load_id, s.person_id FROM journal.lesson l "
            "JOIN journal.teaching_load t ON t.id = l.load_id AND t.subgroup_id IS NOT NULL "
            "JOIN journal.student s ON s.group_id = t.group_id AND s.subgroup_id <> t.subgroup_id "
            "ORDER BY l.id LIMIT 1").fetchone()
        assert row is not None, "the demo has subgroup loads"
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
                         "VALUES (%s, %s, %s, 'П')", row)
