"""The journal of a group as printed (R1, R22): disciplines, lessons and their cells.

The data of ``printing/journal.py``, filled by ``core.printouts.journal``; students are
``core.printouts.forms.Student`` keyed by their ``id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from core.calendar.lessons import hours_planned_vs_held
from core.grading.performance import format_percent
from core.printouts.forms import College, Student, month_title
from kernel.marks import Attendance, MarkValue


@dataclass(frozen=True)
class JournalCell:
    """One student at one lesson: attendance (None: present or not taken) and marks."""

    attendance: Attendance | None = None
    marks: tuple[MarkValue, ...] = ()

    @property
    def text(self) -> str:
        """How the cell is drawn: «5/4», «НН», «НУ», «з»; empty when present without marks."""
        parts = ["/".join(m.short for m in self.marks)] if self.marks else []
        if self.attendance is not None and self.attendance.is_absent:
            parts.insert(0, self.attendance.value)
        return " ".join(parts)


@dataclass(frozen=True)
class JournalLesson:
    """One lesson (пара) as written in the journal (R3, R5, R17).

    Attributes:
        day: Date of the lesson.
        hours: Academic hours of the lesson (usually 2).
        topic: Topic from the КТП.
        kind: Lesson type («теория», «практическое занятие», «лабораторная работа», …).
        homework: Homework as written by the teacher.
        teacher: Who taught it («Фамилия И. О.»).
        substitute_for: When a substitute taught, the teacher of the load they replaced.
        cells: Attendance and marks by ``Student.id``; missing students have empty cells.
    """

    day: date
    hours: int
    topic: str
    teacher: str
    kind: str = ""
    homework: str = ""
    substitute_for: str = ""
    cells: Mapping[int, JournalCell] = field(default_factory=dict)

    def cell(self, student_id: int) -> JournalCell:
        """The cell of one student, empty when nothing was recorded."""
        return self.cells.get(student_id, JournalCell())


@dataclass(frozen=True)
class DisciplineJournal:
    """The pages of one discipline in the group's journal.

    Attributes:
        discipline: Name with its code («ОУД.04 Математика»).
        teacher: Teacher(s) of the load («Фамилия И. О.»).
        students: Students in journal order (a subgroup lists only its own).
        lessons: Lessons in date order.
        finals: Final mark of the period by ``Student.id`` as text («4», «зачёт», «н/а»).
        planned: Hours the load plans, printed beside the hours held (R11).
    """

    discipline: str
    teacher: str
    students: tuple[Student, ...]
    lessons: tuple[JournalLesson, ...]
    finals: Mapping[int, str] = field(default_factory=dict)
    planned: int = 0
    """Hours the load plans (R11); 0 when unknown."""

    def months(self) -> list[tuple[str, list[JournalLesson]]]:
        """Lessons grouped by month, titled «Сентябрь 2024», in date order."""
        ordered = sorted(self.lessons, key=lambda lesson: lesson.day)
        return [(month_title(y, m), list(group)) for (y, m), group in
                groupby(ordered, key=lambda lesson: (lesson.day.year, lesson.day.month))]

    @property
    def hours(self) -> int:
        """Hours held (sum over the lessons)."""
        return sum(lesson.hours for lesson in self.lessons)

    @property
    def held_text(self) -> str:
        """«Всего проведено занятий: 30, часов: 60 из 72 по плану (83,3 %).»"""
        text = f"Всего проведено занятий: {len(self.lessons)}, часов: {self.hours}"
        if self.planned:
            done = hours_planned_vs_held(self.planned, self.hours, hours_per_lesson=1)
            return f"{text} из {self.planned} по плану ({format_percent(done.share)})."
        return text + "."


@dataclass(frozen=True)
class GroupJournal:
    """The journal of one group for a semester or a year (R22).

    Attributes:
        college: Issuer and certifier.
        group: Group name («СЭЗ-21»).
        period: «2024/2025 учебный год» or «1 семестр 2024/2025 учебного года».
        disciplines: One entry per discipline (and subgroup) of the period.
        specialty: Specialty or profession with its code.
        curator: The group's curator («Фамилия И. О.»).
    """

    college: College
    group: str
    period: str
    disciplines: tuple[DisciplineJournal, ...]
    specialty: str = ""
    curator: str = ""
