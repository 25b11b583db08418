"""The summary the server keeps current (0072) equals the journal after every kind of change,
and the reports read from it give what the journal itself gives for any dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.reports import queries
from tests.core.reports.college import add_gaps

RAW = """
SELECT load_id, student_id, month, sum(n5), sum(n4), sum(n3), sum(n2), sum(n_pass), sum(n_fail),
       sum(held), sum(excused), sum(unexcused)
  FROM (SELECT m.load_id, m.student_id, date_trunc('month', l.lesson_date)::date AS month,
               (m.value = '5')::int AS n5, (m.value = '4')::int AS n4, (m.value = '3')::int AS n3,
               (m.value = '2')::int AS n2, (m.value = 'зачёт')::int AS n_pass,
               (m.value = 'незачёт')::int AS n_fail, 0 AS held, 0 AS excused, 0 AS unexcused
          FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id
        UNION ALL
        SELECT a.load_id, a.student_id, date_trunc('month', l.lesson_date)::date, 0, 0, 0, 0, 0, 0,
               l.hours, CASE WHEN a.code = 'НУ' THEN l.hours ELSE 0 END,
               CASE WHEN a.code = 'НН' THEN l.hours ELSE 0 END
          FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id) x
 GROUP BY 1, 2, 3
"""
TALLY = """
SELECT load_id, student_id, month, n5, n4, n3, n2, n_pass, n_fail, held, excused, unexcused
  FROM journal.report_tally
 WHERE (n5, n4, n3, n2, n_pass, n_fail, held, excused, unexcused) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
"""


def _same(su: Any) -> None:
    raw = {r[:3]: tuple(int(v) for v in r[3:]) for r in su.execute(RAW).fetchall()}
    kept = {r[:3]: tuple(r[3:]) for r in su.execute(TALLY).fetchall()}
    assert kept == raw


def test_tally_follows_every_change(su: Any, world: Any, login_as: Any) -> None:
    ids = add_gaps(su, world)
    _same(su)
    teacher = login_as("teacher")
    la, sa1, sa3 = world.load["la"], world.person["sa1"], world.person["sa3"]
    # a mark is never put on an absent student (0031): whoever was marked absent came after all
    teacher.execute("UPDATE journal.attendance SET code = 'П' WHERE lesson_id IN (%s, %s) "
                    "AND student_id IN (%s, %s) AND code IN ('НН', 'НУ')",
                    (ids["A"], ids["B"], sa1, sa3))
    _same(su)
    teacher.execute("UPDATE journal.mark SET value = '3' WHERE lesson_id = %s AND student_id = %s",
                    (ids["B"], sa1))
    teacher.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                    "VALUES (%s, %s, %s, 'oral', '5'), (%s, %s, %s, 'oral', '4')",
                    (ids["A"], la, sa1, ids["A"], la, sa3))
    teacher.execute("UPDATE journal.attendance SET code = 'НУ' WHERE lesson_id = %s "
                    "AND student_id = %s", (ids["B"], sa1))
    teacher.execute("DELETE FROM journal.mark WHERE lesson_id = %s AND student_id = %s",
                    (ids["A"], sa3))
    _same(su)
    # a lesson moved a month back and made 4 hours, then another deleted with its marks
    su.execute("UPDATE journal.lesson SET lesson_date = lesson_date - 31, hours = 4 WHERE id = %s",
               (ids["B"],))
    _same(su)
    su.execute("DELETE FROM journal.lesson WHERE id = %s", (world.lesson["la1"],))
    _same(su)


def test_whole_months_and_edges_give_the_journals_figures(su: Any, world: Any,
                                                          login_as: Any) -> None:
    add_gaps(su, world)
    today = world.today
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # previous month
    office = login_as("office")
    for start, end in ((first, today), (first + dt.timedelta(days=3), today),
                       (today - dt.timedelta(days=40), today - dt.timedelta(days=2))):
        got = {(r.load_id, r.student_id): (r.n5, r.n4, r.n3, r.n2)
               for r in queries.results(office, start, end)}
        raw = dict(((load, student), (int(a), int(b), int(c), int(d))) for load, student, a, b, c, d
                   in su.execute(
            """SELECT m.load_id, m.student_id, count(*) FILTER (WHERE value = '5'),
                      count(*) FILTER (WHERE value = '4'), count(*) FILTER (WHERE value = '3'),
                      count(*) FILTER (WHERE value = '2')
                 FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id
                WHERE l.lesson_date BETWEEN %s AND %s GROUP BY 1, 2""", (start, end)).fetchall())
        assert {k: v for k, v in got.items() if any(v)} == raw
        held = {(r.load_id, r.student_id, r.month): (r.held, r.excused, r.unexcused)
                for r in queries.absences(office, start, end)}
        raw_held = {(a, b, c): (int(d), int(e), int(f)) for a, b, c, d, e, f in su.execute(
            """SELECT a.load_id, a.student_id, date_trunc('month', l.lesson_date)::date,
                      sum(l.hours), coalesce(sum(l.hours) FILTER (WHERE a.code = 'НУ'), 0),
                      coalesce(sum(l.hours) FILTER (WHERE a.code = 'НН'), 0)
                 FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id
                WHERE l.lesson_date BETWEEN %s AND %s GROUP BY 1, 2, 3""",
            (start, end)).fetchall()}
        assert held == raw_held
