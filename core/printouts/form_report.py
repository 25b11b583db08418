"""The student's report for parents as printed (R20): marks, finals and hours missed by discipline.

The data of ``printing/student_report.py``, filled by ``core.printouts.summary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.printouts.forms import College
from kernel.marks import MarkValue


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
