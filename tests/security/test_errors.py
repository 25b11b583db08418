"""Refusals of the database become the program's Russian errors (db.errors.translate)."""

from __future__ import annotations

import re

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


RAW_REFUSALS = [
    ("parent", "SELECT * FROM journal.report_results('2026-09-01', '2026-12-31')"),
    ("student", "SELECT * FROM journal.report_debts('2026-09-01', '2026-12-31')"),
    ("teacher", "SELECT * FROM journal.raise_remarks('2026-09-01', '2026-12-31')"),
    ("curator", "SELECT journal.record_control('2026-09-01', '2026-12-31', '{}', '')"),
]


@pytest.mark.parametrize(("who", "statement"), RAW_REFUSALS, ids=range(len(RAW_REFUSALS)))
def test_a_raw_session_is_refused_in_russian(world: World, login_as, who: str,
                                             statement: str) -> None:
    """What a person's own SQL session (``ejournal dsn``) reads, not the program's words."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        login_as(who).execute(statement)
    said = caught.value.diag.message_primary or ""
    assert any("а" <= ch <= "я" for ch in said.lower()), said


INTERNAL_RAISES = {"shape", "role", "days"}
"""Messages raised only to be caught in the same function and raised again in Russian (0004)."""


def test_no_function_of_the_journal_raises_an_english_message(su: psycopg.Connection) -> None:
    sources = su.execute("""SELECT p.proname, p.prosrc FROM pg_proc p
                             WHERE p.pronamespace = 'journal'::regnamespace""").fetchall()
    english = [(name, said) for name, source in sources
               for said in re.findall(r"RAISE\s+EXCEPTION\s+'([^']*)'", source, re.IGNORECASE)
               if re.match(r"[A-Za-z]", said) and said not in INTERNAL_RAISES]
    assert english == []
