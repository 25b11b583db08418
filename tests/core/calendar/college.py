"""A hand-made timetable over a fortnight of December 2024 whose lessons are worked out by hand.

Period 16.12.2024 (Mon) — 31.12.2024 (Tue): week 1 (16–22.12) числитель, week 2 (23–29.12)
знаменатель, week 3 (30–31.12) числитель. Public holidays (from the ``holidays`` package):
30.12 and 31.12 are days off; Saturday 28.12 works by the government's transfer instead of
Monday 30.12, so it follows Monday's timetable. The college's own break: 18.12 (Wed).

Loads (A: group G1, teacher T1, room 101; B: G2, T1, room 102; C: G3, T2, room 101):
  A: Mon 1 every week, Tue 2 числитель, Wed 2 every week, Sat 3 знаменатель;
     one-off: 23.12 пара 1 cancelled, 24.12 пара 4 added.
  B: Mon 1 знаменатель.   C: Tue 2 every week.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import psycopg

from core.calendar.year import Year, import_public_holidays
from tests.security.conftest import make_account, make_person

START, END = date(2024, 12, 16), date(2024, 12, 31)

EXPECTED = {
    "A": [(date(2024, 12, 16), 1), (date(2024, 12, 17), 2), (date(2024, 12, 24), 4),
          (date(2024, 12, 25), 2), (date(2024, 12, 28), 1)],
    "B": [(date(2024, 12, 23), 1), (date(2024, 12, 28), 1)],
    "C": [(date(2024, 12, 17), 2), (date(2024, 12, 24), 2)],
}
"""Worked out by hand from the module's docstring."""


@dataclass
class College:
    year: Year
    period_id: int
    load: dict[str, int] = field(default_factory=dict)
    person: dict[str, int] = field(default_factory=dict)
    login: dict[str, str] = field(default_factory=dict)
    group: dict[str, int] = field(default_factory=dict)


def _one(conn: psycopg.Connection, sql: str, args: tuple[object, ...] = ()) -> int:
    row = conn.execute(sql, args).fetchone()
    assert row is not None
    return int(row[0])


def build(su: psycopg.Connection) -> College:
    """The college above, written by the superuser; admin, office, T1, T2, T3 have accounts."""
    year_id = _one(su, "INSERT INTO journal.academic_year (title, starts_on, ends_on) "
                       "VALUES ('2024/2025', '2024-09-01', '2025-08-31') RETURNING id")
    period_id = _one(su, "INSERT INTO journal.period (year_id, number, title, starts_on, ends_on) "
                         "VALUES (%s, 1, 'I семестр', %s, %s) RETURNING id", (year_id, START, END))
    college = College(Year(year_id, "2024/2025", date(2024, 9, 1), date(2025, 8, 31), False), period_id)
    for who, role in (("admin", "admin"), ("office", "office"), ("T1", "teacher"),
                      ("T2", "teacher"), ("T3", "teacher")):
        college.person[who] = make_person(su, [role], surname=f"Сотрудник{who}")
        su.execute("INSERT INTO journal.staff VALUES (%s, %s)", (college.person[who], role))
        college.login[who] = make_account(su, college.person[who])
    import_public_holidays(su, college.year)
    su.execute("INSERT INTO journal.holiday (year_id, starts_on, ends_on, title) "
               "VALUES (%s, '2024-12-18', '2024-12-18', 'День техникума')", (year_id,))
    su.execute("INSERT INTO journal.bell VALUES (%s, 1, '08:30', '10:00', 2), "
               "(%s, 2, '10:10', '11:40', 2), (%s, 3, '12:00', '13:30', 2), "
               "(%s, 4, '13:40', '14:25', 1)", (year_id,) * 4)
    spec = _one(su, "INSERT INTO journal.specialty (code, title, group_prefix) "
                    "VALUES ('09.02.07', 'Информационные системы', 'ИС') RETURNING id")
    plan = _one(su, "INSERT INTO journal.curriculum (specialty_id, admission_year, title) "
                    "VALUES (%s, 2024, 'План') RETURNING id", (spec,))
    disc = _one(su, "INSERT INTO journal.discipline (title, short_title) VALUES ('Математика', 'Мат') "
                    "RETURNING id")
    for n, (name, teacher, room, slots) in enumerate((
            ("A", "T1", "101", ((1, 1, "all"), (2, 2, "odd"), (3, 2, "all"), (6, 3, "even"))),
            ("B", "T1", "102", ((1, 1, "even"),)),
            ("C", "T2", "101", ((2, 2, "all"),))), start=1):
        college.group[name] = _one(su, """INSERT INTO journal.study_group (name, specialty_id,
            curriculum_id, admission_year) VALUES (%s, %s, %s, 2024) RETURNING id""",
            (f"ИС-24-{n}", spec, plan))
        college.load[name] = _one(su, """INSERT INTO journal.teaching_load (period_id, group_id,
            discipline_id, teacher_id, planned_hours) VALUES (%s, %s, %s, %s, 20) RETURNING id""",
            (period_id, college.group[name], disc, college.person[teacher]))
        for weekday, pair, parity in slots:
            su.execute("INSERT INTO journal.timetable_slot (load_id, weekday, pair_no, week_parity, room) "
                       "VALUES (%s, %s, %s, %s, %s)", (college.load[name], weekday, pair, parity, room))
    for position, title in enumerate(("Числа", "Функции", "Пределы"), start=1):
        su.execute("INSERT INTO journal.ktp_topic (load_id, position, title, lesson_type) "
                   "VALUES (%s, %s, %s, 'theory')", (college.load["A"], position, title))
    su.execute("INSERT INTO journal.timetable_change (load_id, on_date, pair_no, kind) VALUES "
               "(%s, '2024-12-23', 1, 'cancel'), (%s, '2024-12-24', 4, 'add')",
               (college.load["A"], college.load["A"]))
    return college
