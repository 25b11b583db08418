"""Semester final marks (R7): means, rounding rules, statement override, pass/fail."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.grading.finals import (
    DEFAULT_RULE,
    FinalMark,
    RoundingRule,
    final_mark,
    format_decimal,
    pass_fail_result,
    round_mark,
    semester_mean,
)
from kernel.errors import ValidationError
from kernel.marks import MarkValue, StatementValue, parse_attendance, parse_mark

M = MarkValue


def marks(*texts: str) -> list[MarkValue]:
    """Marks from their typed form."""
    return [parse_mark(t) for t in texts]


def test_default_rule_is_half_up() -> None:
    assert DEFAULT_RULE is RoundingRule.HALF_UP
    assert RoundingRule("half_up") is RoundingRule.HALF_UP


@pytest.mark.parametrize(
    ("mean", "rule", "expected"),
    [
        ("3.5", RoundingRule.HALF_UP, M.FOUR),
        ("4.5", RoundingRule.HALF_UP, M.FIVE),
        ("2.5", RoundingRule.HALF_UP, M.THREE),
        ("3.49", RoundingRule.HALF_UP, M.THREE),
        ("3.5", RoundingRule.HALF_DOWN, M.THREE),
        ("2.5", RoundingRule.HALF_DOWN, M.TWO),
        ("3.51", RoundingRule.HALF_DOWN, M.FOUR),
        ("3.5", RoundingRule.BANKERS, M.FOUR),
        ("2.5", RoundingRule.BANKERS, M.TWO),
        ("4.5", RoundingRule.BANKERS, M.FOUR),
        ("2", RoundingRule.HALF_UP, M.TWO),
        ("5", RoundingRule.HALF_UP, M.FIVE),
    ],
)
def test_round_mark(mean: str, rule: RoundingRule, expected: MarkValue) -> None:
    assert round_mark(Decimal(mean), rule) is expected


@pytest.mark.parametrize("mean", ["1.99", "5.01", "0"])
def test_round_mark_rejects_impossible_mean(mean: str) -> None:
    with pytest.raises(ValidationError):
        round_mark(Decimal(mean))


def test_rule_labels_are_russian() -> None:
    assert "3,5 → 4" in RoundingRule.HALF_UP.label
    assert all(rule.label for rule in RoundingRule)


def test_semester_mean_no_marks() -> None:
    assert semester_mean([]) is None


def test_semester_mean_ignores_pass_fail() -> None:
    assert semester_mean(marks("5", "з", "4", "-")) == Decimal("4.5")
    assert semester_mean(marks("з", "з")) is None


def test_semester_mean_is_exact() -> None:
    mean = semester_mean(marks("5", "4", "4"))
    assert mean is not None
    assert format_decimal(mean) == "4,33"
    assert mean * 3 == Decimal(13) or abs(mean * 3 - 13) < Decimal("1e-20")


def test_attendance_codes_are_not_marks() -> None:
    """НН/НУ are attendance, not marks: they cannot even be typed as one."""
    for code in ("НН", "НУ", "н", "у"):
        with pytest.raises(ValidationError):
            parse_mark(code)
        assert parse_attendance(code).is_absent


def test_several_marks_in_one_lesson_all_count() -> None:
    """One lesson, a 5 for the oral answer and a 3 for the test: both count."""
    result = final_mark([M.FIVE, M.THREE, M.FOUR])
    assert result.count == 3
    assert result.mean == Decimal(4)
    assert result.value is M.FOUR


def test_final_mark_no_marks() -> None:
    result = final_mark([])
    assert result == FinalMark(None, None, "none", 0)
    assert result.text == "" and result.mean_text == "" and not result.is_failing


def test_final_mark_graded_only_pass_marks_gives_none() -> None:
    result = final_mark(marks("з", "з"))
    assert result.source == "none" and result.value is None


def test_final_mark_from_mean_half_up() -> None:
    result = final_mark(marks("4", "3"))
    assert (result.value, result.source, result.count) == (M.FOUR, "mean", 2)
    assert result.mean_text == "3,50"
    assert result.mean_display == Decimal("3.50")


def test_final_mark_from_mean_other_rule() -> None:
    assert final_mark(marks("4", "3"), rule=RoundingRule.HALF_DOWN).value is M.THREE
    assert final_mark(marks("3", "2"), rule=RoundingRule.HALF_UP).value is M.THREE


def test_final_mark_failing_mean() -> None:
    result = final_mark(marks("2", "2", "3"))
    assert result.value is M.TWO and result.is_failing


def test_statement_overrides_mean() -> None:
    result = final_mark(marks("5", "5", "5"), statement_value=StatementValue.THREE)
    assert result.value is StatementValue.THREE
    assert result.source == "statement"
    assert result.mean == Decimal(5)
    assert result.text == "3"


def test_statement_without_current_marks() -> None:
    result = final_mark([], statement_value=StatementValue.ABSENT)
    assert result.source == "statement" and result.is_failing and result.mean is None


def test_pass_fail_only_pass_marks() -> None:
    result = final_mark(marks("з", "з", "з"), pass_fail=True)
    assert (result.value, result.source, result.count) == (M.PASS, "mean", 3)
    assert result.mean is None


def test_pass_fail_no_marks() -> None:
    assert final_mark([], pass_fail=True).source == "none"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (["з"], M.PASS),
        (["-"], M.FAIL),
        (["-", "з"], M.PASS),
        (["з", "-"], M.FAIL),
        (["-", "-", "з"], M.FAIL),
        (["-", "-", "з", "з"], M.PASS),
        (["з", "з", "-", "з"], M.PASS),
        (["2", "4"], M.PASS),
        (["4", "2"], M.FAIL),
        ([], None),
    ],
)
def test_pass_fail_result(typed: list[str], expected: MarkValue | None) -> None:
    assert pass_fail_result(marks(*typed)) is expected


def test_format_decimal() -> None:
    assert format_decimal(Decimal("3.456")) == "3,46"
    assert format_decimal(Decimal("3.445")) == "3,45"
    assert format_decimal(Decimal(3), 1) == "3,0"
