"""SQL of the journal page: read one load's page, save cell changes set-based.

Saving compares each change's old value with the row in the database and applies only the
changes whose old value still holds; the rest come back as conflicts with the value found,
so nothing typed silently overwrites another person's correction. One statement per table
(``unnest`` of arrays), because per-row round trips under row-level security cost ~9×.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from core.journal.load_sql import LOAD_NAMES

LOAD_INFO = f"""
SELECT t.id, t.period_id, t.group_id, t.subgroup_id, t.discipline_id, t.teacher_id,
       t.pass_fail, t.planned_hours, g.name, coalesce(sg.name, ''), d.title, p.title,
       p.starts_on, p.ends_on, (p.closed_at IS NOT NULL OR y.archived_at IS NOT NULL)
  FROM journal.teaching_load t{LOAD_NAMES}
 WHERE t.id = %(load)s
"""

# Names are read once, in PEOPLE: the policy on journal.person is the costliest to evaluate
# (the set of everyone the person may name), so the page asks it one question, not three.
# Students now in another group who were in this one (a transfer, migration 0032): kept on the
# page where they studied on one of its lessons or hold a mark or attendance of it; the
# whole-group loads only, unless they hold a mark or attendance (their subgroup is the new one).
STUDENTS = """
SELECT s.person_id, CASE WHEN s.group_id = %(group)s THEN sg.name END
  FROM journal.student s
  LEFT JOIN journal.subgroup sg ON sg.id = s.subgroup_id
 WHERE s.group_id = %(group)s
   AND (%(subgroup)s::int IS NULL OR s.subgroup_id = %(subgroup)s::int)
   AND (s.status IN ('обучается', 'академический отпуск')
        OR EXISTS (SELECT FROM journal.mark m WHERE m.load_id = %(load)s AND m.student_id = s.person_id))
 UNION ALL
SELECT s.person_id, NULL FROM journal.student s
 WHERE s.person_id IN (SELECT f.student_id FROM journal.student_movement f
                        JOIN journal.student n ON n.person_id = f.student_id
                       WHERE f.group_id = %(group)s AND n.group_id <> %(group)s)
   AND (EXISTS (SELECT FROM journal.mark m WHERE m.load_id = %(load)s AND m.student_id = s.person_id)
        OR EXISTS (SELECT FROM journal.attendance a WHERE a.load_id = %(load)s AND a.student_id = s.person_id)
        OR (%(subgroup)s::int IS NULL AND EXISTS (SELECT FROM journal.lesson l WHERE l.load_id = %(load)s
                AND journal.study_state(s.person_id, %(group)s, l.lesson_date) IS NULL)))
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
                         UNION SELECT m.student_id FROM journal.student_movement m
                          WHERE m.group_id = %(group)s
                         UNION SELECT l.taught_by FROM journal.lesson l WHERE l.load_id = %(load)s
                         UNION SELECT t.teacher_id FROM journal.teaching_load t
                          WHERE t.id = %(load)s))
"""

MARKS = """SELECT student_id, lesson_id, work_kind, value FROM journal.mark
            WHERE load_id = %(load)s ORDER BY id"""
ATTENDANCE = "SELECT student_id, lesson_id, code FROM journal.attendance WHERE load_id = %(load)s"
MOVEMENTS = """
SELECT m.student_id, m.kind, m.on_date, m.group_id, m.until_on
  FROM journal.student_movement m
 WHERE m.student_id IN (SELECT s.person_id FROM journal.student s WHERE s.group_id = %(group)s
                        UNION
                        SELECT f.student_id FROM journal.student_movement f WHERE f.group_id = %(group)s)
 ORDER BY m.student_id, m.on_date, m.id
"""

STATEMENT_MARKS = """
SELECT sm.student_id, sm.value, s.form, s.closed_at IS NOT NULL
  FROM journal.statement s JOIN journal.statement_mark sm ON sm.statement_id = s.id
 WHERE s.load_id = %(load)s
"""


# The whole page through one security-definer function that checks the caller's right once
# (migration 0077): one row per part, one array per column, zipped back into the rows of the
# statement the part stands for.
PAGE_ROWS = "SELECT * FROM journal.page_rows(%(load)s)"
_PARTS: dict[int, tuple[str, tuple[int, ...]]] = {
    # part: (key, columns: 1–7 i1–i7, 8–11 t1–t4, 12–13 d1–d2, 14–15 b1–b2)
    1: ("info", (1, 2, 3, 4, 5, 6, 14, 7, 8, 9, 10, 11, 12, 13, 15)),
    2: ("students", (1, 8)),
    3: ("lessons", (1, 12, 2, 8, 9, 3, 14, 10, 4)),
    4: ("people", (1, 8, 9, 10)),
    5: ("marks", (1, 2, 8, 9)),
    6: ("attendance", (1, 2, 8)),
    7: ("statement", (1, 8, 9, 14)),
    8: ("movements", (1, 8, 12, 2, 13)),
}


def read_page(conn: psycopg.Connection, load_id: int, *,
              whole: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row one page needs.

    With ``whole`` (staff reading all marks, a teacher: the EXECUTE of the function is
    granted to them only), one call of ``journal.page_rows``, which checks the right once.
    It returns nothing when the caller does not read the whole page under the policies (a
    substitute, a teacher whose load was handed over); then, without ``whole``, and when the
    call is refused on an autocommit connection (a role taken away during the session), the
    page is read by the statements above under row-level security, in one pipeline round.
    """
    if whole:
        try:
            found = conn.execute(PAGE_ROWS, {"load": load_id}).fetchall()
        except psycopg.errors.InsufficientPrivilege:
            if not conn.autocommit:    # the transaction is spoilt: the caller must know
                raise
            found = []                 # a role taken away during the session
        if found:
            return _page_parts(found)
    return _read_page_statements(conn, load_id)


