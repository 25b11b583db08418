"""What each printout says, as plain data (R6, R20, R22).

The database layer fills these dataclasses; ``printing/`` draws them as PDF pages or as text
tables. Nothing here computes a rule of the regulation: averages, абсолютная успеваемость and
качество arrive as numbers computed by ``core.grading.performance`` (``GroupFigures.of`` takes its
``Performance``); shares are Decimal fractions 0…1 as there. The helpers below only count, sum
and word what they are given, the same way on paper and on the screen.

Students are keyed by ``Student.id`` (any key unique within one printout, the database id is
the natural choice); cells of a journal grid refer to a student by that key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import groupby

from core.grading.finals import format_decimal
from core.grading.performance import Performance, format_percent
from kernel.marks import Attendance, MarkValue, StatementValue

MONTHS = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
          "Сентябрь", "Октябрь", "Ноябрь", "Декабрь")

STATEMENT_WORDS: dict[StatementValue, str] = {
    StatementValue.FIVE: "отлично (5)",
    StatementValue.FOUR: "хорошо (4)",
    StatementValue.THREE: "удовлетворительно (3)",
    StatementValue.TWO: "неудовлетворительно (2)",
    StatementValue.PASS: "зачтено",
    StatementValue.FAIL: "не зачтено",
    StatementValue.ABSENT: "неявка",
}


@dataclass(frozen=True)
class College:
    """Who issues the printout and who certifies it (R22).

    Attributes:
        name: Full name, printed at the top of every page.
        director: The director as «И. О. Фамилия» for the certification block; empty leaves a
            blank line to write the name by hand.
    """

    name: str
    director: str = ""


@dataclass(frozen=True)
class Student:
    """A student as a row of a printout.

    Attributes:
        id: Key unique within the printout (the database id).
        name: «Фамилия Имя Отчество».
        record_book: Number of the record book (зачётная книжка), for statements.
    """

    id: int
    name: str
    record_book: str = ""


# --- Journal of a group (R1, R22) -------------------------------------------------------


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
    """

    discipline: str
    teacher: str
    students: tuple[Student, ...]
    lessons: tuple[JournalLesson, ...]
    finals: Mapping[int, str] = field(default_factory=dict)

    def months(self) -> list[tuple[str, list[JournalLesson]]]:
        """Lessons grouped by month, titled «Сентябрь 2024», in date order."""
        ordered = sorted(self.lessons, key=lambda lesson: lesson.day)
        return [(month_title(y, m), list(group)) for (y, m), group in
                groupby(ordered, key=lambda lesson: (lesson.day.year, lesson.day.month))]

    @property
    def hours(self) -> int:
        """Hours held (sum over the lessons)."""
        return sum(lesson.hours for lesson in self.lessons)


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


