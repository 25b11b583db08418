"""The attendance report's week chart (issue 14: "the week's and month's attendance as a
chart") on the hand-made college (see college.py): the plotted numbers are the report's.

Of the dates today − 13 … today only lesson B (today − 10) has absences: sa1 НН and sa2 НУ,
2 hours each; la1, la2_1 (today) and C (today − 1) have only «П». So the week holding
today − 10 draws НУ 2 and НН 2, every other week 0, and the bars add up to the table's НУ 2,
НН 2 (40 % of GA's 10 hours, see test_figures.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.reports import queries
from core.reports.attendance import CHART_WEEKS, totals_table, week_chart
from tests.core.reports.college import add_gaps


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def test_week_chart_draws_the_reports_figures(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    office = login_as("office")
    first, last = world.today - dt.timedelta(days=13), world.today
    weeks = queries.attendance_weeks(office, first, last)
    chart = week_chart(weeks, first, last)
    mondays = [_monday(first) + dt.timedelta(days=7 * i)
               for i in range((_monday(last) - _monday(first)).days // 7 + 1)]
    assert chart.labels == tuple(f"{m:%d.%m}" for m in mondays)
    absent = mondays.index(_monday(world.today - dt.timedelta(days=10)))
    expected = [2.0 if i == absent else 0.0 for i in range(len(mondays))]
    assert chart.series == (("НУ", tuple(expected)), ("НН", tuple(expected)))
    # held: B 6 h (three students), C 2 h, and 2 h of the first student of each of the
    # world's lessons of today: la1, la2_1, lb1, lc1, lb_sub
    assert sum(line.held for line in weeks.values()) == 6 + 2 + 5 * 2

    groups = totals_table(queries.attendance_totals(office, first, last, "group"), "group", "",
                          queries.attendance_totals(office, first, last, "month"), chart)
    assert groups.chart is chart
    assert sum(chart.series[0][1]) == sum(int(r[3] or 0) for r in groups.rows) == 2
    assert sum(chart.series[1][1]) == sum(int(r[4] or 0) for r in groups.rows) == 2
    held = sum(int(r[1] or 0) for r in groups.rows)
    assert held == sum(line.held for line in weeks.values())


def test_week_chart_of_a_teacher_holds_only_their_loads(su: Any, world: Any,
                                                        login_as: Any) -> None:
    add_gaps(su, world)
    first, last = world.today - dt.timedelta(days=13), world.today
    mine = queries.attendance_weeks(login_as("teacher"), first, last)
    assert sum(v.missed.total for v in mine.values()) == 4       # la: lesson B
    assert sum(v.held for v in mine.values()) == 6 + 2           # B and la1
    other = queries.attendance_weeks(login_as("teacher2"), first, last)
    assert sum(v.missed.total for v in other.values()) == 0
    assert sum(v.held for v in other.values()) == 4 * 2 + 2      # la2_1, lb1, lc1, lb_sub, C


def test_a_long_range_draws_its_last_weeks() -> None:
    first, last = dt.date(2026, 9, 1), dt.date(2026, 12, 7)
    chart = week_chart({}, first, last)
    assert len(chart.labels) == CHART_WEEKS and chart.labels[-1] == "07.12"
    assert chart.title == f"Пропущено часов по неделям (последние {CHART_WEEKS} недель)"
    assert week_chart({}, dt.date(2026, 11, 30), last).labels == ("30.11", "07.12")
