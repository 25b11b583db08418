"""SQL of the journal page: read one load's page, save cell changes set-based.

Saving compares each change's old value with the row in the database and applies only the
changes whose old value still holds; the rest come back as conflicts with the value found,
so nothing typed silently overwrites another person's correction. One statement per table
(``unnest`` of arrays), because per-row round trips under row-level security cost ~9×.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

LOAD_INFO = """
SELECT t.id, t.period_id, t.group_id, t.subgroup_id, t.discipline_id, t.teacher_id,
       t.pass_fail, t.planned_hours, g.name, coalesce(sg.name, ''), d.title, p.title,
       p.starts_on, p.ends_on, (p.closed_at IS NOT NULL OR y.archived_at IS NOT NULL)
  FROM journal.teaching_load t
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.academic_year y ON y.id = p.year_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE t.id = %(load)s
"""

# Names are read once, in PEOPLE: the policy on journal.person is the costliest to evaluate
# (the set of everyone the person may name), so the page asks it one question, not three.
STUDENTS = """
SELECT s.person_id, sg.name
  FROM journal.student s
  LEFT JOIN journal.subgroup sg ON sg.id = s.subgroup_id
 WHERE s.group_id = %(group)s
   AND (%(subgroup)s::int IS NULL OR s.subgroup_id = %(subgroup)s::int)
   AND (s.status IN ('обучается', 'академический отпуск')
        OR EXISTS (SELECT FROM journal.mark m WHERE m.load_id = %(load)s AND m.student_id = s.person_id))
"""

LESSONS = """
SELECT l.id, l.lesson_date, l.pair_no, lt.short, l.topic, l.taught_by,
       l.taught_by <> t.teacher_id, l.work_kind, l.hours
  FROM journal.lesson l
  JOIN journal.teaching_load t ON t.id = l.load_id
  JOIN journal.lesson_type lt ON lt.code = l.lesson_type
 WHERE l.load_id = %(load)s
 ORDER BY l.lesson_date, l.pair_no
"""

# The ids first, as an array the primary key is searched with: joined instead, the planner
# scanned every person and evaluated the policy's ANY(array) tests on each (4.3 ms against
# 2.0 ms as a teacher on the college demo; bench/journal_page.py, docs/performance.md).
PEOPLE = """
SELECT p.id, p.surname, p.name, p.patronymic
  FROM journal.person p
 WHERE p.id = ANY (ARRAY(SELECT s.person_id FROM journal.student s WHERE s.group_id = %(group)s
                         UNION SELECT l.taught_by FROM journal.lesson l WHERE l.load_id = %(load)s
                         UNION SELECT t.teacher_id FROM journal.teaching_load t
                          WHERE t.id = %(load)s))
"""

MARKS = """SELECT student_id, lesson_id, work_kind, value FROM journal.mark
            WHERE load_id = %(load)s ORDER BY id"""
ATTENDANCE = "SELECT student_id, lesson_id, code FROM journal.attendance WHERE load_id = %(load)s"
MOVEMENTS = """
SELECT m.student_id, m.kind, m.on_date, m.group_id, m.until_on
  FROM journal.student_movement m JOIN journal.student s ON s.person_id = m.student_id
 WHERE s.group_id = %(group)s
 ORDER BY m.student_id, m.on_date, m.id
"""

STATEMENT_MARKS = """
SELECT sm.student_id, sm.value, s.form, s.closed_at IS NOT NULL
  FROM journal.statement s JOIN journal.statement_mark sm ON sm.statement_id = s.id
 WHERE s.load_id = %(load)s
