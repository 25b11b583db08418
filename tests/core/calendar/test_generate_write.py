"""Writing the year's lessons in one plain INSERT (issue 13): every lesson gets its history row
with the lesson as written, and a lesson another session writes meanwhile is skipped, not
refused (the fallback to ON CONFLICT DO NOTHING)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from core.calendar.generate import plan_year, write_plan
from tests.core.calendar.college import College, build
from tests.security.conftest import connect_as

# One INSERT history row per lesson, naming the lesson, its load and the writer, with the
# lesson exactly as it is in the table.
HISTORY = """
SELECT l.id, count(c.id), bool_and(c.row_key = jsonb_build_object('id', l.id)),
       bool_and(c.new_value = to_jsonb(l)), bool_and(c.old_value IS NULL),
       bool_and(c.load_id = l.load_id), bool_and(c.student_id IS NULL), max(c.changed_by)
  FROM journal.lesson l
  LEFT JOIN journal.change_log c ON c.table_name = 'lesson' AND c.action = 'INSERT'
       AND (c.row_key ->> 'id')::int = l.id
 GROUP BY l.id ORDER BY l.id
"""


@pytest.fixture
def college(su: psycopg.Connection) -> College:
    return build(su)


def test_every_generated_lesson_has_its_history_row(su: psycopg.Connection, college: College,
                                                    sec_db: object) -> None:
    office = connect_as(sec_db, college.login["office"])  # type: ignore[arg-type]
    assert write_plan(office, plan_year(office, college.year.year_id)) == 9
    rows = su.execute(HISTORY).fetchall()
    assert len(rows) == 9
    assert {r[1:] for r in rows} == {(1, True, True, True, True, True, college.login["office"])}
    office.close()


def _waits_for_a_lock(su: psycopg.Connection, login: str) -> bool:
    """True once the person's session waits for a lock (here: the uncommitted lesson)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if su.execute("SELECT EXISTS (SELECT FROM pg_stat_activity WHERE usename = %s "
                      "AND wait_event_type = 'Lock')", (login,)).fetchone() == (True,):
            return True
        time.sleep(0.05)
    return False


def test_a_lesson_written_meanwhile_is_skipped(college: College, sec_db: object) -> None:
    office = connect_as(sec_db, college.login["office"])  # type: ignore[arg-type]
    other = sec_db.connect(autocommit=False)  # type: ignore[attr-defined]
    plan = plan_year(office, college.year.year_id)
    first = plan.new_lessons[0]
    # another session writes one of the planned lessons and has not committed yet: the plain
    # INSERT waits for it, then meets the unique key
    other.execute("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                  "VALUES (%s, %s, %s, %s)", (first.lesson.load_id, first.lesson.date,
                                              first.lesson.pair_no, first.taught_by))
    written: list[int | Exception] = []

    def write() -> None:
        try:
            written.append(write_plan(office, plan))
        except Exception as exc:  # the assertion below reports it
            written.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    with sec_db.connect() as su:  # type: ignore[attr-defined]
        assert _waits_for_a_lock(su, college.login["office"])
        other.commit()
        worker.join(30)
        assert written == [8]
        rows = su.execute(HISTORY).fetchall()
    assert len(rows) == 9
    assert {r[1:5] for r in rows} == {(1, True, True, True)}
    assert sorted(r[7] for r in rows).count(college.login["office"]) == 8
    other.close()
    office.close()
