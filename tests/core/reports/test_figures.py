"""Performance, attendance and program figures on the hand-made college (see college.py).

Over today − 13 … today: sa1 has 5 (la1) and 4 (B) in Математика → mean 4,5 → 5, and 5 in
Физика; sa2 has 5, 2, 3 → 3,33 → 3, and 5 in Физика; sa3 has none. GA: results 5, 5, 3, 5:
average 4,50, абсолютная 2 of 2 = 100 %, качество 1 of 2 = 50 %, СОУ (3 + 0,36)/4 = 84 %.
GB and GC: every result 5. The college: 8 results (seven 5, one 3), 38/8 = 4,75,
качество 5 of 6, СОУ 7,36/8 = 92 %.
Attendance of GA: la1 sa1 П (2 h), B sa1 НН, sa2 НУ, sa3 П (6 h), la2_1 sa1 П (2 h): held 10,
missed 4 (НУ 2, НН 2) = 40 %; sa1 2 of 6 h (33,3 %) and sa2 2 of 2 (100 %) over 30 %.
Program of la: planned 72, КТП 2, held la1 and B (4 h; A was not held), nothing scheduled
after today: 68 h short.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from core.reports import queries
from core.reports.attendance import attendance_table
from core.reports.performance import compare_table, performance_table
from core.reports.program import program_table
from core.reports.table import to_xlsx
from tests.core.reports.college import add_gaps


def _dates(world: Any) -> tuple[dt.date, dt.date]:
    return world.today - dt.timedelta(days=13), world.today


def test_performance_by_group_and_college(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    rows = queries.results(login_as("office"), *_dates(world))
    table = performance_table(rows, "group", "")
    by_name = {r[0]: r[1:] for r in table.rows}
    assert by_name["ИС-24-1"] == ("2", "4,50", "100,0 %", "50,0 %", "84,0 %", "0")
    assert by_name["ИС-24-2"] == ("2", "5,00", "100,0 %", "100,0 %", "100,0 %", "0")
    assert by_name["Итого"] == ("6", "4,75", "100,0 %", "83,3 %", "92,0 %", "0")
    disciplines = {r[0]: r[1:] for r in performance_table(rows, "discipline", "").rows}
    # Математика: sa1 5, sa2 3, sb1 5, sb2 5, sc1 5, sc2 5 → 28/6
    assert disciplines["Математика"][:4] == ("6", "4,67", "100,0 %", "83,3 %")
    assert disciplines["Физика"][:4] == ("2", "5,00", "100,0 %", "100,0 %")


def test_a_teacher_reports_on_their_loads_only(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    mine = queries.results(login_as("teacher"), *_dates(world))
    assert {r.load_id for r in mine} == {world.load["la"]}
    curated = queries.results(login_as("curator"), *_dates(world))
    assert {r.load_id for r in curated} == {world.load["la"], world.load["la2"]}
    table = performance_table(mine, "teacher", "")
    assert [r[0] for r in table.rows] == ["Сотрудник-teacher Т.", "Итого"]


def test_period_against_period(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    office = login_as("office")
    today = world.today
    early = queries.results(office, today - dt.timedelta(days=13), today - dt.timedelta(days=4))
    late = queries.results(office, today - dt.timedelta(days=3), today)
    table = compare_table(early, late, "group", ("ранее", "позже"))
    ga = next(r for r in table.rows if r[0] == "ИС-24-1")
    # early: B only — sa1 4, sa2 (2+3)/2 = 2,5 → 3 (half up): average 3,50, абсолютная 100 %
    # late: la1 — sa1 5, sa2 5: average 5,00
    assert ga[1:3] == ("3,50", "5,00")


def test_attendance_by_student_and_group(su: Any, world: Any, login_as: Any, tmp_path: Path) -> None:
    add_gaps(su, world)
    rows = queries.absences(login_as("office"), *_dates(world))
    groups = attendance_table(rows, "group", "")
    ga = next(i for i, r in enumerate(groups.rows) if r[0] == "ИС-24-1")
    assert groups.rows[ga] == ("ИС-24-1", 10, 4, 2, 2, "40,0 %")
    assert ga in groups.marked
    students = attendance_table(rows, "student", "")
    marked = {students.rows[i][1] for i in students.marked}
    assert marked == {"Студент-student Тест", "Студент-sa2 Тест"}
    sa1 = next(r for r in students.rows if r[1] == "Студент-student Тест")
    assert sa1[2:] == (6, 2, 0, 2, "33,3 %")
    assert groups.chart is not None and sum(groups.chart.series[1][1]) == 2
    book = tmp_path / "a.xlsx"
    to_xlsx([students], book)
    sheet = load_workbook(book).active
    assert sheet is not None
    read = [[("" if c is None else str(c)) for c in row]
            for row in sheet.iter_rows(min_row=4, max_row=3 + len(students.rows), values_only=True)]
    assert read == students.text_rows()


def test_program_fulfilment(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    rows = queries.program(login_as("office"), *_dates(world))
    la = next(r for r in rows if r.load_id == world.load["la"])
    assert (la.planned, sum(la.ktp.values()), la.held, la.scheduled) == (72, 2, {"theory": 4}, 0)
    assert la.behind and la.fulfilment.shortfall == 68
    table = program_table(rows, "", behind_only=True)
    assert len(table.rows) == 4
    assert table.rows[0][3:6] == (72, 2, 4)


def test_what_the_timetable_still_has() -> None:
    from core.calendar.lessons import DateRange
    from core.reports.program import LoadProgram, still_scheduled

    row = LoadProgram(1, "Г", "Д", 1, "П", 20, None, None, None, {}, {"theory": 4}, 0,
                      dt.date(2026, 9, 1), dt.date(2026, 9, 30), ((1, 1, "all"),))
    # Mondays after 13.09: 14, 21, 28 — minus the 21st, a college day off → 2 lessons, 4 h
    ahead = still_scheduled(row, dt.date(2026, 9, 13),
                            [DateRange(dt.date(2026, 9, 21), dt.date(2026, 9, 21))])
    assert ahead.scheduled == 4
    assert ahead.fulfilment.shortfall == 20 - 4 - 4 and ahead.behind
    odd = still_scheduled(LoadProgram(*[*list(row.__dict__.values())[:14], ((1, 1, "odd"),)]),
                          dt.date(2026, 9, 13), [])
    # week 1 holds 01.09 (числитель): 14.09 is in week 3 (odd), 21.09 even, 28.09 odd
    assert odd.scheduled == 4


def test_attendance_summed_in_the_database_equals_the_rules(su: Any, world: Any,
                                                            login_as: Any) -> None:
    from core.reports.attendance import DIMENSIONS, totals_table

    add_gaps(su, world)
    office = login_as("office")
    first = world.today - dt.timedelta(days=40)
    rows = queries.absences(office, first, world.today)
    months = queries.attendance_totals(office, first, world.today, "month")
    for by in DIMENSIONS:
        summed = totals_table(queries.attendance_totals(office, first, world.today, by), by, "",
                              months)
        assert summed == attendance_table(rows, by, "")
