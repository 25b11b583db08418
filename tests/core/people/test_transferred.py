"""A student transferred to another group during the year stays on the old group's pages.

The regulation keeps the marks a student got in a group: after a transfer the old group's
journal page still lists them, greyed from the transfer date (with the date beside the name),
their earlier marks readable and later cells refused by the database (migration 0030); the
group's teachers keep the right to read that row (migration 0032). Checked from the teacher's
own PostgreSQL connection (raw SQL), through the page the program reads, and in the printed
journal.
"""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from core.journal.service import load_page
from core.people.study import Movement, left_group_on
from core.printouts.data import find_groups, load_journal, resolve_period
from tests.demo_fixture import DemoDb
from tests.transfer_fixture import transfer_student


def test_left_group_on_is_the_day_of_the_move_away() -> None:
    enrolled = Movement("зачисление", date(2025, 9, 1), 1)
    moved = Movement("перевод", date(2026, 11, 12), 2)
    assert left_group_on([enrolled, moved], 1) == date(2026, 11, 12)
    assert left_group_on([enrolled, moved], 2) is None          # studies there now
    assert left_group_on([enrolled], 1) is None                 # never left
    assert left_group_on([enrolled, moved], 3) is None          # never was in it
    back = Movement("перевод", date(2026, 12, 1), 1)
    assert left_group_on([enrolled, moved, back], 1) is None    # came back


def test_the_old_groups_teacher_reads_the_row_and_the_database_refuses_later_marks(
        demo_db: DemoDb) -> None:
    moved = transfer_student(demo_db)
    teacher = demo_db.log_in("преподаватель")
    with teacher.cursor() as cur:       # the teacher's own PostgreSQL role, plain SQL
        row = cur.execute("SELECT group_id FROM journal.student WHERE person_id = %s",
                          (moved.student_id,)).fetchone()
        assert row == (moved.new_group,)
        assert cur.execute("SELECT surname FROM journal.person WHERE id = %s",
                           (moved.student_id,)).fetchone() is not None
        kinds = [r[0] for r in cur.execute("SELECT kind FROM journal.student_movement "
                                           "WHERE student_id = %s ORDER BY on_date, id",
                                           (moved.student_id,)).fetchall()]
        assert kinds[-1] == "перевод"
        marks = cur.execute("SELECT count(*) FROM journal.mark m JOIN journal.lesson l "
                            "ON l.id = m.lesson_id WHERE m.load_id = %s AND m.student_id = %s "
                            "AND l.lesson_date < %s",
                            (moved.load_id, moved.student_id, moved.on_date)).fetchone()[0]
        assert marks > 0
    with pytest.raises(psycopg.errors.CheckViolation) as refused, teacher.cursor() as cur:
        cur.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                    "VALUES (%s, %s, %s, 'oral', '5')",
                    (moved.after, moved.load_id, moved.student_id))
    assert "переведён" in str(refused.value)
    with teacher.cursor() as cur:       # a correction before the transfer is still taken
        cur.execute("UPDATE journal.mark SET value = '4' WHERE id = (SELECT m.id FROM journal.mark m "
                    "JOIN journal.lesson l ON l.id = m.lesson_id WHERE m.load_id = %s "
                    "AND m.student_id = %s AND l.lesson_date < %s ORDER BY m.id LIMIT 1)",
                    (moved.load_id, moved.student_id, moved.on_date))
        assert cur.rowcount == 1
    teacher.close()


def test_a_parent_does_not_gain_the_student(demo_db: DemoDb) -> None:
    moved = transfer_student(demo_db)
    parent = demo_db.log_in("родитель")
    with parent.cursor() as cur:
        seen = cur.execute("SELECT count(*) FROM journal.student WHERE person_id = %s",
                           (moved.student_id,)).fetchone()[0]
        children = cur.execute("SELECT count(*) FROM journal.guardian WHERE student_id = %s",
                               (moved.student_id,)).fetchone()[0]
    assert seen == children     # a parent sees the student only as their own child
    parent.close()


def test_the_page_keeps_the_student_greyed_from_the_transfer(demo_db: DemoDb) -> None:
    moved = transfer_student(demo_db)
    teacher = demo_db.log_in("преподаватель")
    page = load_page(teacher, moved.load_id).page
    row = page.students[page.row_of[moved.student_id]]
    assert row.left_on == moved.on_date and row.subgroup is None
    assert page.away_sign(moved.student_id, moved.after) == "пер."
    assert page.away_sign(moved.student_id, moved.before) is None
    assert any(page.cell(moved.student_id, lesson.lesson_id).marks
               for lesson in page.lessons if lesson.date < moved.on_date)
    teacher.close()


def test_the_printed_journal_lists_the_student_with_the_transfer_date(demo_db: DemoDb) -> None:
    moved = transfer_student(demo_db)
    teacher = demo_db.log_in("преподаватель")
    with demo_db.connect() as conn:
        name = conn.execute("SELECT name FROM journal.study_group WHERE id = %s",
                            (moved.old_group,)).fetchone()[0]
        number = conn.execute("SELECT p.number FROM journal.teaching_load t JOIN journal.period p "
                              "ON p.id = t.period_id WHERE t.id = %s", (moved.load_id,)).fetchone()[0]
    conn = teacher.conn
    journal = load_journal(conn, find_groups(conn, [name])[0].id, resolve_period(conn, None, number))
    listed = [s.name for d in journal.disciplines for s in d.students if s.id == moved.student_id]
    assert listed and all(f"(переведён(а) {moved.on_date:%d.%m.%Y})" in n for n in listed)
    teacher.close()
