"""The journal of a group for a semester or the year, as printed for the archive (R1, R22).

One discipline journal per teaching load of the group: the lessons with their date, hours,
topic, homework and who taught them (a substitute with the load's teacher, R17), each
student's attendance and marks, and the final marks (R7). Seven queries per call, however
many loads, lessons and students.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from core.journal.lesson_record import homework_text
from core.printouts.data_base import (
    FIXED_FINALS,
    STATEMENT_MARKS,
    Attested,
    LoadRow,
    PeriodChoice,
    PrintContext,
    StudentRow,
    snapshot,
    students_of,
)
from core.printouts.form_journal import DisciplineJournal, GroupJournal, JournalCell, JournalLesson
from core.printouts.forms import Student
from core.printouts.scope import read_scope
from kernel.errors import AccessDenied
from kernel.marks import Attendance, MarkValue
from kernel.text import short_name

LESSONS = """
SELECT l.id, l.load_id, l.lesson_date, l.hours, l.topic, lt.title, l.homework,
       l.homework_pages, l.homework_tasks, l.homework_practical, l.taught_by,
       tb.surname, tb.name, tb.patronymic
  FROM journal.lesson l
  JOIN journal.lesson_type lt ON lt.code = l.lesson_type
  LEFT JOIN journal.person tb ON tb.id = l.taught_by
 WHERE l.load_id = ANY(%(loads)s)
 ORDER BY l.lesson_date, l.pair_no, l.id
"""
MARKS = """
SELECT lesson_id, student_id, value FROM journal.mark WHERE load_id = ANY(%(loads)s) ORDER BY id
"""
ABSENCES = """
SELECT lesson_id, student_id, code FROM journal.attendance
 WHERE load_id = ANY(%(loads)s) AND code <> 'П'
"""


@dataclass
class _Cells:
    """Marks and absences of the loads read, by (lesson, student)."""

    marks: dict[tuple[int, int], list[MarkValue]] = field(default_factory=dict)
    absences: dict[tuple[int, int], Attendance] = field(default_factory=dict)

    def cell(self, lesson: int, student: int) -> JournalCell | None:
        marks = self.marks.get((lesson, student))
        absence = self.absences.get((lesson, student))
        if marks is None and absence is None:
            return None
        return JournalCell(absence, tuple(marks or ()))


def _cells(mark_rows: Sequence[tuple[Any, ...]], absence_rows: Sequence[tuple[Any, ...]]) -> _Cells:
    cells = _Cells()
    for lesson, student, value in mark_rows:
        cells.marks.setdefault((lesson, student), []).append(MarkValue(value))
    for lesson, student, code in absence_rows:
        cells.absences[(lesson, student)] = Attendance(code)
    return cells


def _lessons(load: LoadRow, rows: Sequence[tuple[Any, ...]], students: Sequence[StudentRow],
             cells: _Cells) -> list[tuple[int, JournalLesson]]:
    """(lesson id, lesson) of one load in date order, each with its students' cells."""
    lessons = []
    for lid, _load, day, hours, topic, kind, hw, pages, tasks, practical, taught_by, *who in rows:
        substitute = taught_by != load.teacher_id
        found = ((s.id, cells.cell(lid, s.id)) for s in students)
        lessons.append((lid, JournalLesson(
            day=day, hours=hours, topic=topic, teacher=short_name(*who), kind=kind,
            homework=homework_text(hw, pages, tasks, practical),
            substitute_for=(load.teacher or "—") if substitute else "",
            cells={sid: cell for sid, cell in found if cell is not None})))
    return lessons


def build_discipline(ctx: PrintContext, load: LoadRow, with_period: bool,
                     lesson_rows: Sequence[tuple[Any, ...]], students: Sequence[StudentRow],
                     cells: _Cells, attested: Attested) -> DisciplineJournal:
    """One load's pages: students, lessons with cells, and final marks."""
    mine = students_of(load, students)
    lessons = _lessons(load, lesson_rows, mine, cells)
    finals = {}
    for student in mine:
        marks = [m for lid, _ in lessons for m in cells.marks.get((lid, student.id), ())]
        text = attested.final(load, student.id, marks, ctx.rule)
        if text:
            finals[student.id] = text
    return DisciplineJournal(
        load.title(with_period), load.teacher,
        tuple(Student(s.id, s.name, s.record_book) for s in mine),
        tuple(lesson for _, lesson in lessons), finals, load.planned)


def load_journal(conn: psycopg.Connection, group_id: int, choice: PeriodChoice) -> GroupJournal:
    """The journal of one group for the chosen semester or year.

    Only the loads the connection may read appear (a teacher sees their own disciplines).

    Raises:
        AccessDenied: the group is not visible to the connection.
    """
    with snapshot(conn):
        scope = read_scope(conn, [group_id], choice)
        ctx, loads = scope.ctx, scope.loads
        by_load = {"loads": [x.id for x in loads], "student": None}
        with conn.pipeline():
            cursors = [conn.execute(sql, by_load) for sql in (LESSONS, MARKS, ABSENCES,
                                                              STATEMENT_MARKS, FIXED_FINALS)]
        lesson_rows, mark_rows, absence_rows, statement_rows, fixed_rows = (
            c.fetchall() for c in cursors)
    if group_id not in scope.infos:
        raise AccessDenied("Группа не найдена или её журнал недоступен.")
    info = scope.infos[group_id]
    students = scope.students
    cells = _cells(mark_rows, absence_rows)
    attested = Attested.of(statement_rows, fixed_rows)
    lessons_of: dict[int, list[tuple[Any, ...]]] = {x.id: [] for x in loads}
    for row in lesson_rows:
        lessons_of[row[1]].append(row)
    disciplines = tuple(build_discipline(ctx, x, choice.is_year, lessons_of[x.id], students, cells,
                                         attested) for x in loads)
    return GroupJournal(ctx.college, info.name, choice.label, disciplines, info.specialty,
                        info.curator)
