"""The groups chosen for a printout, read in one round trip: the journal and the summary share it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from core.printouts.data_base import (
    LOADS,
    STUDENTS,
    GroupHeading,
    LoadRow,
    PeriodChoice,
    PrintContext,
    StudentRow,
    group_infos,
    load_rows,
    print_context,
    scope_args,
    student_rows,
)
from kernel.text import full_name

# Students now in another group who were in one of these during the period (a transfer,
# migration 0032): listed under the old group with the transfer date, their marks kept.
FORMER = """
SELECT x.* FROM (
  SELECT s.person_id, m.group_id, p.surname, p.name, p.patronymic, s.record_book_no,
         (SELECT min(o.on_date) FROM journal.student_movement o WHERE o.student_id = s.person_id
             AND o.group_id <> m.group_id AND o.on_date > m.last_in) AS left_on
    FROM (SELECT student_id, group_id, max(on_date) AS last_in FROM journal.student_movement
           WHERE group_id = ANY(%(groups)s) GROUP BY student_id, group_id) m
    JOIN journal.student s ON s.person_id = m.student_id AND s.group_id <> m.group_id
    JOIN journal.person p ON p.id = s.person_id
   WHERE m.last_in <= %(end)s) x
 WHERE x.left_on > %(start)s
"""


def former_rows(rows: Sequence[tuple[Any, ...]]) -> list[StudentRow]:
    """``FORMER`` rows as :class:`StudentRow` of the old group, the date beside the name."""
    return [StudentRow(sid, gid, None, f"{full_name(s, n, p)} (переведён(а) {left:%d.%m.%Y})", book)
            for sid, gid, s, n, p, book, left in rows]


@dataclass(frozen=True)
class Scope:
    """The college's settings, the groups the connection sees, their loads and students."""

    ctx: PrintContext
    infos: dict[int, GroupHeading]
    loads: list[LoadRow]
    students: list[StudentRow]


def read_scope(conn: psycopg.Connection, group_ids: Sequence[int], choice: PeriodChoice) -> Scope:
    """Read the groups' settings, loads and students (call it inside ``snapshot``)."""
    ctx = print_context(conn)
    args = scope_args(group_ids, choice)
    with conn.pipeline():
        cursors = [conn.execute(sql, args) for sql in (ctx.group_info_sql, LOADS, STUDENTS, FORMER)]
    info_rows, loads_rows, students_rows, former = (c.fetchall() for c in cursors)
    students = student_rows(students_rows)
    if former:      # in name order among the others (the database's order is kept otherwise)
        students = sorted(students + former_rows(former), key=lambda s: (s.name, s.id))
    return Scope(ctx, group_infos(info_rows), load_rows(loads_rows), students)
