"""The refusal on a closed statement reads as one sentence, with or without its number."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from core.statements.closing import close_statement
from core.statements.service import read_statement
from tests.core.family.conftest import raw
from tests.core.family.test_database import _filled_statement


def _refusal(demo_db: Any, number: str) -> str:
    teacher = demo_db.log_in("преподаватель")
    statement_id = _filled_statement(teacher)
    with demo_db.connect() as conn:
        conn.execute("UPDATE journal.statement SET number = %s WHERE id = %s", (number, statement_id))
    close_statement(teacher, read_statement(teacher, statement_id))
    with raw(demo_db, teacher.person.login) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute("UPDATE journal.statement_mark SET value = '2' WHERE statement_id = %s",
                     (statement_id,))
    return refused.value.diag.message_primary or ""


def test_without_a_number_one_space(demo_db: Any) -> None:
    message = _refusal(demo_db, "")
    assert message.startswith("Ведомость закрыта ") and "  " not in message
    assert message.endswith(": изменения запрещены.")


def test_with_a_number(demo_db: Any) -> None:
    message = _refusal(demo_db, "12")
    assert message.startswith("Ведомость № 12 закрыта ") and "  " not in message
