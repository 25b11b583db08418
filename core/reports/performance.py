"""Performance by group, discipline, teacher, course and college (R8).

Each student's result in a load over the dates is the fixed final mark when the dates cover
the period's end and the final is fixed, otherwise the mean of the current marks rounded by
the college's rule (зачёт/незачёт for pass/fail loads). The figures of a set of students
follow :func:`core.grading.performance.performance`; СОУ (степень обученности) is
``(n5 + 0.64·n4 + 0.36·n3 + 0.16·n2) / (n5 + n4 + n3 + n2)`` over the numeric results.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from core.grading.finals import DEFAULT_RULE, RoundingRule, round_mark
from core.grading.performance import Performance, format_percent, performance
from core.reports.table import Builder, ReportTable, StudentInLoad

SOU_WEIGHTS = {"5": Decimal(1), "4": Decimal("0.64"), "3": Decimal("0.36"), "2": Decimal("0.16")}
DIMENSIONS: dict[str, str] = {
    "group": "Группа",
    "discipline": "Дисциплина",
    "teacher": "Преподаватель",
    "course": "Курс",
    "college": "Колледж",
}


@dataclass(frozen=True)
class StudentLoad(StudentInLoad):
    """One student's marks in one load over the dates (a row of ``journal.report_results``)."""

    n5: int
    n4: int
    n3: int
    n2: int
    n_pass: int
    n_fail: int
    final: str | None
    pass_fail: bool

    def result(self, rule: RoundingRule = DEFAULT_RULE) -> str | None:
        """The student's result in the load (see the module), or None without marks."""
        if self.final and self.final != "н/а":
            return self.final
        if self.pass_fail:
            passed = self.n_pass + self.n5 + self.n4 + self.n3
            failed = self.n_fail + self.n2
            if passed + failed == 0:
                return None
            return "незачёт" if failed > passed else "зачёт"
        number = self.n5 + self.n4 + self.n3 + self.n2
        if number == 0:
            return None
        mean = Decimal(5 * self.n5 + 4 * self.n4 + 3 * self.n3 + 2 * self.n2) / Decimal(number)
        return str(round_mark(mean, rule))


def sou(figures: Performance) -> Decimal | None:
    """Степень обученности as a fraction 0…1, or None without numeric results."""
    numeric = {k: n for k, n in figures.counts.items() if k in SOU_WEIGHTS}
    total = sum(numeric.values())
    if total == 0:
        return None
    return sum((SOU_WEIGHTS[k] * n for k, n in numeric.items()), Decimal(0)) / Decimal(total)


def _key(dimension: str) -> Callable[[StudentLoad], Hashable]:
    return {
        "group": lambda r: r.group,
        "discipline": lambda r: r.discipline,
        "teacher": lambda r: r.teacher,
        "course": lambda r: f"{r.course} курс",
        "college": lambda r: "Колледж",
    }[dimension]


def figures_by(rows: Sequence[StudentLoad], dimension: str,
               rule: RoundingRule = DEFAULT_RULE) -> dict[Hashable, Performance]:
    """Performance of every value of ``dimension`` (students counted once per value)."""
    return _figures([(row, row.result(rule)) for row in rows], _key(dimension))


def _figures(results: Sequence[tuple[StudentLoad, str | None]],
             key: Callable[[StudentLoad], Hashable]) -> dict[Hashable, Performance]:
    grouped: dict[Hashable, dict[int, list[str | None]]] = {}
    for row, result in results:
        grouped.setdefault(key(row), {}).setdefault(row.student_id, []).append(result)
    # performance() reads marks as text: the results' strings are what it expects
    return {k: performance(cast(Any, v))
            for k, v in sorted(grouped.items(), key=lambda kv: str(kv[0]))}


def _cells(figures: Performance | None) -> tuple[str, ...]:
    if figures is None:
        return ("", "", "", "", "", "")
    return (str(figures.students_with_marks), figures.average_text, figures.absolute_text,
            figures.quality_text, format_percent(sou(figures)),
            str(len(figures.failing)))


HEADERS = ("Студентов с итогом", "Средний балл", "Абс. успеваемость", "Качество", "СОУ",
           "С двойками")


def performance_table(rows: Sequence[StudentLoad], dimension: str, subtitle: str,
                      rule: RoundingRule = DEFAULT_RULE) -> ReportTable:
    """One line per value of the dimension, and the total of everything listed."""
    out = Builder()
    results = [(row, row.result(rule)) for row in rows]
    for name, figures in _figures(results, _key(dimension)).items():
        out.add((str(name), *_cells(figures)))
    if dimension != "college" and rows:
        total = _figures(results, lambda _r: "Колледж")["Колледж"]
        out.add(("Итого", *_cells(total)))
    return out.table(f"Успеваемость: {DIMENSIONS[dimension].lower()}", subtitle,
                     (DIMENSIONS[dimension], *HEADERS),
                     notes=("Абс. успеваемость — доля студентов без неудовлетворительных итогов; "
                            "качество — доля студентов только с «4» и «5»; СОУ — степень "
                            "обученности.",))


def compare_table(first: Sequence[StudentLoad], second: Sequence[StudentLoad], dimension: str,
                  labels: tuple[str, str], rule: RoundingRule = DEFAULT_RULE) -> ReportTable:
    """Two date ranges side by side: average, абсолютная успеваемость, качество, СОУ."""
    a, b = figures_by(first, dimension, rule), figures_by(second, dimension, rule)
    out = Builder()
    for name in sorted(set(a) | set(b), key=str):
        x, y = a.get(name), b.get(name)
        out.add((str(name),
                 *(v for pair in zip(_short(x), _short(y), strict=True) for v in pair)))
    heads = [f"{h} ({label})" for h in ("Ср. балл", "Абс.", "Кач.", "СОУ") for label in labels]
    return out.table(f"Успеваемость: {labels[0]} и {labels[1]}", "сравнение периодов",
                     (DIMENSIONS[dimension], *heads))


def _short(figures: Performance | None) -> tuple[str, str, str, str]:
    if figures is None:
        return ("—", "—", "—", "—")
    return (figures.average_text, figures.absolute_text, figures.quality_text,
            format_percent(sou(figures)))