# --- Summary statement (R8, R22) -------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    """Performance figures of a set of students (a discipline column or the whole group).

    Attributes:
        average: Average mark.
        absolute: Абсолютная успеваемость as a fraction 0…1.
        quality: Качество as a fraction 0…1.
    """

    average: Decimal | None = None
    absolute: Decimal | None = None
    quality: Decimal | None = None

    @classmethod
    def of(cls, performance: Performance) -> GroupFigures:
        """The figures ``core.grading.performance.performance`` computed."""
        return cls(performance.average, performance.absolute, performance.quality)

    def cells(self) -> tuple[str, str, str]:
        """Average «4,12», and both shares as percent numbers without the sign («92,0»)."""
        return (decimal_text(self.average), percent_number(self.absolute),
                percent_number(self.quality))


@dataclass(frozen=True)
class SummaryColumn:
    """One discipline column of the summary statement, with its figures when known."""

    key: str
    title: str
    figures: GroupFigures = GroupFigures()


@dataclass(frozen=True)
class SummaryRow:
    """One student of the summary statement.

    Attributes:
        student: The student.
        finals: Final mark by ``SummaryColumn.key`` as text («5», «зачёт», «н/а»).
        missed_excused: Hours missed for a valid reason (НУ).
        missed_unexcused: Hours missed for another reason (НН).
        average: The student's average mark.
    """

    student: Student
    finals: Mapping[str, str]
    missed_excused: int = 0
    missed_unexcused: int = 0
    average: Decimal | None = None

    @property
    def missed_total(self) -> int:
        """All hours missed."""
        return self.missed_excused + self.missed_unexcused


@dataclass(frozen=True)
class SummaryStatement:
    """Сводная ведомость успеваемости и посещаемости of a group (R22).

    Attributes:
        college: Issuer and certifier.
        group: Group name.
        period: Semester or year, as words.
        columns: Disciplines in print order.
        rows: Students in list order.
        figures: Figures of the whole group.
        specialty: Specialty with its code.
        curator: The group's curator.
    """

    college: College
    group: str
    period: str
    columns: tuple[SummaryColumn, ...]
    rows: tuple[SummaryRow, ...]
    figures: GroupFigures = GroupFigures()
    specialty: str = ""
    curator: str = ""

    @property
    def missed_excused(self) -> int:
        """Group total of НУ hours."""
        return sum(row.missed_excused for row in self.rows)

    @property
    def missed_unexcused(self) -> int:
        """Group total of НН hours."""
        return sum(row.missed_unexcused for row in self.rows)


# --- Attestation statement (R6) --------------------------------------------------------


class AttestationForm(StrEnum):
    """Form of intermediate attestation."""

    EXAM = "экзамен"
    DIFF_CREDIT = "дифференцированный зачёт"
    CREDIT = "зачёт"
    COURSEWORK = "курсовая работа"


@dataclass(frozen=True)
class StatementLine:
    """One student of a statement; ``value`` None means not yet filled in."""

    student: Student
    value: StatementValue | None = None


@dataclass(frozen=True)
class AttestationStatement:
    """Ведомость of one exam, зачёт or course work (R6).

    Attributes:
        college: Issuer and certifier.
        group: Group name.
        discipline: Discipline with its code.
        semester: «1 семестр 2024/2025 учебного года».
        form: Form of attestation.
        examiner: Examiner(s) «Фамилия И. О.».
        lines: Students in list order.
        held_on: Date of the exam; None leaves a blank to fill in.
        number: Number of the statement, if the office numbers them.
        specialty: Specialty with its code.
    """

    college: College
    group: str
    discipline: str
    semester: str
    form: AttestationForm
    examiner: str
    lines: tuple[StatementLine, ...]
    held_on: date | None = None
    number: str = ""
    specialty: str = ""

    def counts(self) -> list[tuple[str, int]]:
        """How many of each result, in the order of ``STATEMENT_WORDS``, zeros left out."""
        values = [line.value for line in self.lines]
        pairs = [(word, values.count(value)) for value, word in STATEMENT_WORDS.items()]
        pairs.append(("не заполнено", values.count(None)))
        return [(word, n) for word, n in pairs if n]


def statement_word(value: StatementValue | None) -> str:
    """The word form of a statement mark («отлично (5)», «не зачтено»); empty for None."""
    return "" if value is None else STATEMENT_WORDS[value]


# --- Student report for parents (R20) --------------------------------------------------


@dataclass(frozen=True)
class ReportDiscipline:
    """One discipline of a student's report.

    Attributes:
        name: Discipline name.
        marks: Current marks of the period in date order.
        mean: Arithmetic mean of the marks (None when there are none).
        final: Final or statement mark as text, empty when not yet set.
        missed_excused: Hours missed with a valid reason (НУ).
        missed_unexcused: Hours missed without one (НН).
    """

    name: str
    marks: tuple[MarkValue, ...] = ()
    mean: Decimal | None = None
    final: str = ""
    missed_excused: int = 0
    missed_unexcused: int = 0


@dataclass(frozen=True)
class StudentReport:
    """Report on one student's performance and attendance for parents (R20).

    Attributes:
        college: Issuer and certifier.
        student: «Фамилия Имя Отчество».
        group: Group name.
        period: «с 01.09.2024 по 31.10.2024» or a semester in words.
        disciplines: One entry per discipline.
        curator: The curator «Фамилия Имя Отчество».
        curator_contact: Phone or e-mail, or «сообщение в программе».
    """

    college: College
    student: str
    group: str
    period: str
    disciplines: tuple[ReportDiscipline, ...]
    curator: str = ""
    curator_contact: str = ""

    @property
    def missed_excused(self) -> int:
        """Total НУ hours."""
        return sum(d.missed_excused for d in self.disciplines)

    @property
    def missed_unexcused(self) -> int:
        """Total НН hours."""
        return sum(d.missed_unexcused for d in self.disciplines)


# --- Credentials slips (R13) -----------------------------------------------------------


@dataclass(frozen=True)
class CredentialSlip:
    """One person's first login, cut out and handed over.

    Attributes:
        person: «Фамилия Имя Отчество» of the account holder.
        role: «студент», «родитель», «преподаватель», …
        login: The login.
        password: The one-time password.
        note: A line of context: the group, or whose parent («обучающийся: Иванов Иван, СЭЗ-21»).
    """

    person: str
    role: str
    login: str
    password: str
    note: str = ""


@dataclass(frozen=True)
class CredentialSlips:
    """A sheet of credential slips.

    Attributes:
        college: Issuer and certifier.
        slips: One per account.
        how_to_connect: How to start the program («ssh ejournal@10.0.0.5, затем ejournal»).
    """

    college: College
    slips: tuple[CredentialSlip, ...]
    how_to_connect: str = ""


# --- Words and numbers as written on paper ---------------------------------------------


def month_title(year: int, month: int) -> str:
    """«Сентябрь 2024»."""
    return f"{MONTHS[month - 1]} {year}"


def decimal_text(value: Decimal | None, places: int = 2) -> str:
    """A number with a decimal comma («4,25»); a dash for None."""
    return "—" if value is None else format_decimal(value, places)


def percent_number(fraction: Decimal | None) -> str:
    """A share 0…1 as a percent number without the sign («87,5»); a dash for None."""
    return "—" if fraction is None else format_decimal(fraction * 100, 1)


def percent_text(fraction: Decimal | None) -> str:
    """A share 0…1 as «87,5 %»; a dash for None."""
    return format_percent(fraction)


def short_final(text: str) -> str:
    """A final mark short enough for a narrow grid column («зач.», «незач.», «н/я»)."""
    return {"зачёт": "зач.", "зачтено": "зач.", "незачёт": "незач.", "не зачтено": "незач.",
            "неявка": "н/я"}.get(text, text)
