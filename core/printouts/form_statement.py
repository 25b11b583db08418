"""The attestation statement (ведомость) as printed (R6): its form, lines and the words of marks.

The data of ``printing/statement.py``, filled by ``core.printouts.data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.printouts.forms import College, Student
from kernel.marks import StatementValue

STATEMENT_WORDS: dict[StatementValue, str] = {
    StatementValue.FIVE: "отлично (5)",
    StatementValue.FOUR: "хорошо (4)",
    StatementValue.THREE: "удовлетворительно (3)",
    StatementValue.TWO: "неудовлетворительно (2)",
    StatementValue.PASS: "зачтено",
    StatementValue.FAIL: "не зачтено",
    StatementValue.ABSENT: "неявка",
}


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
