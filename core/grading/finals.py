"""Semester final marks (R7, regulation 3.7).

Where a discipline has no intermediate attestation this semester, the final mark is the
arithmetic mean of all current marks of the semester, rounded by the installation's rounding
rule (a setting, default half up: 3.5 → 4, 2.5 → 3). Where there is an attestation, the mark
of the statement (ведомость) is the final mark.

Means are exact :class:`~decimal.Decimal` values; the mark is rounded from the exact mean and
the mean is shown quantized to two places (``format_decimal``: ``"3,45"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

from kernel.errors import ValidationError
from kernel.marks import MarkValue, StatementValue

CENT = Decimal("0.01")
FinalSource = Literal["statement", "mean", "none"]


class RoundingRule(StrEnum):
    """How a mean ending in exactly .5 becomes a mark (the ``rounding_rule`` setting)."""

    HALF_UP = "half_up"
    HALF_DOWN = "half_down"
    BANKERS = "bankers"

    @property
    def label(self) -> str:
        """The rule as shown in the settings screen."""
        return {
            RoundingRule.HALF_UP: "половина — вверх (3,5 → 4; 2,5 → 3)",
            RoundingRule.HALF_DOWN: "половина — вниз (3,5 → 3; 2,5 → 2)",
            RoundingRule.BANKERS: "половина — к чётному (3,5 → 4; 2,5 → 2)",
        }[self]

    @property
    def decimal_rounding(self) -> str:
        """The matching :mod:`decimal` rounding mode."""
        return {
            RoundingRule.HALF_UP: ROUND_HALF_UP,
            RoundingRule.HALF_DOWN: ROUND_HALF_DOWN,
            RoundingRule.BANKERS: ROUND_HALF_EVEN,
        }[self]


DEFAULT_RULE = RoundingRule.HALF_UP


def format_decimal(value: Decimal, places: int = 2) -> str:
    """Format a number the Russian way, with a decimal comma (``Decimal('3.456')`` → ``"3,46"``).

    Args:
        value: The number.
        places: Digits after the comma (half up).
    """
    quantum = Decimal(1).scaleb(-places)
    return str(value.quantize(quantum, rounding=ROUND_HALF_UP)).replace(".", ",")


def semester_mean(marks: Iterable[MarkValue]) -> Decimal | None:
    """The arithmetic mean of the numeric marks (2–5); зачёт/незачёт are not counted.

    Every mark counts, including several marks of one lesson for different kinds of work.

    Args:
        marks: Current marks of one student in one discipline and semester.

    Returns:
        The exact mean, or None when there is no numeric mark.
    """
    points = [p for p in (m.points for m in marks) if p is not None]
    if not points:
        return None
    return Decimal(sum(points)) / Decimal(len(points))


def round_mark(mean: Decimal, rule: RoundingRule = DEFAULT_RULE) -> MarkValue:
    """Round a mean of marks to a mark by the rounding rule.

    Args:
        mean: A mean between 2 and 5.
        rule: How an exact .5 is rounded.

    Raises:
        ValidationError: the mean is outside 2…5.
    """
    if not Decimal(2) <= mean <= Decimal(5):
        raise ValidationError(f"Средний балл {format_decimal(mean)} вне диапазона 2–5.")
    whole = int(mean.quantize(Decimal(1), rounding=rule.decimal_rounding))
    return MarkValue(str(whole))


@dataclass(frozen=True)
class FinalMark:
    """A semester final mark with how it was obtained.

    Attributes:
        value: The final mark; None when there is nothing to derive it from.
        mean: The exact mean of the numeric current marks (shown for reference even when
            the statement decides), or None.
        source: ``'statement'`` (the attestation mark), ``'mean'`` (derived from current
            marks) or ``'none'``.
        count: How many current marks the result was derived from (numeric marks for a
            graded discipline, all marks for a pass/fail one).
    """

    value: MarkValue | StatementValue | None
    mean: Decimal | None
    source: FinalSource
    count: int

    @property
    def mean_display(self) -> Decimal | None:
        """The mean quantized to two places."""
        return None if self.mean is None else self.mean.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def mean_text(self) -> str:
        """The mean as shown (``"3,45"``), or an empty string."""
        return "" if self.mean is None else format_decimal(self.mean)

    @property
    def text(self) -> str:
        """The mark as stored and shown (``"4"``, ``"зачёт"``), or an empty string."""
        return "" if self.value is None else str(self.value)

    @property
    def is_failing(self) -> bool:
        """A 2, незачёт or неявка."""
        return self.value is not None and str(self.value) in _FAILING


_FAILING = frozenset({"2", "незачёт", "неявка"})


def pass_fail_result(marks: Iterable[MarkValue]) -> MarkValue | None:
    """The зачёт/незачёт outcome of current marks, in date order.

    Rule: every незачёт must be corrected by its own later зачёт; the result is зачёт when
    there is at least one mark and no незачёт is left uncorrected, otherwise незачёт.
    A numeric mark counts as зачёт when it is 3–5 and as незачёт when it is 2.

    Args:
        marks: Current marks, oldest first.

    Returns:
        зачёт, незачёт, or None when there is no mark.
    """
    outstanding = 0
    seen = False
    for mark in marks:
        seen = True
        if mark.is_failing:
            outstanding += 1
        elif outstanding:
            outstanding -= 1
    if not seen:
        return None
    return MarkValue.FAIL if outstanding else MarkValue.PASS


def final_mark(
    current_marks: Iterable[MarkValue],
    statement_value: StatementValue | None = None,
    pass_fail: bool = False,
    rule: RoundingRule = DEFAULT_RULE,
) -> FinalMark:
    """The semester final mark of one student in one discipline (R7).

    1. A statement mark (exam, зачёт, …, also неявка) wins: source ``'statement'``.
    2. A graded discipline: the rounded arithmetic mean of the numeric marks (зачёт/незачёт
       ignored): source ``'mean'``.
    3. A pass/fail discipline: :func:`pass_fail_result` of all marks: source ``'mean'``.
    4. No marks to derive from: no final mark, source ``'none'``.

    Args:
        current_marks: The semester's current marks, oldest first (order matters only for
            pass/fail disciplines).
        statement_value: The mark in the attestation statement, if any.
        pass_fail: The discipline is assessed by зачёт/незачёт.
        rule: The rounding rule setting.
    """
    marks = list(current_marks)
    mean = semester_mean(marks)
    numeric = sum(1 for m in marks if m.points is not None)
    if statement_value is not None:
        return FinalMark(statement_value, mean, "statement", len(marks))
    if pass_fail:
        outcome = pass_fail_result(marks)
        source: FinalSource = "none" if outcome is None else "mean"
        return FinalMark(outcome, mean, source, len(marks))
    if mean is None:
        return FinalMark(None, None, "none", 0)
    return FinalMark(round_mark(mean, rule), mean, "mean", numeric)
