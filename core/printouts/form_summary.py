"""The summary statement as printed (R8, R22): its columns, rows and performance figures.

The data of ``printing/summary.py``, filled by ``core.printouts.summary``. The figures arrive
computed by ``core.grading.performance``; shares are Decimal fractions 0…1 as there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from core.grading.performance import Performance
from core.printouts.forms import College, Student, decimal_text, percent_number


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
