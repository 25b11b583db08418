"""Forecast, students at risk, what it takes and academic debts (R9) on the hand-made college.

In Математика of GA (load la; see college.py) up to today: 3 lessons held of 36 planned.
sa1: 4 (B) and 5 (la1), НН 2 h of 6 → weighted mean 4,5 − penalty 2·⅓ = 3,83 → «4», and
НН at least 20 % of the hours held → «есть риск». sa2: 2, 3, 5 → 3,33 → «3», the 2 corrected by
the later 5 of the same kind → no risk. sa3: no marks after 3 of 36 lessons → no forecast, no
risk yet. Nobody else is at risk.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
import pytest

from core.grading.forecast import DatedMark, StudentRecord
from core.reports import queries
from core.reports.risk import debts_table, forecast_table, risk_table, what_it_takes
from kernel.marks import MarkValue
from tests.core.reports.college import add_gaps


def _dates(world: Any) -> tuple[dt.date, dt.date]:
    return world.today - dt.timedelta(days=13), world.today


def test_group_forecast_and_the_students_at_risk(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    rows = queries.forecast_rows(login_as("office"), *_dates(world))
    forecast = forecast_table(rows, "")
    la = next(r for r in forecast.rows if r[1] == "Математика" and r[0] == "ИС-24-1")
    assert la[3:] == ("«4» 1, «3» 1, «нет прогноза» 1", "100,0 %", "50,0 %", 1)
    risk = risk_table(rows, "", world.today)
    assert len(risk.rows) == 1
    group, student, discipline, predicted, level, why, _takes = risk.rows[0]
    assert (group, student, discipline, predicted, level) == (
        "ИС-24-1", "Студент-student Тест", "Математика", "4", "есть риск")
    assert "НН 2 ч" in why or "НН" in why
    assert risk.jumps[0] is not None and risk.jumps[0].student_id == world.person["sa1"]
    only_ga = queries.forecast_rows(login_as("office"), *_dates(world), world.group["GB"])
    assert {r.group_id for r in only_ga} == {world.group["GB"]}


def test_forecast_rows_follow_the_person(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    mine = queries.forecast_rows(login_as("teacher"), *_dates(world))
    assert {r.load_id for r in mine} == {world.load["la"]}
    curated = queries.forecast_rows(login_as("curator2"), *_dates(world))
    assert {r.load_id for r in curated} == {world.load["lb"]}
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        queries.forecast_rows(login_as("parent"), *_dates(world))


def _record(*points: int) -> StudentRecord:
    day = dt.date(2026, 10, 1)
    marks = tuple(DatedMark(day + dt.timedelta(days=n), MarkValue(str(p)))
                  for n, p in enumerate(points))
    return StudentRecord(1, marks, lessons_planned=36, lessons_held=len(points))


@pytest.mark.parametrize(("points", "expected"), [
    ((3, 3, 4), "ещё одна «4» даёт итог «4»"),      # 3,33 → 3; with a 4: 3,5 → 4
    ((2, 2, 3), "ещё одна «3» даёт итог «3»"),      # 2,33 → 2; with a 3: 2,5 → 3
    ((4, 5, 4), "ещё одна «5» даёт итог «5»"),      # 4,33 → 4; with a 5: 4,5 → 5
    # the last five marks weigh 2: a 3 gives (2 + 2·11)/11 = 2,18, a 4 gives 2,36, a 5 2,55 → 3
    ((2, 2, 2, 2, 2), "ещё одна «5» даёт итог «3»"),
    # eight 2s: one 5 gives (8 + 2·13)/14 = 2,43; two 4s give (10 + 2·14)/15 = 2,53 → 3
    ((2, 2, 2, 2, 2, 2, 2, 2), "ещё две «4» дают итог «3»"),
    ((5, 5), ""),
])
def test_what_it_takes(points: tuple[int, ...], expected: str) -> None:
    assert what_it_takes(_record(*points), dt.date(2026, 11, 1)) == expected


def test_debts_with_retake_dates(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    statement = world.statement["la"]
    su.execute("INSERT INTO journal.statement_mark VALUES (%s, %s, '2')",
               (statement, world.person["sa2"]))
    su.execute("UPDATE journal.statement SET closed_at = now() WHERE id = %s", (statement,))
    office = login_as("office")
    rows = queries.debts(office, *_dates(world))
    assert [(r[8], r[9], r[10]) for r in rows] == [("Студент-sa2 Тест", "2", None)]
    table = debts_table(rows, "")
    assert table.rows[0][7] == "не назначена" and table.marked == {0}
    day = world.today + dt.timedelta(days=7)
    queries.set_retake(office, statement, world.person["sa2"], day, "ауд. 12")
    again = debts_table(queries.debts(office, *_dates(world)), "")
    assert again.rows[0][7:] == (f"{day:%d.%m.%Y}", "ауд. 12") and not again.marked
    assert len(queries.debts(login_as("teacher"), *_dates(world))) == 1
    assert queries.debts(login_as("teacher2"), *_dates(world)) == []
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        queries.set_retake(login_as("teacher"), statement, world.person["sa2"], day)
