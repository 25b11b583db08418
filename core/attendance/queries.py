"""SQL of a group's attendance by day: the rows one week of one group needs, in one round.

Everything is read through the person's own connection, so row-level security decides which
loads, lessons, students and attendance rows come back. Saving uses the journal page's
set-based ``save_attendance`` (:mod:`core.journal.queries`) unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from core.journal.queries import MOVEMENTS
from kernel.errors import AccessDenied
from kernel.text import short_name_sql

GROUPS = f"""
SELECT g.id, g.name,
       coalesce({short_name_sql('c')}, ''),
       coalesce(g.curator_id = %(me)s, false)
  FROM journal.study_group g
  LEFT JOIN journal.person c ON c.id = g.curator_id
 WHERE g.graduated_at IS NULL
 ORDER BY coalesce(g.curator_id = %(me)s, false) DESC, g.name
"""

# The group's loads in study periods that overlap the dates asked for.
LOADS = f"""
SELECT t.id, t.subgroup_id, coalesce(sg.name, ''), d.title, d.short_title,
       coalesce({short_name_sql('tp')}, ''),
       p.starts_on, p.ends_on, p.year_id, (p.closed_at IS NOT NULL OR y.archived_at IS NOT NULL)
  FROM journal.teaching_load t
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.academic_year y ON y.id = p.year_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
  LEFT JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE t.group_id = %(group)s AND p.starts_on <= %(last)s AND p.ends_on >= %(first)s
"""

SLOTS = """
SELECT s.load_id, s.weekday, s.pair_no, s.week_parity, s.room
  FROM journal.timetable_slot s
  JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.period p ON p.id = t.period_id
 WHERE t.group_id = %(group)s AND p.starts_on <= %(last)s AND p.ends_on >= %(first)s
"""

BREAKS = """
SELECT h.starts_on, h.ends_on, h.title
  FROM journal.holiday h
 WHERE h.starts_on <= %(last)s AND h.ends_on >= %(first)s
   AND h.year_id IN (SELECT y.id FROM journal.academic_year y
                      WHERE y.starts_on <= %(last)s AND y.ends_on >= %(first)s)
"""

BELLS = """
SELECT b.pair_no, b.starts_at, b.ends_at, b.hours
  FROM journal.bell b
  JOIN journal.academic_year y ON y.id = b.year_id
 WHERE y.starts_on <= %(first)s AND y.ends_on >= %(first)s
"""

LESSONS = f"""
SELECT l.id, l.load_id, l.lesson_date, l.pair_no, lt.short, l.hours, l.topic,
       coalesce({short_name_sql('tp', 1)}, ''), l.taught_by <> t.teacher_id
  FROM journal.lesson l
  JOIN journal.teaching_load t ON t.id = l.load_id
  JOIN journal.lesson_type lt ON lt.code = l.lesson_type
  LEFT JOIN journal.person tp ON tp.id = l.taught_by
 WHERE t.group_id = %(group)s AND l.lesson_date BETWEEN %(first)s AND %(last)s
"""

# Students now in another group who were in this one (a transfer, migration 0032) come too:
# the day lists them on the dates they studied here (core.people.study decides from the
# movements). Their subgroup here is not recorded (the card holds the new group's), so they
# are expected at the whole group's пары and at those of a subgroup load where they hold a
# mark or attendance (FORMER_LOADS).
STUDENTS = """
SELECT s.person_id, p.surname, p.name, p.patronymic, s.subgroup_id, coalesce(sg.name, ''),
       s.status, s.enrolled_on, s.left_on
  FROM journal.student s
  JOIN journal.person p ON p.id = s.person_id
  LEFT JOIN journal.subgroup sg ON sg.id = s.subgroup_id
 WHERE s.group_id = %(group)s
 UNION ALL
SELECT s.person_id, p.surname, p.name, p.patronymic, NULL, '', s.status, s.enrolled_on, s.left_on
  FROM journal.student s
  JOIN journal.person p ON p.id = s.person_id
 WHERE s.group_id <> %(group)s
   AND s.person_id IN (SELECT m.student_id FROM journal.student_movement m WHERE m.group_id = %(group)s)
 ORDER BY 2, 3, 4, 1
"""

FORMER_LOADS = """
SELECT x.student_id, x.load_id FROM journal.attendance x
  JOIN journal.teaching_load t ON t.id = x.load_id AND t.group_id = %(group)s AND t.subgroup_id IS NOT NULL
  JOIN journal.student s ON s.person_id = x.student_id AND s.group_id <> %(group)s
 UNION
SELECT x.student_id, x.load_id FROM journal.mark x
  JOIN journal.teaching_load t ON t.id = x.load_id AND t.group_id = %(group)s AND t.subgroup_id IS NOT NULL
  JOIN journal.student s ON s.person_id = x.student_id AND s.group_id <> %(group)s
"""

ATTENDANCE = """
SELECT a.student_id, a.lesson_id, a.code
  FROM journal.attendance a
  JOIN journal.lesson l ON l.id = a.lesson_id
  JOIN journal.teaching_load t ON t.id = l.load_id
 WHERE t.group_id = %(group)s AND l.lesson_date BETWEEN %(first)s AND %(last)s
"""

ATTENDANCE_OF = """
SELECT student_id, lesson_id, code FROM journal.attendance WHERE lesson_id = ANY(%(lessons)s)
"""


def read_groups(conn: psycopg.Connection, person_id: int) -> list[tuple[Any, ...]]:
    """Groups still studying that the person can see: their own first, then by name."""
    return conn.execute(GROUPS, {"me": person_id}).fetchall()


def read_range(conn: psycopg.Connection, group_id: int, first: date, last: date
               ) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the group's days from ``first`` to ``last`` need, in one pipeline."""
    args = {"group": group_id, "first": first, "last": last}
    queries = {"loads": LOADS, "slots": SLOTS, "breaks": BREAKS, "bells": BELLS,
               "lessons": LESSONS, "students": STUDENTS, "attendance": ATTENDANCE,
               "movements": MOVEMENTS, "former_loads": FORMER_LOADS}
    with conn.pipeline():
        cursors = {key: conn.execute(sql, args) for key, sql in queries.items()}
    return {key: cur.fetchall() for key, cur in cursors.items()}


def read_attendance(conn: psycopg.Connection, lesson_ids: list[int]) -> list[tuple[Any, ...]]:
    """Attendance rows of some lessons (to refresh an open day after a notification)."""
    if not lesson_ids:
        return []
    return conn.execute(ATTENDANCE_OF, {"lessons": lesson_ids}).fetchall()


INSERT_LESSON = """
INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, hours)
SELECT t.id, %(day)s, %(pair)s, t.teacher_id, %(hours)s
  FROM journal.teaching_load t WHERE t.id = %(load)s
ON CONFLICT (load_id, lesson_date, pair_no) DO NOTHING
RETURNING id
"""

FIND_LESSON = """
SELECT id FROM journal.lesson WHERE load_id = %(load)s AND lesson_date = %(day)s AND pair_no = %(pair)s
"""


def insert_lesson(conn: psycopg.Connection, load_id: int, day: date, pair_no: int, hours: int) -> int:
    """Create an empty lesson of a load (taught by the load's teacher); the existing one's id
    if it is already there."""
    args = {"load": load_id, "day": day, "pair": pair_no, "hours": hours}
    row = conn.execute(INSERT_LESSON, args).fetchone() or conn.execute(FIND_LESSON, args).fetchone()
    if row is None:
        raise AccessDenied("Урок не создан: нет прав на эту нагрузку.")
    return int(row[0])
