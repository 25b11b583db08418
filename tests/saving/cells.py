"""Cells of the demo teacher's page that the saving tests write marks of their own kind into."""

from __future__ import annotations

from tests.demo_fixture import DemoDb

KIND = "test"


def free_cells(demo: DemoDb, load_id: int, count: int) -> list[tuple[int, int]]:
    """(student, lesson) cells of the load with no mark of the test kind yet."""
    with demo.connect() as conn:
        rows = conn.execute(
            "SELECT s.person_id, l.id FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id"
            " JOIN journal.student s ON s.group_id = t.group_id AND s.status = 'обучается'"
            " WHERE l.load_id = %s AND l.lesson_date <= current_date ORDER BY l.lesson_date DESC,"
            " l.pair_no, s.person_id LIMIT %s", (load_id, count)).fetchall()
    return [(r[0], r[1]) for r in rows]