"""


def read_page(conn: psycopg.Connection, load_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row one page needs, read in a single pipeline round of queries."""
    args = {"load": load_id}
    info = conn.execute(LOAD_INFO, args).fetchall()
    if not info:
        return {"info": []}
    group, subgroup = info[0][2], info[0][3]
    page_args = {"load": load_id, "group": group, "subgroup": subgroup}
    with conn.pipeline():
        cursors = {
            "students": conn.execute(STUDENTS, page_args),
            "lessons": conn.execute(LESSONS, args),
            "people": conn.execute(PEOPLE, page_args),
            "marks": conn.execute(MARKS, args),
            "attendance": conn.execute(ATTENDANCE, args),
            "statement": conn.execute(STATEMENT_MARKS, args),
            "movements": conn.execute(MOVEMENTS, page_args),
        }
    return {"info": info, **{key: cur.fetchall() for key, cur in cursors.items()}}


def read_cells(conn: psycopg.Connection, load_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Marks and attendance of one load (to refresh an open page after a notification)."""
    args = {"load": load_id}
    with conn.pipeline():
        marks = conn.execute(MARKS, args)
        attendance = conn.execute(ATTENDANCE, args)
    return {"marks": marks.fetchall(), "attendance": attendance.fetchall()}


# Each change is applied only when the cell still holds its old value; a cell that already
# holds the new value is left alone ('same'); a lesson the person cannot see (deleted, or no
# right) is 'missing'; anything else not applied is a 'conflict' (its value is re-read
# afterwards by FOUND_*, in a statement that sees what other sessions committed meanwhile).
SAVE_MARKS = """
WITH i AS (
    SELECT * FROM unnest(%(lesson)s::int[], %(student)s::bigint[], %(kind)s::text[],
                         %(old)s::text[], %(new)s::text[], %(n)s::int[], %(at)s::timestamptz[])
           AS t(lesson_id, student_id, work_kind, old, new, n, typed_at)
), cur AS (
    SELECT i.*, m.id AS mark_id, m.value AS current
      FROM i LEFT JOIN journal.mark m USING (lesson_id, student_id, work_kind)
), ok AS (
    SELECT * FROM cur WHERE current IS NOT DISTINCT FROM old AND current IS DISTINCT FROM new
), del AS (
    DELETE FROM journal.mark m USING ok
     WHERE m.id = ok.mark_id AND ok.new IS NULL AND m.value = ok.old
    RETURNING ok.n
), upd AS (
    UPDATE journal.mark m SET value = ok.new, typed_at = least(ok.typed_at, now()) FROM ok
     WHERE m.id = ok.mark_id AND ok.new IS NOT NULL AND m.value = ok.old
    RETURNING ok.n
), ins AS (
    INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value, typed_at)
    SELECT ok.lesson_id, l.load_id, ok.student_id, ok.work_kind, ok.new, least(ok.typed_at, now())
      FROM ok JOIN journal.lesson l ON l.id = ok.lesson_id
     WHERE ok.mark_id IS NULL AND ok.new IS NOT NULL
    ON CONFLICT (lesson_id, student_id, work_kind) DO NOTHING
    RETURNING lesson_id, student_id, work_kind
)
SELECT cur.n,
       CASE WHEN cur.current IS NOT DISTINCT FROM cur.new THEN 'same'
            WHEN cur.n IN (SELECT n FROM del UNION ALL SELECT n FROM upd)
              OR EXISTS (SELECT FROM ins WHERE ins.lesson_id = cur.lesson_id
                         AND ins.student_id = cur.student_id AND ins.work_kind = cur.work_kind)
            THEN 'applied'
            WHEN NOT EXISTS (SELECT FROM journal.lesson l WHERE l.id = cur.lesson_id) THEN 'missing'
            ELSE 'conflict' END
  FROM cur
