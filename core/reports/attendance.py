"""Attendance by student, group, month and discipline with the НУ/НН split (R8).

Hours held and missed come from ``journal.report_absences`` per student, load and month;
these rules sum them along one dimension and mark the lines where more than
:data:`THRESHOLD` of the hours held were missed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.grading.performance import MissedHours, format_percent
from core.reports.table import Builder, Chart, ReportTable, StudentInLoad

THRESHOLD = Decimal("0.30")
CHART_WEEKS = 12
"""At most this many weeks are drawn (the last ones of the dates): more bars do not fit."""
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
          "октябрь", "ноябрь", "декабрь")
DIMENSIONS: dict[str, str] = {
    "student": "Студент",
    "group": "Группа",
    "month": "Месяц",
    "discipline": "Дисциплина",
}


@dataclass(frozen=True)
class StudentMonth(StudentInLoad):
    """A student's hours in one load and month (a row of ``journal.report_absences``)."""

    month: date
    held: int
    excused: int
    unexcused: int


def month_title(month: date) -> str:
    """«сентябрь 2026»."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def _key(dimension: str) -> Callable[[StudentMonth], tuple[str, ...]]:
    return {
        "student": lambda r: (r.group, r.student),
        "group": lambda r: (r.group,),
        "month": lambda r: (f"{r.month:%Y-%m}",),
        "discipline": lambda r: (r.discipline,),
    }[dimension]


@dataclass(frozen=True)
class Line:
    """Sums of one line: hours held (per student) and missed."""

    held: int
    missed: MissedHours

    @property
    def share(self) -> Decimal | None:
        """Missed hours as a fraction of the hours held."""
        return self.missed.share_of(self.held)

    @property
    def over(self) -> bool:
        """More than :data:`THRESHOLD` missed."""
        return self.share is not None and self.share > THRESHOLD


def sums_by(rows: Sequence[StudentMonth], dimension: str) -> dict[tuple[str, ...], Line]:
    """Hours held and missed summed for each value of ``dimension``."""
    key = _key(dimension)
    sums: dict[tuple[str, ...], list[int]] = {}
    for r in rows:
        k = key(r)
        line = sums.get(k)
        if line is None:
            sums[k] = [r.held, r.excused, r.unexcused]
        else:
            line[0] += r.held
            line[1] += r.excused
            line[2] += r.unexcused
    return {k: Line(v[0], MissedHours(v[1], v[2])) for k, v in sorted(sums.items())}


def attendance_table(rows: Sequence[StudentMonth], dimension: str, subtitle: str) -> ReportTable:
    """One line per value; lines over the threshold are marked; a chart by month."""
    return totals_table(sums_by(rows, dimension), dimension, subtitle, sums_by(rows, "month"))


def totals_table(lines: dict[tuple[str, ...], Line], dimension: str, subtitle: str,
                 months: dict[tuple[str, ...], Line], chart: Chart | None = None) -> ReportTable:
    """The table of lines already summed along ``dimension`` (here or in the database); the
    chart by month unless another (:func:`week_chart`) is given."""
    out = Builder()
    for k, line in sorted(lines.items()):
        label = (month_title(date.fromisoformat(k[0] + "-01")),) if dimension == "month" else k
        out.add((*label, line.held, line.missed.total, line.missed.excused,
                 line.missed.unexcused, format_percent(line.share)), mark=line.over)
    total = Line(sum(v.held for v in lines.values()),
                 MissedHours(sum(v.missed.excused for v in lines.values()),
                             sum(v.missed.unexcused for v in lines.values())))
    heads = ("Группа", "Студент") if dimension == "student" else (DIMENSIONS[dimension],)
    return out.table(
        f"Посещаемость: {DIMENSIONS[dimension].lower()}", subtitle,
        (*heads, "Часов проведено", "Пропущено", "НУ", "НН", "Доля пропусков"),
        notes=(f"Всего проведено {total.held} ч, {total.missed.text}, "
               f"доля пропусков {format_percent(total.share)}.",
               f"Выделены строки, где пропущено больше {format_percent(THRESHOLD, 0)} часов.",
               "Часы считаются на каждого студента: у группы — сумма часов её студентов."),
        chart=chart or month_chart(months))


def month_chart(months: dict[tuple[str, ...], Line]) -> Chart | None:
    """НУ and НН hours by month (lines summed by month)."""
    if not months:
        return None
    ordered = sorted(months.items())
    labels = tuple(month_title(date.fromisoformat(k[0] + "-01")) for k, _v in ordered)
    return Chart("Пропущено часов по месяцам", labels,
                 (("НУ", tuple(float(v.missed.excused) for _k, v in ordered)),
                  ("НН", tuple(float(v.missed.unexcused) for _k, v in ordered))))


def week_chart(weeks: dict[date, Line], first: date, last: date) -> Chart:
    """НУ and НН hours by week (labelled by its Monday), every week of the dates drawn, empty
    ones (vacations) as zero; of a longer range the last :data:`CHART_WEEKS` weeks."""
    monday = first - timedelta(days=first.weekday())
    mondays = []
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    shown = mondays[-CHART_WEEKS:]
    empty = Line(0, MissedHours(0, 0))
    lines = [weeks.get(m, empty) for m in shown]
    title = "Пропущено часов по неделям"
    if len(mondays) > len(shown):
        title += f" (последние {len(shown)} недель)"
    return Chart(title, tuple(f"{m:%d.%m}" for m in shown),
                 (("НУ", tuple(float(v.missed.excused) for v in lines)),
                  ("НН", tuple(float(v.missed.unexcused) for v in lines))))
