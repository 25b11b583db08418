"""Refusals of the database become the program's Russian errors (db.errors.translate)."""

from __future__ import annotations

import psycopg
import pytest

from db.errors import translate
from kernel.errors import AccessDenied, EJournalError, ServerError, ValidationError
from tests.security.world import World

CASES = [
    ("teacher", "INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                "VALUES (%(la1)s, %(la)s, %(sa1)s, 'test', '6')", ValidationError),
    ("teacher", "INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                "VALUES (%(la1)s, %(la)s, %(sa1)s, 'test', 'зачёт')", ValidationError),
    ("curator", "UPDATE journal.attendance SET code = 'Б' WHERE lesson_id = %(la1)s",
     ValidationError),
    ("teacher", "INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                "VALUES (%(la1)s, %(la)s, %(sa1)s, 'oral', '4')", ValidationError),
    ("teacher", "INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                "VALUES (%(lb1)s, %(lb)s, %(sb1)s, 'test', '4')", AccessDenied),
    ("student", "UPDATE journal.mark SET value = '5'", AccessDenied),
    ("teacher", "INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                "VALUES (%(la)s, '1990-01-01', 1, %(teacher)s)", ValidationError),
]


@pytest.mark.parametrize(("who", "statement", "kind"), CASES, ids=range(len(CASES)))
def test_refusals_translate_to_russian_errors(world: World, login_as, who: str, statement: str,
                                              kind: type[EJournalError]) -> None:
    args = {"la1": world.lesson["la1"], "la": world.load["la"], "sa1": world.person["sa1"],
            "lb1": world.lesson["lb1"], "lb": world.load["lb"], "sb1": world.person["sb1"],
            "teacher": world.person["teacher"]}
    with pytest.raises(psycopg.Error) as caught:
        login_as(who).execute(statement, args)
    error = translate(caught.value)
    assert type(error) is kind
    assert any("а" <= ch <= "я" for ch in error.message.lower()), error.message


def test_an_unreachable_server_is_a_server_error() -> None:
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect("host=/nonexistent port=1 dbname=x user=x connect_timeout=1")
    assert isinstance(translate(caught.value), ServerError)
