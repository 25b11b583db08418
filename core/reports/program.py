"""Program fulfilment per load (R8, R11): hours held against planned, by lesson type.

Planned hours are the load's (the curriculum's share of the period) and its КТП's by lesson
type; held hours are the lessons recorded up to the date; the timetable's lessons after it
are still to come. A load is behind plan when what is held and still scheduled does not
reach what is planned (:func:`core.calendar.lessons.hours_planned_vs_held`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.calendar.lessons import HoursFulfilment, hours_planned_vs_held
from core.grading.performance import format_percent
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

    @property
    def fulfilment(self) -> HoursFulfilment:
        """Held and still scheduled against the load's planned hours."""
        return hours_planned_vs_held(self.planned, sum(self.held.values()), hours_per_lesson=1,
                                     scheduled_lessons=self.scheduled)

    @property
    def behind(self) -> bool:
        """What is held and still scheduled falls short of the plan."""
        return self.fulfilment.shortfall > 0


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
