"""Filling control of the journal (R8, regulation 3.8: at least once in two weeks).

The database lists the gaps (``journal.report_gaps``); these rules name them, count them per
teacher and group and lay them out as the control report, every line leading to its lesson
or cell of the journal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.reports.table import Builder, Jump, ReportTable

KINDS: dict[str, str] = {
    "topic": "нет темы",
    "attendance": "нет посещаемости",
    "homework": "нет задания",
    "late": "заполнено поздно",
    "no_marks": "нет отметок",
    "statement": "ведомость не закрыта",
}
LATE_DAYS = 1
"""A lesson filled more than this many days after its date is filled late."""
NO_MARKS_LESSONS = 8
"""A student without a mark in this many last lessons of a load is listed."""


@dataclass(frozen=True)
class Gap:
    """One gap in filling the journal, as ``journal.report_gaps`` returns it."""

    kind: str
    load_id: int
    lesson_id: int | None
    student_id: int | None
    lesson_date: date | None
    pair_no: int | None
    group: str
    discipline: str
    teacher_id: int
    teacher: str
    student: str
    detail: str

    @property
    def jump(self) -> Jump:
        """The lesson (and the student's cell) this gap is about."""
        return Jump(self.load_id, self.lesson_id, self.student_id)

    @property
    def kind_title(self) -> str:
        """«нет темы», «заполнено поздно», …"""
        return KINDS.get(self.kind, self.kind)


def count_by_kind(gaps: Iterable[Gap]) -> dict[str, int]:
    """How many gaps of each kind, in the order of :data:`KINDS` (kinds with none left out)."""
    counts = Counter(g.kind for g in gaps)
    return {kind: counts[kind] for kind in KINDS if counts[kind]}


def found_text(found: dict[str, int]) -> str:
    """«нет темы: 3, нет задания: 12» or «нарушений нет»."""
    if not any(found.values()):
        return "нарушений нет"
    known = [k for k in KINDS if found.get(k)] + [k for k in found if k not in KINDS]
    return ", ".join(f"{KINDS.get(k, k)}: {found[k]}" for k in known if found[k])


def _period(first: date, last: date) -> str:
    return f"с {first:%d.%m.%Y} по {last:%d.%m.%Y}"


def gaps_table(gaps: Sequence[Gap], first: date, last: date) -> ReportTable:
    """Every gap, by teacher, group, discipline and date; Enter opens its lesson or cell."""
    rows = Builder()
    ordered = sorted(gaps, key=lambda g: (g.teacher, g.group, g.discipline,
                                          g.lesson_date or first, g.pair_no or 0, g.kind,
                                          g.student))
    for g in ordered:
        when = f"{g.lesson_date:%d.%m.%Y}" if g.lesson_date else ""
        pair = f"{g.pair_no} пара" if g.pair_no else ""
        rows.add((g.teacher, g.group, when, pair, g.kind_title, g.student or g.detail,
                  g.discipline), g.jump)
    totals = found_text(count_by_kind(gaps))
    return rows.table("Контроль заполнения журнала", _period(first, last),
                      ("Преподаватель", "Группа", "Дата", "Пара", "Нарушение", "Подробно",
                       "Дисциплина"), notes=(f"Всего: {len(gaps)} ({totals}).",))


def summary_table(gaps: Sequence[Gap], first: date, last: date) -> ReportTable:
    """Gaps counted per teacher and group, one column per kind."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    loads: dict[tuple[str, str], int] = {}
    for g in gaps:
        key = (g.teacher, g.group)
        counts.setdefault(key, Counter())[g.kind] += 1
        loads.setdefault(key, g.load_id)
    rows = Builder()
    for key in sorted(counts):
        c = counts[key]
        rows.add((*key, *(c[k] for k in KINDS), sum(c.values())), Jump(loads[key]))
    return rows.table("Нарушения по преподавателям и группам", _period(first, last),
                      ("Преподаватель", "Группа", *KINDS.values(), "Всего"))
