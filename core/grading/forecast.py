"""Forecast of semester final marks and students at risk (R9, regulation 2.2).

The method is deliberately simple, deterministic and explained to the user in Russian.

Graded discipline, per student:

1. **Weighted mean** of the numeric marks: every mark has weight 1, the last
   ``RECENT`` (5) marks have weight 2 — recent work says more about the final mark.
2. **Absence penalty**: ``2 × (НН hours / hours held)``, at most 1 point — unexcused absence
   takes away lessons and marks to come. НУ hours are shown but not penalized.
3. **Predicted mark** = the weighted mean minus the penalty, clamped to 2…5 and rounded by the
   rounding rule setting.
4. **Trend**: the mean of the last ``RECENT`` marks against the mean of the earlier ones
   (at least ``MIN_EARLIER`` (3) of them); a difference of at least 0.3 is shown as growth
   or decline (it already counts through the weights).
5. **Uncorrected twos**: a 2 is corrected by a later positive mark for the same kind of
   work; a mark without a kind of work matches any kind.

Pass/fail discipline: зачёт when every 2 or незачёт is corrected (as in step 5; the same
rule as :func:`core.grading.finals.pass_fail_result` when kinds of work are not given), otherwise
незачёт; no absence penalty.

Risk level:

* высокий риск — predicted 2 / незачёт, or at least 3 uncorrected twos, or НН is at least
  40 % of the hours held, or no mark at all after half of the planned lessons;
* есть риск — predicted mark below 3.0 before rounding (a 3 only by rounding), an
  uncorrected 2 or незачёт, a declining trend with a predicted 3, НН at least 20 % of the
  hours held, no mark after a quarter of the planned lessons, or fewer than 3 marks after
  half of them;
* нет риска — otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.grading.finals import DEFAULT_RULE, RoundingRule, format_decimal, round_mark
from core.grading.performance import HOURS_PER_PAIR, Performance, format_percent, performance, share
from kernel.marks import MarkValue
from kernel.text import plural

RECENT = 5
TREND_STEP = Decimal("0.3")
PENALTY_FACTOR = Decimal(2)
MAX_PENALTY = Decimal(1)
RISKY_MEAN = Decimal(3)
HIGH_RISK_TWOS = 3
HIGH_RISK_NN = Decimal("0.4")
RISK_NN = Decimal("0.2")
FEW_MARKS = 3
MIN_EARLIER = 3


class RiskLevel(StrEnum):
    """How likely a student is to fail the discipline."""

    NONE = "нет риска"
    RISK = "есть риск"
    HIGH = "высокий риск"

    @property
    def rank(self) -> int:
        """0, 1, 2 for sorting (higher is worse)."""
        return [RiskLevel.NONE, RiskLevel.RISK, RiskLevel.HIGH].index(self)


class Trend(StrEnum):
    """Recent marks compared with the earlier ones."""

    UP = "тенденция к повышению"
    DOWN = "тенденция к снижению"
    FLAT = "без заметных изменений"


@dataclass(frozen=True)
class DatedMark:
    """A current mark with its lesson date.

    Attributes:
        date: The lesson day.
        value: The mark.
        work: The kind of work (контрольная, …); a 2 is corrected by a later positive mark
            for the same kind. Empty: any kind.
    """

    date: date
    value: MarkValue
    work: str = ""


@dataclass(frozen=True)
class StudentRecord:
    """What the forecast knows of one student in one discipline and period.

    Attributes:
        student_id: The student's key.
        marks: Current marks of the period (any order; sorted by date inside).
        lessons_planned: Lessons the period has for the discipline.
        lessons_held: Lessons held so far.
        hours_excused: НУ hours missed.
        hours_unexcused: НН hours missed.
        hours_per_lesson: Academic hours of one lesson (2 for a пара).
        pass_fail: The discipline is assessed by зачёт/незачёт.
    """

    student_id: int
    marks: Sequence[DatedMark] = ()
    lessons_planned: int = 0
    lessons_held: int = 0
    hours_excused: int = 0
    hours_unexcused: int = 0
    hours_per_lesson: int = HOURS_PER_PAIR
    pass_fail: bool = False

    @property
    def hours_held(self) -> int:
        """Hours of the lessons held."""
        return self.lessons_held * self.hours_per_lesson

    @property
    def unexcused_share(self) -> Decimal:
        """НН hours as a fraction of the hours held (0 when nothing was held)."""
        return share(self.hours_unexcused, self.hours_held) or Decimal(0)


@dataclass(frozen=True)
class StudentForecast:
    """The predicted final mark of one student, with the reasoning.

    Attributes:
        student_id: The student's key.
        predicted: The predicted final mark, or None without marks.
        risk: The risk level.
        mean: Plain mean of the numeric marks, or None.
        weighted: The weighted mean minus the absence penalty (before rounding), or None.
        trend: Recent marks against earlier ones.
        uncorrected: Uncorrected twos (or незачёт for a pass/fail discipline).
        reasons: Russian phrases explaining the forecast.
    """

    student_id: int
    predicted: MarkValue | None
    risk: RiskLevel
    mean: Decimal | None = None
    weighted: Decimal | None = None
    trend: Trend = Trend.FLAT
    uncorrected: int = 0
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def explanation(self) -> str:
        """The reasons in one line, ``"; "``-separated."""
        return "; ".join(self.reasons)

    @property
    def predicted_text(self) -> str:
        """The predicted mark, or ``"нет прогноза"``."""
        return "нет прогноза" if self.predicted is None else str(self.predicted)



def _mean(points: Sequence[int]) -> Decimal | None:
    return None if not points else Decimal(sum(points)) / Decimal(len(points))


def weighted_mean(points: Sequence[int]) -> Decimal | None:
    """Mean of marks, oldest first, where the last ``RECENT`` marks count twice."""
    if not points:
        return None
    weights = [2 if i >= len(points) - RECENT else 1 for i in range(len(points))]
    total = sum(p * w for p, w in zip(points, weights, strict=True))
    return Decimal(total) / Decimal(sum(weights))


def trend_of(points: Sequence[int]) -> tuple[Trend, Decimal | None]:
    """The trend of marks (oldest first) and the mean of the last ``RECENT`` of them."""
    recent, earlier = _mean(points[-RECENT:]), _mean(points[:-RECENT])
    if recent is None or earlier is None or len(points) - RECENT < MIN_EARLIER:
        return Trend.FLAT, recent
    if recent - earlier >= TREND_STEP:
        return Trend.UP, recent
    if earlier - recent >= TREND_STEP:
        return Trend.DOWN, recent
    return Trend.FLAT, recent


def uncorrected_twos(marks: Sequence[DatedMark]) -> int:
    """Twos and незачёт not corrected by a later positive mark.

    A failing mark is corrected by a later positive mark (3–5 or зачёт) of the same kind of
    work; a mark without a kind matches any kind.

    Args:
        marks: Marks, oldest first.
    """
    open_by_work: dict[str, int] = {}
    for mark in marks:
        if mark.value.is_failing:
            open_by_work[mark.work] = open_by_work.get(mark.work, 0) + 1
            continue
        key = _correctable(open_by_work, mark.work)
        if key is not None:
            open_by_work[key] -= 1
    return sum(open_by_work.values())


def _correctable(open_by_work: dict[str, int], work: str) -> str | None:
    """The kind of work whose open failing mark a positive mark of ``work`` corrects."""
    if open_by_work.get(work):
        return work
    if work:
        return "" if open_by_work.get("") else None
    return next((k for k, n in open_by_work.items() if n), None)


def _absence_phrase(record: StudentRecord) -> str | None:
    missed = record.hours_excused + record.hours_unexcused
    if not missed:
        return None
    text = f"пропущено {missed} ч (НН {record.hours_unexcused} ч"
    if record.hours_unexcused and record.hours_held:
        text += f" — {format_percent(record.unexcused_share)} проведённых часов"
    return text + ")"


def _marks_phrase(mean: Decimal, count: int) -> str:
    word = "отметке" if count % 10 == 1 and count % 100 != 11 else "отметкам"
    return f"средний {format_decimal(mean)} по {count} {word}"


def _trend_phrase(trend: Trend, recent: Decimal | None, count: int) -> str | None:
    if recent is None or count < RECENT + MIN_EARLIER:
        return None
    word = plural(RECENT, "отметка", "отметки", "отметок")
    return f"последние {RECENT} {word} — {format_decimal(recent, 1)}, {trend}"


_UNCORRECTED_WORDS = {
    False: ("неисправленная двойка", "неисправленные двойки", "неисправленных двоек"),
    True: ("неисправленный незачёт", "неисправленных незачёта", "неисправленных незачётов"),
}


def _twos_phrase(count: int, pass_fail: bool) -> str | None:
    if not count:
        return None
    return f"{count} {plural(count, *_UNCORRECTED_WORDS[pass_fail])}"


def _progress_phrase(record: StudentRecord, count: int) -> str | None:
    if record.lessons_planned <= 0:
        return None
    held, planned = record.lessons_held, record.lessons_planned
    if count == 0:
        of = plural(planned, "занятия", "занятий", "занятий")
        return f"проведено {held} из {planned} {of}"
    if count < FEW_MARKS and 2 * held >= planned:
        return f"мало отметок: {count} за {held} {plural(held, 'занятие', 'занятия', 'занятий')}"
    return None


def _progress(record: StudentRecord) -> Decimal:
    return share(record.lessons_held, record.lessons_planned) or Decimal(0)


def _risk(record: StudentRecord, forecast: StudentForecast, count: int) -> RiskLevel:
    """The risk level by the rules of the module docstring."""
    nn, progress = record.unexcused_share, _progress(record)
    failing = forecast.predicted is not None and forecast.predicted.is_failing
    if (failing or forecast.uncorrected >= HIGH_RISK_TWOS or nn >= HIGH_RISK_NN
            or (count == 0 and progress >= Decimal("0.5"))):
        return RiskLevel.HIGH
    slipping = forecast.weighted is not None and forecast.weighted < RISKY_MEAN
    falling = forecast.trend is Trend.DOWN and forecast.predicted is MarkValue.THREE
    if (slipping or forecast.uncorrected or falling or nn >= RISK_NN
            or (count == 0 and progress >= Decimal("0.25"))
            or (count < FEW_MARKS and progress >= Decimal("0.5"))):
        return RiskLevel.RISK
    return RiskLevel.NONE


def _graded(record: StudentRecord, marks: Sequence[DatedMark],
            rule: RoundingRule) -> tuple[StudentForecast, list[str]]:
    """Forecast of a graded discipline, without the risk level yet."""
    numeric = [m for m in marks if m.value.points is not None]
    points = [m.value.points or 0 for m in numeric]
    mean, weighted = _mean(points), weighted_mean(points)
    trend, recent = trend_of(points)
    twos = uncorrected_twos(numeric)
    reasons = [_marks_phrase(mean, len(points))] if mean is not None else ["нет отметок"]
    reasons += [p for p in (_trend_phrase(trend, recent, len(points)),
                            _twos_phrase(twos, False), _absence_phrase(record)) if p]
    predicted = adjusted = None
    if weighted is not None:
        penalty = min(MAX_PENALTY, PENALTY_FACTOR * record.unexcused_share)
        adjusted = max(Decimal(2), min(Decimal(5), weighted - penalty))
        predicted = round_mark(adjusted, rule)
        if adjusted != mean:
            reasons.append("с учётом последних отметок и пропусков — "
                           f"{format_decimal(adjusted)} → {predicted}")
    return StudentForecast(record.student_id, predicted, RiskLevel.NONE, mean, adjusted,
                           trend, twos), reasons


def _pass_fail(record: StudentRecord,
               marks: Sequence[DatedMark]) -> tuple[StudentForecast, list[str]]:
    """Forecast of a pass/fail discipline, without the risk level yet."""
    open_fails = uncorrected_twos(marks)
    predicted = None if not marks else (MarkValue.FAIL if open_fails else MarkValue.PASS)
    passes = sum(1 for m in marks if not m.value.is_failing)
    reasons = [f"зачётов {passes}, незачётов {len(marks) - passes}"] if marks else ["нет отметок"]
    reasons += [p for p in (_twos_phrase(open_fails, True), _absence_phrase(record)) if p]
    return StudentForecast(record.student_id, predicted, RiskLevel.NONE,
                           uncorrected=open_fails), reasons


def forecast_student(record: StudentRecord, rule: RoundingRule = DEFAULT_RULE) -> StudentForecast:
    """Predict one student's final mark in a discipline, with the risk level and reasons.

    Args:
        record: The student's marks, attendance and the period's progress.
        rule: The rounding rule setting.
    """
    marks = sorted(record.marks, key=lambda m: m.date)
    if record.pass_fail:
        forecast, reasons = _pass_fail(record, marks)
    else:
        forecast, reasons = _graded(record, marks, rule)
    count = len(marks) if record.pass_fail else sum(1 for m in marks if m.value.points is not None)
    progress = _progress_phrase(record, count)
    if progress:
        reasons.append(progress)
    risk = _risk(record, forecast, count)
    return StudentForecast(forecast.student_id, forecast.predicted, risk, forecast.mean,
                           forecast.weighted, forecast.trend, forecast.uncorrected,
                           tuple(reasons))


NO_FORECAST = "нет прогноза"
_DISTRIBUTION_ORDER = ("5", "4", "3", "2", "зачёт", "незачёт", NO_FORECAST)


@dataclass(frozen=True)
class GroupForecast:
    """The forecast of a group in one discipline.

    Attributes:
        students: Every student's forecast, in the order given.
        distribution: How many students are predicted each mark (``"5"`` … ``"незачёт"``,
            ``"нет прогноза"``), only the marks that occur.
        predicted: Performance figures (успеваемость, качество) of the predicted marks.
    """

    students: tuple[StudentForecast, ...]
    distribution: dict[str, int]
    predicted: Performance

    @property
    def at_risk(self) -> tuple[StudentForecast, ...]:
        """Students at risk, high risk first."""
        risky = [s for s in self.students if s.risk is not RiskLevel.NONE]
        return tuple(sorted(risky, key=lambda s: -s.risk.rank))

    @property
    def summary(self) -> str:
        """``"прогноз: «5» — 3, «4» — 7, «3» — 10; в группе риска 4 из 20"``."""
        parts = ", ".join(f"«{k}» — {n}" for k, n in self.distribution.items())
        return f"прогноз: {parts}; в группе риска {len(self.at_risk)} из {len(self.students)}"


def forecast_group(records: Iterable[StudentRecord],
                   rule: RoundingRule = DEFAULT_RULE) -> GroupForecast:
    """Forecast every student of a group and sum up.

    Args:
        records: One record per student.
        rule: The rounding rule setting.
    """
    students = tuple(forecast_student(r, rule) for r in records)
    texts = [s.predicted_text for s in students]
    distribution = {k: texts.count(k) for k in _DISTRIBUTION_ORDER if k in texts}
    figures = performance({s.student_id: [s.predicted] for s in students})
    return GroupForecast(students, distribution, figures)
