"""Forecast of finals, students at risk and what it takes, academic debts (R9).

The forecast of one student is :func:`core.grading.forecast.forecast_student` (the journal
page's F8); here it runs for every student of every load of a group
(:func:`~core.grading.forecast.forecast_group`), lists the students at risk first with the
reasoning, and says what would change the outcome: «ещё одна «4» даёт итог «4»».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from core.grading.finals import DEFAULT_RULE, RoundingRule
from core.grading.forecast import (
    DatedMark,
    GroupForecast,
    RiskLevel,
    StudentForecast,
    StudentRecord,
    forecast_group,
    forecast_student,
)
from core.reports.table import Builder, Jump, ReportTable
from kernel.marks import MarkValue

COUNT_WORDS = {1: ("ещё одна", "даёт"), 2: ("ещё две", "дают"), 3: ("ещё три", "дают")}
TRY_MARKS = (MarkValue.THREE, MarkValue.FOUR, MarkValue.FIVE)


@dataclass(frozen=True)
class StudentLoadRecord:
    """A row of ``journal.report_forecast`` with the forecast's input built from it."""

    load_id: int
    group_id: int
    group: str
    discipline: str
    teacher_id: int
    teacher: str
    student_id: int
    student: str
    record: StudentRecord


def record_of(row: Sequence[Any]) -> StudentLoadRecord:
    """Build the forecast's record from one SQL row (marks as [date, value, kind] triples)."""
    (load_id, group_id, group, discipline, teacher_id, teacher, student_id, student, planned,
     held, pass_fail, marks, excused, unexcused) = row
    dated = tuple(DatedMark(date.fromisoformat(str(d)), MarkValue(v), str(w))
                  for d, v, w in marks)
    record = StudentRecord(int(student_id), dated, int(planned), int(held),
                           int(excused), int(unexcused), pass_fail=bool(pass_fail))
    return StudentLoadRecord(int(load_id), int(group_id), str(group), str(discipline),
                             int(teacher_id), str(teacher), int(student_id), str(student),
                             record)


def _rank(mark: MarkValue | None) -> int:
    if mark is None:
        return 0
    if mark is MarkValue.PASS:
        return 5
    if mark is MarkValue.FAIL:
        return 2
    return mark.points or 0


def what_it_takes(record: StudentRecord, today: date,
                  rule: RoundingRule = DEFAULT_RULE) -> str:
    """The fewest and lowest further marks that raise the predicted final by one step
    (from 2 or none: to 3), e.g. «ещё одна «4» даёт итог «4»»; empty when none of three
    more marks would (or the forecast is already 5 / зачёт)."""
    now = forecast_student(record, rule)
    if now.predicted in (MarkValue.FIVE, MarkValue.PASS):
        return ""
    goal = max(3, _rank(now.predicted) + 1)
    tries = (MarkValue.PASS,) if record.pass_fail else TRY_MARKS
    for count in (1, 2, 3):
        for mark in tries:
            extra = tuple(DatedMark(today + timedelta(days=n), mark, "")
                          for n in range(1, count + 1))
            then = forecast_student(replace(record, marks=(*record.marks, *extra)), rule)
            if _rank(then.predicted) >= goal:
                words, verb = COUNT_WORDS[count]
                return f"{words} «{mark}» {verb} итог «{then.predicted}»"
    return "тремя отметками не исправить: нужна отработка"


def group_forecasts(rows: Sequence[StudentLoadRecord],
                    rule: RoundingRule = DEFAULT_RULE) -> dict[int, GroupForecast]:
    """The forecast of every load, by load id."""
    by_load: dict[int, list[StudentRecord]] = {}
    for row in rows:
        by_load.setdefault(row.load_id, []).append(row.record)
    return {load: forecast_group(records, rule) for load, records in by_load.items()}


def forecast_table(rows: Sequence[StudentLoadRecord], subtitle: str,
                   rule: RoundingRule = DEFAULT_RULE) -> ReportTable:
    """Per load: the predicted distribution, predicted performance, how many at risk."""
    forecasts = group_forecasts(rows, rule)
    first = {r.load_id: r for r in rows}
    out = Builder()
    for load_id in sorted(forecasts, key=lambda k: (first[k].group, first[k].discipline)):
        f, r = forecasts[load_id], first[load_id]
        out.add((r.group, r.discipline, r.teacher,
                 ", ".join(f"«{k}» {n}" for k, n in f.distribution.items()),
                 f.predicted.absolute_text, f.predicted.quality_text, len(f.at_risk)),
                Jump(load_id), mark=bool(f.at_risk))
    return out.table("Прогноз итоговых отметок", subtitle,
                     ("Группа", "Дисциплина", "Преподаватель", "Прогноз", "Абс. успеваемость",
                      "Качество", "В группе риска"))


def risk_table(rows: Sequence[StudentLoadRecord], subtitle: str, today: date,
               rule: RoundingRule = DEFAULT_RULE) -> ReportTable:
    """Students at risk (high risk first), the reasoning and what it takes."""
    found: list[tuple[StudentLoadRecord, StudentForecast]] = []
    for row in rows:
        forecast = forecast_student(row.record, rule)
        if forecast.risk is not RiskLevel.NONE:
            found.append((row, forecast))
    found.sort(key=lambda x: (-x[1].risk.rank, x[0].group, x[0].student, x[0].discipline))
    out = Builder()
    for row, forecast in found:
        out.add((row.group, row.student, row.discipline, forecast.predicted_text,
                 str(forecast.risk), forecast.explanation,
                 what_it_takes(row.record, today, rule)),
                Jump(row.load_id, None, row.student_id),
                mark=forecast.risk is RiskLevel.HIGH)
    return out.table("Студенты в группе риска", subtitle,
                     ("Группа", "Студент", "Дисциплина", "Прогноз", "Риск", "Почему",
                      "Что нужно"),
                     notes=(f"В группе риска: {len(found)}; высокий риск выделен.",))


def debts_table(rows: Sequence[Sequence[Any]], subtitle: str) -> ReportTable:
    """Academic debts after closed statements, with the retake date when set."""
    out = Builder()
    for (_statement, load_id, group, discipline, teacher, form, held_on, student_id, student,
         value, retake_on, note) in rows:
        held = f"{held_on:%d.%m.%Y}" if isinstance(held_on, date) else ""
        retake = f"{retake_on:%d.%m.%Y}" if isinstance(retake_on, date) else "не назначена"
        out.add((group, student, discipline, teacher, form, held, value, retake, note),
                Jump(int(load_id), None, int(student_id)),
                mark=retake_on is None)
    return out.table("Академические задолженности", subtitle,
                     ("Группа", "Студент", "Дисциплина", "Преподаватель", "Форма", "Дата",
                      "Итог", "Пересдача", "Примечание"),
                     notes=(f"Задолженностей: {len(rows)}; без даты пересдачи выделены.",))
