"""The history of a cell names who changed it («Емельянов Г. М.»), not their login."""

from __future__ import annotations

from typing import Any

from core.journal.lesson_record import cell_history
from kernel.text import short_name
from tests.core.family.conftest import raw
from tests.demo_fixture import DemoDb, teacher_load

FREE_CELL = """
SELECT l.id, s.person_id FROM journal.lesson l
  JOIN journal.student s ON s.group_id = (SELECT group_id FROM journal.teaching_load WHERE id = %s)
 WHERE l.load_id = %s AND s.status = 'обучается'
   AND NOT EXISTS (SELECT FROM journal.mark m WHERE m.lesson_id = l.id AND m.student_id = s.person_id)
 ORDER BY l.lesson_date DESC, s.person_id LIMIT 1
"""


def _mark(conn: Any, load_id: int, lesson_id: int, student_id: int) -> None:
    conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)"
                 " VALUES (%s, %s, %s, 'oral', '4')", (lesson_id, load_id, student_id))


def test_history_shows_the_teachers_short_name(demo_db: DemoDb) -> None:
    session, load_id = teacher_load(demo_db)
    teacher = demo_db.account("преподаватель")
    with demo_db.connect() as conn:
        lesson_id, student_id = conn.execute(FREE_CELL, (load_id, load_id)).fetchone()
    with raw(demo_db, teacher.login) as conn:
        _mark(conn, load_id, lesson_id, student_id)
    entries = cell_history(session, lesson_id, student_id)
    assert entries and entries[-1].changed_by == short_name(*teacher.full_name.split())
    assert entries[-1].changed_by == "Емельянов Г. М."  # the demo's teacher, as on paper
    assert all(entry.changed_by != teacher.login for entry in entries)


def test_staff_names_tell_nothing_to_family_or_about_family(demo_db: DemoDb) -> None:
    parent, student, teacher = (demo_db.account(r) for r in ("родитель", "обучающийся", "преподаватель"))
    with raw(demo_db, parent.login) as conn:
        assert conn.execute("SELECT * FROM journal.staff_names(%s)", ([teacher.login],)).fetchall() == []
    with raw(demo_db, teacher.login) as conn:
        assert conn.execute("SELECT * FROM journal.staff_names(%s)",
                            ([parent.login, student.login],)).fetchall() == []
        assert conn.execute("SELECT short_name FROM journal.staff_names(%s)",
                            ([teacher.login],)).fetchall() != []