"""

SAVE_ATTENDANCE = """
WITH i AS (
    SELECT * FROM unnest(%(lesson)s::int[], %(student)s::bigint[], %(old)s::text[],
                         %(new)s::text[], %(n)s::int[], %(at)s::timestamptz[])
           AS t(lesson_id, student_id, old, new, n, typed_at)
), cur AS (
    SELECT i.*, a.code AS current, a.lesson_id IS NOT NULL AS present_row
      FROM i LEFT JOIN journal.attendance a USING (lesson_id, student_id)
), ok AS (
    SELECT * FROM cur WHERE current IS NOT DISTINCT FROM old AND current IS DISTINCT FROM new
), del AS (
    DELETE FROM journal.attendance a USING ok
     WHERE a.lesson_id = ok.lesson_id AND a.student_id = ok.student_id
       AND ok.new IS NULL AND a.code = ok.old
    RETURNING ok.n
), upd AS (
    UPDATE journal.attendance a SET code = ok.new, typed_at = least(ok.typed_at, now()) FROM ok
     WHERE a.lesson_id = ok.lesson_id AND a.student_id = ok.student_id
       AND ok.new IS NOT NULL AND a.code = ok.old
    RETURNING ok.n
), ins AS (
    INSERT INTO journal.attendance (lesson_id, load_id, student_id, code, typed_at)
    SELECT ok.lesson_id, l.load_id, ok.student_id, ok.new, least(ok.typed_at, now())
      FROM ok JOIN journal.lesson l ON l.id = ok.lesson_id
     WHERE NOT ok.present_row AND ok.new IS NOT NULL
    ON CONFLICT (lesson_id, student_id) DO NOTHING
    RETURNING lesson_id, student_id
)
SELECT cur.n,
       CASE WHEN cur.current IS NOT DISTINCT FROM cur.new THEN 'same'
            WHEN cur.n IN (SELECT n FROM del UNION ALL SELECT n FROM upd)
              OR EXISTS (SELECT FROM ins WHERE ins.lesson_id = cur.lesson_id
                         AND ins.student_id = cur.student_id)
            THEN 'applied'
            WHEN NOT EXISTS (SELECT FROM journal.lesson l WHERE l.id = cur.lesson_id) THEN 'missing'
            ELSE 'conflict' END
  FROM cur
"""

FOUND_MARKS = """
SELECT t.n, m.value
  FROM unnest(%(lesson)s::int[], %(student)s::bigint[], %(kind)s::text[], %(n)s::int[])
       AS t(lesson_id, student_id, work_kind, n)
  LEFT JOIN journal.mark m USING (lesson_id, student_id, work_kind)
"""

FOUND_ATTENDANCE = """
SELECT t.n, a.code
  FROM unnest(%(lesson)s::int[], %(student)s::bigint[], %(n)s::int[]) AS t(lesson_id, student_id, n)
  LEFT JOIN journal.attendance a USING (lesson_id, student_id)
"""

# Statement marks (R6), by the same rules as the page's cells; a statement the person cannot
# see (deleted, or no right) is 'missing'.
SAVE_STATEMENT_MARKS = """
WITH i AS (
    SELECT * FROM unnest(%(statement)s::int[], %(student)s::bigint[], %(old)s::text[],
                         %(new)s::text[], %(n)s::int[], %(at)s::timestamptz[])
           AS t(statement_id, student_id, old, new, n, typed_at)
), cur AS (
    SELECT i.*, sm.value AS current, sm.student_id IS NOT NULL AS present_row,
           EXISTS (SELECT FROM journal.statement s WHERE s.id = i.statement_id) AS statement_found
      FROM i LEFT JOIN journal.statement_mark sm USING (statement_id, student_id)
), ok AS (
    SELECT * FROM cur WHERE current IS NOT DISTINCT FROM old AND current IS DISTINCT FROM new
), del AS (
    DELETE FROM journal.statement_mark sm USING ok
     WHERE sm.statement_id = ok.statement_id AND sm.student_id = ok.student_id
       AND ok.new IS NULL AND sm.value = ok.old
    RETURNING ok.n
), upd AS (
    UPDATE journal.statement_mark sm SET value = ok.new, typed_at = least(ok.typed_at, now()) FROM ok
     WHERE sm.statement_id = ok.statement_id AND sm.student_id = ok.student_id
       AND ok.new IS NOT NULL AND sm.value = ok.old
    RETURNING ok.n
), ins AS (
    INSERT INTO journal.statement_mark (statement_id, student_id, value, typed_at)
    SELECT ok.statement_id, ok.student_id, ok.new, least(ok.typed_at, now()) FROM ok
     WHERE NOT ok.present_row AND ok.new IS NOT NULL AND ok.statement_found
    ON CONFLICT (statement_id, student_id) DO NOTHING
    RETURNING statement_id, student_id
)
SELECT cur.n,
       CASE WHEN cur.current IS NOT DISTINCT FROM cur.new THEN 'same'
            WHEN NOT cur.statement_found THEN 'missing'
            WHEN cur.n IN (SELECT n FROM del UNION ALL SELECT n FROM upd)
              OR EXISTS (SELECT FROM ins WHERE ins.statement_id = cur.statement_id
                         AND ins.student_id = cur.student_id)
            THEN 'applied' ELSE 'conflict' END
  FROM cur
