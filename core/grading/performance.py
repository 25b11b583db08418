"""Performance and attendance figures for the office's reports (R8, regulation 3.8, 5.2).

Performance of a set of students from their final (or statement) marks:

* average mark — the mean of all numeric marks (2–5) of the set;
* абсолютная успеваемость — the share of students without a failing mark (2, незачёт,
  неявка) among the students who have at least one mark;
* качество — the share of students whose marks are all 4, 5 or зачёт (at least one mark)
  among the students who have at least one mark.

Attendance: hours missed, split into НУ (valid reason) and НН (other reason), per student and
in total. Every absence carries the hours of its lesson: one пара is 2 academic hours unless
the bell schedule says otherwise, so the caller passes the hours of each lesson.

Shares are :class:`~decimal.Decimal` fractions 0…1; ``format_percent`` shows them the Russian
way: ``"87,5 %"``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from core.grading.finals import format_decimal
from kernel.marks import Attendance, MarkValue, StatementValue

K = TypeVar("K", bound=Hashable)

HOURS_PER_PAIR = 2
FAILING_TEXTS = frozenset({"2", "незачёт", "неявка"})
QUALITY_TEXTS = frozenset({"5", "4", "зачёт"})
MARK_ORDER = ("5", "4", "3", "2", "зачёт", "незачёт", "неявка")

AnyMark = MarkValue | StatementValue


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a Decimal fraction, or None when ``whole`` is 0."""
    return None if whole == 0 else Decimal(part) / Decimal(whole)


def format_percent(fraction: Decimal | None, places: int = 1) -> str:
    """A fraction as a Russian percentage: ``Decimal('0.875')`` → ``"87,5 %"``; None → ``"—"``."""
    if fraction is None:
        return "—"
    return f"{format_decimal(fraction * 100, places)} %"


@dataclass(frozen=True)
class Performance:
    """Performance figures of a set of students (R8).

    Attributes:
        students_total: All students of the set, with or without marks.
        students_with_marks: Students with at least one mark.
        students_passing: Students with marks and none failing (2, незачёт, неявка).
        students_quality: Students with marks, all of them 4, 5 or зачёт.
        average: The mean of every numeric mark, or None.
        counts: How many marks of each kind (keys: ``"5"`` … ``"неявка"``).
        failing: Keys of the students with a failing mark.
    """

    students_total: int
    students_with_marks: int
    students_passing: int
    students_quality: int
    average: Decimal | None
    counts: dict[str, int] = field(default_factory=dict)
    failing: tuple[Hashable, ...] = ()

    @property
    def absolute(self) -> Decimal | None:
        """Абсолютная успеваемость as a fraction, or None without marks."""
        return share(self.students_passing, self.students_with_marks)

    @property
    def quality(self) -> Decimal | None:
        """Качество as a fraction, or None without marks."""
        return share(self.students_quality, self.students_with_marks)

    @property
    def absolute_text(self) -> str:
        """Абсолютная успеваемость as ``"87,5 %"``."""
        return format_percent(self.absolute)

    @property
    def quality_text(self) -> str:
        """Качество as ``"62,5 %"``."""
        return format_percent(self.quality)

    @property
    def average_text(self) -> str:
        """The average mark as ``"3,85"``, or ``"—"``."""
        return "—" if self.average is None else format_decimal(self.average)


def _texts(marks: Iterable[AnyMark | None]) -> list[str]:
    return [str(m) for m in marks if m is not None]


def performance(marks_by_student: Mapping[K, Iterable[AnyMark | None]]) -> Performance:
    """Performance of a set of students from their final or statement marks.

    Args:
        marks_by_student: For each student (any key), their marks — one per discipline for a
            group report, or one mark for a discipline report; None for a missing mark.
    """
    counts: Counter[str] = Counter()
    with_marks = passing = quality = 0
    failing: list[Hashable] = []
    for student, marks in marks_by_student.items():
        texts = _texts(marks)
        counts.update(texts)
        if not texts:
            continue
        with_marks += 1
        if any(t in FAILING_TEXTS for t in texts):
            failing.append(student)
        else:
            passing += 1
        if all(t in QUALITY_TEXTS for t in texts):
            quality += 1
    numeric = [(int(t), n) for t, n in counts.items() if t.isdigit()]
    total_points = sum(p * n for p, n in numeric)
    number = sum(n for _, n in numeric)
    average = None if number == 0 else Decimal(total_points) / Decimal(number)
    ordered = {t: counts[t] for t in MARK_ORDER if counts[t]}
    return Performance(len(marks_by_student), with_marks, passing, quality, average,
                       ordered, tuple(failing))


@dataclass(frozen=True)
class Absence(Generic[K]):
    """One student's absence from one lesson.

    Attributes:
        student: The student's key.
        attendance: НУ or НН (a ``П`` is ignored).
        hours: Academic hours of the lesson (2 for a пара by default).
    """

    student: K
    attendance: Attendance
    hours: int = HOURS_PER_PAIR


@dataclass(frozen=True)
class MissedHours:
    """Academic hours missed, split by reason.

    Attributes:
        excused: НУ hours.
        unexcused: НН hours.
    """

    excused: int = 0
    unexcused: int = 0

    @property
    def total(self) -> int:
        """All hours missed."""
        return self.excused + self.unexcused

    def __add__(self, other: MissedHours) -> MissedHours:
        return MissedHours(self.excused + other.excused, self.unexcused + other.unexcused)

    def share_of(self, hours_held: int) -> Decimal | None:
        """Missed hours as a fraction of the hours held, or None when none were held."""
        return share(self.total, hours_held)

    @property
    def text(self) -> str:
        """``"пропущено 14 ч (НУ 4 ч, НН 10 ч)"``."""
        return f"пропущено {self.total} ч (НУ {self.excused} ч, НН {self.unexcused} ч)"


@dataclass(frozen=True)
class AttendanceSummary(Generic[K]):
    """Attendance totals of a group or any set of students.

    Attributes:
        by_student: Missed hours of every student (zero for those never absent, when the
            student list was given).
        total: The sum over all students.
    """

    by_student: dict[K, MissedHours]
    total: MissedHours

    def average_per_student(self) -> Decimal | None:
        """Mean missed hours per student, or None for an empty set."""
        return share(self.total.total, len(self.by_student))


def attendance_summary(
    absences: Iterable[Absence[K]], students: Iterable[K] = ()
) -> AttendanceSummary[K]:
    """Sum missed hours per student and in total.

    Args:
        absences: Absences of the period, each with the hours of its lesson.
        students: All students of the set, so the ones never absent are listed with zero.
    """
    by_student: dict[K, MissedHours] = {s: MissedHours() for s in students}
    for absence in absences:
        if not absence.attendance.is_absent:
            continue
        missed = (MissedHours(excused=absence.hours)
                  if absence.attendance is Attendance.EXCUSED
                  else MissedHours(unexcused=absence.hours))
        by_student[absence.student] = by_student.get(absence.student, MissedHours()) + missed
    total = sum(by_student.values(), MissedHours())
    return AttendanceSummary(by_student, total)
