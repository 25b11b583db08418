"""Program fulfilment per load (R8, R11): hours held against planned, by lesson type.

Planned hours are the load's (the curriculum's share of the period) and its КТП's by lesson
type; held hours are the lessons recorded up to the date; the timetable's lessons after it
are still to come. A load is behind plan when what is held and still scheduled does not
reach what is planned (:func:`core.calendar.lessons.hours_planned_vs_held`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.calendar.lessons import (
    DateRange,
    HoursFulfilment,
    Parity,
    TimetableSlot,
    generate_lessons,
    hours_planned_vs_held,
)
from core.grading.performance import HOURS_PER_PAIR, format_percent
from core.reports.table import Builder, Jump, ReportTable

PRACTICAL_TYPES = ("practical", "lab")


@dataclass(frozen=True)
class LoadProgram:
    """A row of ``journal.report_program``."""

    load_id: int
    group: str
    discipline: str
    teacher_id: int
    teacher: str
    planned: int
    curriculum: int | None
    curriculum_practical: int | None
    curriculum_lab: int | None
    ktp: dict[str, int]
    held: dict[str, int]
    scheduled: int
    period_starts: date | None = None
    period_ends: date | None = None
    slots: tuple[tuple[int, int, str], ...] = ()

    @property
    def fulfilment(self) -> HoursFulfilment:
        """Held and still scheduled against the load's planned hours."""
        return hours_planned_vs_held(self.planned, sum(self.held.values()), hours_per_lesson=1,
                                     scheduled_lessons=self.scheduled)

    @property
    def behind(self) -> bool:
        """What is held and still scheduled falls short of the plan."""
        return self.fulfilment.shortfall > 0


def still_scheduled(row: LoadProgram, after: date, breaks: Sequence[DateRange]) -> LoadProgram:
    """The row with ``scheduled`` = hours the timetable puts after ``after`` up to the
    period's end (lessons already entered for those days are not counted twice)."""
    if not row.slots or row.period_starts is None or row.period_ends is None:
        return row
    slots = [TimetableSlot(w, p, Parity(parity), row.load_id) for w, p, parity in row.slots]
    start = max(after + timedelta(days=1), row.period_starts)
    if start > row.period_ends:
        return replace(row, scheduled=0)
    # week parity counts from the period's first week, so generate from there and cut
    lessons = generate_lessons(slots, row.period_starts, row.period_ends, breaks)
    ahead = sum(1 for lesson in lessons if lesson.date >= start)
    return replace(row, scheduled=ahead * HOURS_PER_PAIR)


def program_table(rows: Sequence[LoadProgram], subtitle: str, *,
                  behind_only: bool = False) -> ReportTable:
    """One line per load: plan, КТП, held by type, still scheduled, shortfall."""
    out = Builder()
    ordered = sorted(rows, key=lambda r: (r.group, r.discipline))
    for r in ordered:
        if behind_only and not r.behind:
            continue
        f = r.fulfilment
        out.add((r.group, r.discipline, r.teacher, r.planned, sum(r.ktp.values()),
                 f.held, r.held.get("practical", 0), r.held.get("lab", 0),
                 r.ktp.get("practical", 0) + r.ktp.get("lab", 0), r.scheduled,
                 format_percent(f.share), max(f.shortfall, 0) or ""),
                Jump(r.load_id), mark=r.behind)
    behind = sum(r.behind for r in rows)
    title = "Нагрузки с отставанием от плана" if behind_only else "Выполнение программы"
    return out.table(title, subtitle,
                     ("Группа", "Дисциплина", "Преподаватель", "План, ч", "КТП, ч", "Проведено",
                      "Практ.", "Лаб.", "ПЗ+ЛЗ по КТП", "Ещё по расписанию", "Выполнено",
                      "Не хватит, ч"),
                     notes=(f"Нагрузок: {len(rows)}, с отставанием от плана: {behind}.",))
