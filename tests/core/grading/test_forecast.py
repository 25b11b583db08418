"""Forecast of final marks and risk (R9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core.grading.finals import RoundingRule
from core.grading.forecast import (
    DatedMark,
    RiskLevel,
    StudentRecord,
    Trend,
    forecast_group,
    forecast_student,
    plural,
    trend_of,
    uncorrected_twos,
    weighted_mean,
)
from kernel.marks import MarkValue, parse_mark

START = date(2024, 9, 2)


def dated(*typed: str, work: str = "") -> list[DatedMark]:
    """Marks a week apart, oldest first."""
    return [DatedMark(START + timedelta(weeks=i), parse_mark(t), work)
            for i, t in enumerate(typed)]


def record(*typed: str, **kwargs: int | bool) -> StudentRecord:
    """A student half way through a 36-lesson period unless told otherwise."""
    params: dict[str, int | bool] = {"lessons_planned": 36, "lessons_held": 18}
    params.update(kwargs)
    return StudentRecord(1, dated(*typed), **params)  # type: ignore[arg-type]


def test_plural() -> None:
    forms = ("отметка", "отметки", "отметок")
    assert [plural(n, *forms) for n in (1, 2, 5, 11, 12, 21, 22, 25, 111)] == [
        "отметка", "отметки", "отметок", "отметок", "отметок", "отметка", "отметки",
        "отметок", "отметок"]


def test_weighted_mean_counts_recent_twice() -> None:
    assert weighted_mean([]) is None
    assert weighted_mean([4, 4]) == Decimal(4)
    # 5 early marks weight 1, last 5 weight 2: (25 + 2*15) / 15
    assert weighted_mean([5] * 5 + [3] * 5) == Decimal(55) / Decimal(15)


def test_trend() -> None:
    assert trend_of([5, 5, 5, 3, 3, 3, 3, 3])[0] is Trend.DOWN
    assert trend_of([3, 3, 3, 5, 5, 5, 5, 5]) == (Trend.UP, Decimal(5))
    assert trend_of([4, 4, 4, 4, 4, 4])[0] is Trend.FLAT
    assert trend_of([2, 5])[0] is Trend.FLAT  # no earlier marks to compare
    assert trend_of([5, 5, 4, 4, 4, 4, 4])[0] is Trend.FLAT  # too few earlier marks
    assert trend_of([]) == (Trend.FLAT, None)


def test_uncorrected_twos() -> None:
    assert uncorrected_twos(dated("2", "4")) == 0
    assert uncorrected_twos(dated("4", "2")) == 1
    assert uncorrected_twos(dated("2", "2", "3")) == 1
    marks = [DatedMark(START, MarkValue.TWO, "контрольная"),
             DatedMark(START, MarkValue.FIVE, "устный ответ"),
             DatedMark(START + timedelta(days=1), MarkValue.FOUR, "тест")]
    assert uncorrected_twos(marks) == 1
    marks.append(DatedMark(START + timedelta(days=2), MarkValue.THREE, "контрольная"))
    assert uncorrected_twos(marks) == 0
    kindless = [DatedMark(START, MarkValue.TWO, "контрольная"), DatedMark(START, MarkValue.FOUR)]
    assert uncorrected_twos(kindless) == 0


def test_no_marks() -> None:
    forecast = forecast_student(record())
    assert forecast.predicted is None
    assert forecast.predicted_text == "нет прогноза"
    assert forecast.risk is RiskLevel.HIGH  # half of the period without a single mark
    assert "нет отметок" in forecast.reasons
    assert "проведено 18 из 36 занятий" in forecast.reasons


def test_progress_phrases_agree_with_numbers() -> None:
    none = forecast_student(record(lessons_held=11, lessons_planned=21))
    assert none.explanation == "нет отметок; проведено 11 из 21 занятия"
    few = forecast_student(record("4", lessons_held=22, lessons_planned=40))
    assert "мало отметок: 1 за 22 занятия" in few.reasons


def test_no_marks_early_is_no_risk() -> None:
    forecast = forecast_student(record(lessons_held=2))
    assert forecast.risk is RiskLevel.NONE


def test_falling_five_is_not_at_risk() -> None:
    forecast = forecast_student(record("5", "5", "5", "5", "4", "4", "4", "5", "4"))
    assert forecast.trend is Trend.DOWN
    assert forecast.predicted is MarkValue.FOUR and forecast.risk is RiskLevel.NONE


def test_good_student() -> None:
    forecast = forecast_student(record("5", "4", "5", "5", "4", "5"))
    assert forecast.predicted is MarkValue.FIVE
    assert forecast.risk is RiskLevel.NONE
    assert forecast.explanation.startswith("средний 4,67 по 6 отметкам")


def test_reasoning_example() -> None:
    forecast = forecast_student(record("5", "4", "4", "5", "4", "3", "4", "3", "3", "2", "2",
                                       lessons_held=20, hours_excused=4, hours_unexcused=10))
    assert forecast.predicted is MarkValue.THREE
    assert forecast.risk is RiskLevel.RISK
    assert forecast.trend is Trend.DOWN
    assert forecast.uncorrected == 2
    assert forecast.reasons[:4] == (
        "средний 3,55 по 11 отметкам",
        "последние 5 отметок — 2,8, тенденция к снижению",
        "2 неисправленные двойки",
        "пропущено 14 ч (НН 10 ч — 25,0 % проведённых часов)",
    )
    # weighted (25 + 2*14)/16 = 3.3125, minus 2 * 0.25
    assert forecast.weighted == Decimal("2.8125")
    assert forecast.reasons[4] == "с учётом последних отметок и пропусков — 2,81 → 3"


def test_unexcused_absence_lowers_prediction() -> None:
    marks = ("4", "4", "3", "4")
    present = forecast_student(record(*marks))
    truant = forecast_student(record(*marks, hours_unexcused=12))  # 12 of 36 hours
    assert present.predicted is MarkValue.FOUR
    assert truant.predicted is MarkValue.THREE
    assert truant.risk is RiskLevel.RISK


def test_excused_absence_is_not_penalized() -> None:
    forecast = forecast_student(record("4", "4", hours_excused=30))
    assert forecast.predicted is MarkValue.FOUR
    assert "пропущено 30 ч (НН 0 ч)" in forecast.reasons


def test_penalty_is_capped_and_prediction_clamped() -> None:
    forecast = forecast_student(record("3", "2", "3", hours_unexcused=36))
    assert forecast.weighted == Decimal(2)
    assert forecast.predicted is MarkValue.TWO
    assert forecast.risk is RiskLevel.HIGH


def test_failing_prediction_is_high_risk() -> None:
    forecast = forecast_student(record("2", "3", "2", "2"))
    assert forecast.predicted is MarkValue.TWO
    assert forecast.risk is RiskLevel.HIGH


def test_three_uncorrected_twos_is_high_risk() -> None:
    forecast = forecast_student(record("5", "5", "5", "5", "2", "2", "2", "5", "5", "5", "5"))
    assert forecast.uncorrected == 0
    forecast = forecast_student(record("5", "5", "5", "5", "5", "5", "2", "2", "2"))
    assert forecast.uncorrected == 3 and forecast.risk is RiskLevel.HIGH
    assert "3 неисправленные двойки" in forecast.reasons


def test_three_only_by_rounding_is_at_risk() -> None:
    forecast = forecast_student(record("3", "2", "3", "3", "3", "3", "3", "3", "3", "2", "3"))
    assert forecast.predicted is MarkValue.THREE
    assert forecast.weighted is not None and forecast.weighted < 3
    assert forecast.risk is RiskLevel.RISK


def test_few_marks_after_half_of_period() -> None:
    forecast = forecast_student(record("5", "5"))
    assert forecast.risk is RiskLevel.RISK
    assert "мало отметок: 2 за 18 занятий" in forecast.reasons


def test_pass_fail_marks_are_ignored_in_graded_forecast() -> None:
    forecast = forecast_student(record("5", "з", "-", "5", "5"))
    assert forecast.predicted is MarkValue.FIVE
    assert forecast.explanation.startswith("средний 5,00 по 3 отметкам")


def test_pass_fail_discipline() -> None:
    passing = forecast_student(record("з", "-", "з", "з", pass_fail=True))
    assert passing.predicted is MarkValue.PASS and passing.risk is RiskLevel.NONE
    assert passing.reasons[0] == "зачётов 3, незачётов 1"
    failing = forecast_student(record("з", "-", pass_fail=True))
    assert failing.predicted is MarkValue.FAIL and failing.risk is RiskLevel.HIGH
    assert "1 неисправленный незачёт" in failing.reasons
    assert forecast_student(record(pass_fail=True)).predicted is None


def test_rounding_rule_is_used() -> None:
    marks = ("4", "3")
    assert forecast_student(record(*marks, lessons_held=1)).predicted is MarkValue.FOUR
    half_down = forecast_student(record(*marks, lessons_held=1), RoundingRule.HALF_DOWN)
    assert half_down.predicted is MarkValue.THREE


def test_marks_are_sorted_by_date() -> None:
    marks = list(reversed(dated("2", "4")))
    forecast = forecast_student(StudentRecord(1, marks, 36, 2))
    assert forecast.uncorrected == 0


def test_deterministic() -> None:
    rec = record("5", "3", "2", "4", "4", "3", "5", hours_unexcused=6)
    assert forecast_student(rec) == forecast_student(rec)


def test_group_forecast() -> None:
    records = [
        StudentRecord(1, dated("5", "5", "4"), 36, 10),
        StudentRecord(2, dated("4", "4", "4"), 36, 10),
        StudentRecord(3, dated("2", "2", "3"), 36, 10),
        StudentRecord(4, dated("3", "4", "3"), 36, 10, hours_unexcused=4),
        StudentRecord(5, (), 36, 10),
    ]
    group = forecast_group(records)
    assert group.distribution == {"5": 1, "4": 1, "3": 1, "2": 1, "нет прогноза": 1}
    assert [s.student_id for s in group.at_risk] == [3, 4, 5]
    assert group.at_risk[0].risk is RiskLevel.HIGH
    assert group.predicted.absolute_text == "75,0 %"
    assert group.predicted.quality_text == "50,0 %"
    assert group.summary == ("прогноз: «5» — 1, «4» — 1, «3» — 1, «2» — 1, «нет прогноза» — 1; "
                             "в группе риска 3 из 5")


def test_empty_group() -> None:
    group = forecast_group([])
    assert group.distribution == {} and group.at_risk == ()
    assert group.predicted.absolute is None