def _page_parts(found: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    parts: dict[str, list[tuple[Any, ...]]] = {key: [] for key, _ in _PARTS.values()}
    for row in found:
        key, columns = _PARTS[row[0]]
        if row[1] is not None:
            parts[key] = list(zip(*(row[c] for c in columns), strict=True))
    return parts


def _read_page_statements(conn: psycopg.Connection, load_id: int) -> dict[str, list[tuple[Any, ...]]]:
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
# holds the new value is left alone ('same'); a change to a lesson or statement the person
# cannot see (deleted, or no right) is 'missing'; anything else not applied is a 'conflict'
# (its value is re-read afterwards by FOUND_*, in a statement that sees what other sessions
# committed meanwhile). The three tables differ only in their key columns, their value
# column and the row they hang on, so one builder writes all three statements.


@dataclass(frozen=True)
class _CellTable:
    """A table of cells saved by compare-and-set: its keys (column, parameter, type), its
    value column and the parent row (``lesson`` or ``statement``) a key points to."""

    table: str
    keys: tuple[tuple[str, str, str], ...]
    value: str
    parent: str

    @property
    def parent_key(self) -> str:
        return f"{self.parent}_id"

    def unnest(self, *extra: tuple[str, str, str]) -> str:
        columns = (*self.keys, *extra)
        arrays = ", ".join(f"%({param})s::{kind}[]" for _, param, kind in columns)
        return f"unnest({arrays}) AS t({', '.join(name for name, _, _ in columns)})"

    def match(self, row: str, other: str) -> str:
        return " AND ".join(f"{row}.{name} = {other}.{name}" for name, _, _ in self.keys)


def _save_sql(t: _CellTable) -> str:
    names = [name for name, _, _ in t.keys]
    values = [f"ok.{name}" for name in names]
    if t.parent == "lesson":  # a lesson's cell also carries the lesson's load
        names.insert(1, "load_id")
        values.insert(1, "p.load_id")
    keys = ", ".join(name for name, _, _ in t.keys)
    changes = t.unnest(("old", "old", "text"), ("new", "new", "text"), ("n", "n", "int"),
                       ("typed_at", "at", "timestamptz"))
    return f"""
WITH i AS (
    SELECT * FROM {changes}
), cur AS (
    SELECT i.*, x.{t.value} AS current, x.student_id IS NOT NULL AS present_row
      FROM i LEFT JOIN journal.{t.table} x USING ({keys})
), ok AS (
    SELECT * FROM cur WHERE current IS NOT DISTINCT FROM old AND current IS DISTINCT FROM new
), del AS (
    DELETE FROM journal.{t.table} x USING ok
     WHERE {t.match("x", "ok")} AND ok.new IS NULL AND x.{t.value} = ok.old
    RETURNING ok.n
), upd AS (
    UPDATE journal.{t.table} x SET {t.value} = ok.new, typed_at = least(ok.typed_at, now()) FROM ok
     WHERE {t.match("x", "ok")} AND ok.new IS NOT NULL AND x.{t.value} = ok.old
    RETURNING ok.n
), ins AS (
    INSERT INTO journal.{t.table} ({", ".join(names)}, {t.value}, typed_at)
    SELECT {", ".join(values)}, ok.new, least(ok.typed_at, now())
      FROM ok JOIN journal.{t.parent} p ON p.id = ok.{t.parent_key}
     WHERE NOT ok.present_row AND ok.new IS NOT NULL
    ON CONFLICT ({keys}) DO NOTHING
    RETURNING {keys}
)
SELECT cur.n,
       CASE WHEN cur.current IS NOT DISTINCT FROM cur.new THEN 'same'
            WHEN cur.n IN (SELECT n FROM del UNION ALL SELECT n FROM upd)
              OR EXISTS (SELECT FROM ins WHERE {t.match("ins", "cur")})
            THEN 'applied'
            WHEN NOT EXISTS (SELECT FROM journal.{t.parent} p WHERE p.id = cur.{t.parent_key})
            THEN 'missing'
            ELSE 'conflict' END
  FROM cur
"""


def _found_sql(t: _CellTable) -> str:
    names = ", ".join(name for name, _, _ in t.keys)
    return f"""
SELECT t.n, x.{t.value}
  FROM {t.unnest(("n", "n", "int"))}
  LEFT JOIN journal.{t.table} x USING ({names})
"""


_LESSON, _STUDENT = ("lesson_id", "lesson", "int"), ("student_id", "student", "bigint")
_MARK = _CellTable("mark", (_LESSON, _STUDENT, ("work_kind", "kind", "text")), "value", "lesson")
_ATTENDANCE = _CellTable("attendance", (_LESSON, _STUDENT), "code", "lesson")
# Statement marks (R6), by the same rules as the page's cells.
_STATEMENT_MARK = _CellTable("statement_mark", (("statement_id", "statement", "int"), _STUDENT),
                             "value", "statement")

SAVE_MARKS = _save_sql(_MARK)
SAVE_ATTENDANCE = _save_sql(_ATTENDANCE)
SAVE_STATEMENT_MARKS = _save_sql(_STATEMENT_MARK)
FOUND_MARKS = _found_sql(_MARK)
FOUND_ATTENDANCE = _found_sql(_ATTENDANCE)
FOUND_STATEMENT_MARKS = _found_sql(_STATEMENT_MARK)


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
