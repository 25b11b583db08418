"""Students inserted many at a time get the same movements, history and checks as one by one
(migration 0080: the enrolment trigger is statement-level; the movement's row checks are skipped only
for the enrolments it writes itself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import psycopg
import pytest

from tests.security.world import World

Login = Callable[[str], psycopg.Connection]
PEOPLE = ("INSERT INTO journal.person (surname, name) SELECT 'Новиков', 'Ученик ' || n "
          "FROM generate_series(1, %s) n RETURNING id")
STUDENTS = ("INSERT INTO journal.student (person_id, group_id, record_book_no, enrolled_on, status, "
            "left_on) SELECT * FROM unnest(%s::bigint[], %s::int[], %s::text[], %s::date[], "
            "%s::text[], %s::date[])")
MOVEMENTS = ("SELECT m.student_id, m.kind, m.on_date, m.group_id, m.reason "
             "FROM journal.student_movement m WHERE m.student_id = ANY(%s) "
             "ORDER BY m.student_id, m.id")
CARDS = ("SELECT person_id, status, left_on, group_id FROM journal.student "
         "WHERE person_id = ANY(%s) ORDER BY 1")
HISTORY = ("SELECT count(*) FROM journal.change_log WHERE table_name = 'student' "
           "AND row_key->>'person_id' = ANY(%s::text[])")


def _enrol(office: psycopg.Connection, world: World, together: bool = True) -> list[int]:
    """Five students of GA: three studying (one from a future date), one expelled, one on
    leave; in one statement (``together``) or one statement each."""
    ids = [r[0] for r in office.execute(PEOPLE, (5,)).fetchall()]
    office.execute("INSERT INTO journal.person_role (person_id, role) SELECT unnest(%s::bigint[]), "
                   "'student'", (ids,))
    today = dt.date.today()
    rows = [(ids[0], "обучается", None, today - dt.timedelta(days=30)),
            (ids[1], "обучается", None, today),
            (ids[2], "обучается", None, today + dt.timedelta(days=10)),
            (ids[3], "отчислен", today - dt.timedelta(days=5), today - dt.timedelta(days=60)),
            (ids[4], "академический отпуск", None, today - dt.timedelta(days=90))]
    parts = [rows] if together else [[r] for r in rows]
    for part in parts:
        office.execute(STUDENTS, ([r[0] for r in part], [world.group["GA"]] * len(part),
                                  [f"ЗК-{r[0]}" for r in part], [r[3] for r in part],
                                  [r[1] for r in part], [r[2] for r in part]))
    return ids


def _seen(su: psycopg.Connection, ids: list[int]) -> tuple[list[tuple], list[tuple], int]:
    """Movements, cards and history rows with the students' own ids replaced by their order."""
    order = {i: n for n, i in enumerate(ids)}
    moves = [(order[r[0]], *r[1:]) for r in su.execute(MOVEMENTS, (ids,)).fetchall()]
    cards = [(order[r[0]], *r[1:]) for r in su.execute(CARDS, (ids,)).fetchall()]
    history = su.execute(HISTORY, ([str(i) for i in ids],)).fetchone()[0]
    return moves, cards, history


def _the_old_way(su: psycopg.Connection, world: World) -> list[int]:
    """The same students through the per-row path of 0030 (movements_from_student for each
    new row, its movements checked and synced row by row), the new trigger switched off."""
    with su.transaction():
        su.execute("ALTER TABLE journal.student DISABLE TRIGGER student_enrolment")
        ids = _enrol(su, world)
        for person in ids:
            su.execute("SELECT journal.movements_from_student(s) FROM journal.student s "
                       "WHERE s.person_id = %s", (person,))
        su.execute("ALTER TABLE journal.student ENABLE TRIGGER student_enrolment")
    return ids


def test_one_statement_gives_what_the_row_triggers_gave(world: World, login_as: Login,
                                                        su: psycopg.Connection) -> None:
    office = login_as("office")
    reference = _seen(su, _the_old_way(su, world))
    office_ids = _enrol(office, world)
    assert _seen(su, office_ids) == reference
    assert _seen(su, _enrol(office, world, together=False)) == reference
    moves, cards, _ = reference
    assert [m[1] for m in moves] == ["зачисление", "зачисление", "зачисление", "зачисление",
                                     "отчисление", "зачисление", "академический отпуск"]
    assert cards[3][1:3] == ("отчислен", dt.date.today() - dt.timedelta(days=5))
    recorded = su.execute("SELECT DISTINCT recorded_by FROM journal.student_movement "
                          "WHERE student_id = ANY(%s)", (office_ids,)).fetchall()
    assert recorded == [(world.login["office"],)]


def test_the_flag_set_by_hand_skips_no_check(world: World, login_as: Login) -> None:
    office = login_as("office")
    student = world.person["sa1"]
    office.execute("SELECT set_config('journal.bulk_enrolment', 'on', false)")
    with pytest.raises(psycopg.errors.CheckViolation, match="уже обучается"):
        office.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id) "
                       "VALUES (%s, 'зачисление', current_date, %s)", (student, world.group["GA"]))
