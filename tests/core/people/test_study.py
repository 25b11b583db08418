"""The rule «does the student study in this group on this date» (core.people.study) agrees
with the database's journal.study_state (migration 0030)."""

from __future__ import annotations

from datetime import date

import pytest

from core.people.study import Movement, study_state

A, B = 1, 2
LEAVE = [Movement("зачисление", date(2026, 9, 1), A),
         Movement("академический отпуск", date(2026, 10, 6), A, until_on=date(2026, 11, 30))]
MOVED = [Movement("зачисление", date(2026, 9, 1), A), Movement("перевод", date(2026, 11, 2), B)]
EXPELLED = [Movement("зачисление", date(2026, 9, 1), A), Movement("отчисление", date(2026, 10, 20), A)]

CASES = [
    (LEAVE, A, date(2026, 8, 31), "не зачислен"),
    (LEAVE, A, date(2026, 10, 5), None),
    (LEAVE, A, date(2026, 10, 6), "академический отпуск"),
    (LEAVE, A, date(2026, 11, 30), "академический отпуск"),
    (LEAVE, A, date(2026, 12, 1), None),
    (MOVED, A, date(2026, 11, 1), None),
    (MOVED, A, date(2026, 11, 2), "переведён"),
    (MOVED, B, date(2026, 11, 1), "не зачислен"),
    (MOVED, B, date(2026, 11, 2), None),
    (EXPELLED, A, date(2026, 10, 19), None),
    (EXPELLED, A, date(2026, 10, 20), "отчислен"),
]


@pytest.mark.parametrize(("movements", "group", "day", "state"), CASES)
def test_study_state(movements: list[Movement], group: int, day: date, state: str | None) -> None:
    assert study_state(movements, group, day) == state


def test_the_database_says_the_same(fresh_db) -> None:
    with fresh_db.connect() as conn:
        conn.execute("CREATE TEMP TABLE m (LIKE journal.student_movement INCLUDING DEFAULTS)")
        conn.execute("ALTER TABLE m ALTER COLUMN id DROP NOT NULL")
        for number, movements in enumerate((LEAVE, MOVED, EXPELLED), start=1):
            for n, m in enumerate(movements):
                conn.execute("INSERT INTO m (id, student_id, kind, on_date, until_on, group_id) "
                             "VALUES (%s, %s, %s, %s, %s, %s)",
                             (number * 10 + n, number, m.kind, m.on_date, m.until_on, m.group_id))
        body = conn.execute("SELECT prosrc FROM pg_proc WHERE proname = 'study_state'").fetchone()[0]
        conn.execute("CREATE FUNCTION pg_temp.st(p_student bigint, p_group integer, p_day date) "
                     "RETURNS text LANGUAGE sql AS $f$"
                     + body.replace("journal.student_movement", "pg_temp.m") + "$f$")
        for movements, group, day, state in CASES:
            number = (LEAVE, MOVED, EXPELLED).index(movements) + 1
            assert conn.execute("SELECT pg_temp.st(%s, %s, %s)",
                                (number, group, day)).fetchone() == (state,), (number, group, day)