"""

FOUND_STATEMENT_MARKS = """
SELECT t.n, sm.value
  FROM unnest(%(statement)s::int[], %(student)s::bigint[], %(n)s::int[]) AS t(statement_id, student_id, n)
  LEFT JOIN journal.statement_mark sm USING (statement_id, student_id)
"""


MARK_COLUMNS = ("lesson", "student", "kind", "old", "new", "n", "at")
"""A mark change row: lesson, student, kind of work, old, new, n, typed at."""
ATTENDANCE_COLUMNS = ("lesson", "student", "old", "new", "n", "at")
STATEMENT_COLUMNS = ("statement", "student", "old", "new", "n", "at")


def _arrays(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, list[Any]]:
    return {name: list(column) for name, column in zip(names, zip(*rows, strict=True), strict=True)}


def _statuses(conn: psycopg.Connection, sql: str, names: Sequence[str],
              rows: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    if not rows:
        return []
    return [(n, status) for n, status in conn.execute(sql, _arrays(names, rows)).fetchall()]


def _found(conn: psycopg.Connection, sql: str, names: Sequence[str],
           rows: Sequence[Sequence[Any]]) -> dict[int, str | None]:
    if not rows:
        return {}
    return dict(conn.execute(sql, _arrays(names, rows)).fetchall())


def save_marks(conn: psycopg.Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """Apply mark changes (:data:`MARK_COLUMNS`) set-based; return (n, 'applied' | 'same' |
    'missing' | 'conflict')."""
    return _statuses(conn, SAVE_MARKS, MARK_COLUMNS, rows)


def save_attendance(conn: psycopg.Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """Apply attendance changes (:data:`ATTENDANCE_COLUMNS`); return (n, status)."""
    return _statuses(conn, SAVE_ATTENDANCE, ATTENDANCE_COLUMNS, rows)


def save_statement_marks(conn: psycopg.Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """Apply statement mark changes (:data:`STATEMENT_COLUMNS`); return (n, status)."""
    return _statuses(conn, SAVE_STATEMENT_MARKS, STATEMENT_COLUMNS, rows)


def found_marks(conn: psycopg.Connection, rows: Sequence[Sequence[Any]]) -> dict[int, str | None]:
    """The marks the database holds now for these rows, by n."""
    return _found(conn, FOUND_MARKS, MARK_COLUMNS, rows)


def found_attendance(conn: psycopg.Connection, rows: Sequence[Sequence[Any]]) -> dict[int, str | None]:
    """The attendance the database holds now for these rows, by n."""
    return _found(conn, FOUND_ATTENDANCE, ATTENDANCE_COLUMNS, rows)


def found_statement_marks(conn: psycopg.Connection, rows: Sequence[Sequence[Any]]) -> dict[int, str | None]:
    """The statement marks the database holds now for these rows, by n."""
    return _found(conn, FOUND_STATEMENT_MARKS, STATEMENT_COLUMNS, rows)
