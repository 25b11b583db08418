"""A student transferred out of a group during the year (issue 11): the setup shared by the
journal page's, the curator's day's and the statements' tests of transferred students."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.statements.closing import create_statement
from core.statements.service import attestable_loads
from tests.demo_fixture import DemoDb, teacher_load

PICK = """
SELECT s.person_id, t.group_id,
       (SELECT g.id FROM journal.study_group g WHERE g.id <> t.group_id ORDER BY g.id LIMIT 1)
  FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id
 WHERE t.id = %s AND s.status = 'обучается'
   AND (t.subgroup_id IS NULL OR s.subgroup_id = t.subgroup_id)
   AND EXISTS (SELECT FROM journal.mark m WHERE m.load_id = t.id AND m.student_id = s.person_id)
 ORDER BY s.person_id LIMIT 1
"""


@dataclass(frozen=True)
class Transfer:
    """A student of a page moved to another group on ``on_date``."""

    load_id: int
    student_id: int
    old_group: int
    new_group: int
    on_date: date
    before: int
    """A lesson of the page before the transfer (the student studied in the group)."""
    after: int
    """A lesson on or after the transfer date (the student was in the new group)."""


def transfer_student(demo: DemoDb, load_id: int | None = None) -> Transfer:
    """Transfer a student of a page (the demo teacher's busiest one unless ``load_id`` names
    another) on the date of its middle lesson.

    Their marks and attendance from that date on are removed first, as a real transfer has
    none there; the movement is recorded as the office records it (``journal.student_movement``).
    """
    if load_id is None:
        _session, load_id = teacher_load(demo)
    with demo.connect() as conn:
        student, old_group, new_group = conn.execute(PICK, (load_id,)).fetchone()
        lessons = conn.execute("SELECT id, lesson_date FROM journal.lesson WHERE load_id = %s "
                               "ORDER BY lesson_date, pair_no", (load_id,)).fetchall()
        middle = len(lessons) // 2
        on_date = lessons[middle][1]
        before = next(lid for lid, day in reversed(lessons[:middle]) if day < on_date)
        conn.execute("DELETE FROM journal.attendance WHERE student_id = %s AND lesson_id IN "
                     "(SELECT id FROM journal.lesson WHERE lesson_date >= %s)", (student, on_date))
        conn.execute("DELETE FROM journal.mark x USING journal.lesson l WHERE l.id = x.lesson_id "
                     "AND x.student_id = %s AND l.lesson_date >= %s", (student, on_date))
        conn.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                     "order_no, reason) VALUES (%s, 'перевод', %s, %s, '15-к', 'по заявлению')",
                     (student, on_date, new_group))
        moved = conn.execute("SELECT group_id FROM journal.student WHERE person_id = %s",
                             (student,)).fetchone()[0]
    assert moved == new_group
    return Transfer(load_id, student, old_group, new_group, on_date, before, lessons[middle][0])


# Another teacher's load, so the curator's rights come from the group, not from teaching it.
CURATED_LOAD = """
SELECT t.id FROM journal.teaching_load t JOIN journal.study_group g ON g.id = t.group_id
 WHERE t.group_id = %s AND t.subgroup_id IS NULL AND t.teacher_id <> g.curator_id
   AND EXISTS (SELECT FROM journal.mark m WHERE m.load_id = t.id)
 ORDER BY (SELECT count(*) FROM journal.lesson l WHERE l.load_id = t.id) DESC, t.id LIMIT 1
"""


def transfer_from_group(demo: DemoDb, group_id: int) -> Transfer:
    """Transfer a student of a group (on the middle lesson of its busiest whole-group load
    taught by someone other than the group's curator)."""
    with demo.connect() as conn:
        load_id = conn.execute(CURATED_LOAD, (group_id,)).fetchone()[0]
    return transfer_student(demo, load_id)


def lesson_date(demo: DemoDb, lesson_id: int) -> date:
    """The date of a lesson."""
    with demo.connect() as conn:
        day: date = conn.execute("SELECT lesson_date FROM journal.lesson WHERE id = %s",
                                 (lesson_id,)).fetchone()[0]
    return day


def transferred_statement(demo: DemoDb) -> tuple[Transfer, int]:
    """A new statement of one of the demo teacher's loads (dated before the transfer) and a
    student of its group transferred out during the period; (the transfer, the statement)."""
    teacher = demo.log_in("преподаватель")
    with demo.connect() as conn:
        load = next(x for x in attestable_loads(teacher) if x.is_mine and x.form != "зачёт"
                    and conn.execute(PICK, (x.load_id,)).fetchone() is not None
                    and conn.execute("SELECT count(*) FROM journal.lesson WHERE load_id = %s",
                                     (x.load_id,)).fetchone()[0] >= 3)
    moved = transfer_student(demo, load.load_id)
    statement_id = create_statement(teacher, load.load_id, load.form,
                                    lesson_date(demo, moved.before), None)
    teacher.close()
    return moved, statement_id


def date_statement(demo: DemoDb, statement_id: int, day: date) -> None:
    """Move a statement to another date (as the superuser)."""
    with demo.connect() as conn:
        conn.execute("UPDATE journal.statement SET held_on = %s WHERE id = %s", (day, statement_id))
