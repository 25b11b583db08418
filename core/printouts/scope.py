"""The groups chosen for a printout, read in one round trip: the journal and the summary share it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
        cursors = [conn.execute(sql, args) for sql in (ctx.group_info_sql, LOADS, STUDENTS)]
    info_rows, loads_rows, students_rows = (c.fetchall() for c in cursors)
    return Scope(ctx, group_infos(info_rows), load_rows(loads_rows), student_rows(students_rows))
