"""A student transferred out of the curator's group on the curator's day (issue 11).

On a date before the transfer the old group's day lists the student as any other (their
attendance typed and corrected); on a date after it the student is not listed (they study in
another group; that group's curator marks them) and the database refuses their attendance.
Checked from the curator's own PostgreSQL connection (raw SQL) and through the day the
program reads.
"""

from __future__ import annotations

import psycopg
import pytest

from core.attendance.load import load_day
from tests.curator_fixture import curator_group
from tests.demo_fixture import DemoDb
from tests.transfer_fixture import lesson_date, transfer_from_group

INSERT = ("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
          "VALUES (%s, %s, %s, %s)")


def test_the_curator_marks_the_student_before_the_transfer_and_not_after(demo_db: DemoDb) -> None:
    curator = demo_db.log_in("куратор")
    moved = transfer_from_group(demo_db, curator_group(curator).group_id)
    with demo_db.connect() as conn:
        conn.execute("DELETE FROM journal.attendance WHERE lesson_id = %s AND student_id = %s",
                     (moved.before, moved.student_id))
    with curator.cursor() as cur:       # the curator's own PostgreSQL role, plain SQL
        assert cur.execute("SELECT group_id FROM journal.student WHERE person_id = %s",
                           (moved.student_id,)).fetchone() == (moved.new_group,)
        cur.execute(INSERT, (moved.before, moved.load_id, moved.student_id, "НН"))
        cur.execute("UPDATE journal.attendance SET code = 'НУ' WHERE lesson_id = %s "
                    "AND student_id = %s", (moved.before, moved.student_id))
        assert cur.rowcount == 1        # a correction before the transfer is taken
    with pytest.raises(psycopg.errors.CheckViolation) as refused, curator.cursor() as cur:
        cur.execute(INSERT, (moved.after, moved.load_id, moved.student_id, "П"))
    assert "переведён" in str(refused.value)
    curator.close()


def test_the_day_lists_the_student_only_while_they_studied_in_the_group(demo_db: DemoDb) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    moved = transfer_from_group(demo_db, group.group_id)
    before = load_day(curator, group, lesson_date(demo_db, moved.before))
    assert moved.student_id in before.page.row_of
    assert before.expected(moved.student_id, moved.before)
    assert before.page.away_sign(moved.student_id, moved.before) is None
    after = load_day(curator, group, moved.on_date)
    assert moved.student_id not in after.page.row_of
    assert not any(after.expected(moved.student_id, p.key) for p in after.pairs)
    assert after.page.students          # the others are still there
    curator.close()


def test_the_student_is_expected_at_the_subgroup_they_studied_in(demo_db: DemoDb) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    moved = transfer_from_group(demo_db, group.group_id)
    with demo_db.connect() as conn:
        day, lesson = conn.execute(
            "SELECT l.lesson_date, l.id FROM journal.attendance a JOIN journal.lesson l "
            "ON l.id = a.lesson_id JOIN journal.teaching_load t ON t.id = l.load_id "
            "WHERE a.student_id = %s AND t.subgroup_id IS NOT NULL AND l.lesson_date < %s "
            "ORDER BY l.lesson_date DESC LIMIT 1", (moved.student_id, moved.on_date)).fetchone()
    data = load_day(curator, group, day)
    own = data.pair(lesson)
    assert data.expected(moved.student_id, lesson)
    others = [p for p in data.pairs if p.subgroup_id not in (None, own.subgroup_id)
              and p.pair_no == own.pair_no]
    assert all(not data.expected(moved.student_id, p.key) for p in others)
    curator.close()
