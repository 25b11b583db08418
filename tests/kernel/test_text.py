"""«Фамилия И. О.» is the same text whether Python or the database builds it."""

from __future__ import annotations

import psycopg
import pytest

from kernel.text import full_name, plural, short_name, short_name_sql
from tests.conftest import FreshDb

PEOPLE = [("Иванова", "Мария", "Алексеевна"), ("Смит", "Джон", ""), ("Ли", "А", "")]


def test_short_name_keeps_the_initials_asked_for() -> None:
    assert short_name("Иванова", "Мария", "Алексеевна") == "Иванова М. А."
    assert short_name("Иванова", "Мария", "Алексеевна", initials=1) == "Иванова М."
    assert short_name("Смит", "Джон", "") == "Смит Д."
    assert short_name(None, "Мария", "Алексеевна") == ""
    assert full_name("Иванова", "Мария", None) == "Иванова Мария"


@pytest.mark.parametrize("initials", [1, 2])
def test_sql_twin_builds_the_same_text(fresh_db: FreshDb, initials: int) -> None:
    rows = ", ".join(["(%s, %s, %s)"] * len(PEOPLE))
    query = f"SELECT {short_name_sql('p', initials)} FROM (VALUES {rows}) p(surname, name, patronymic)"
    with psycopg.connect(fresh_db.conninfo) as conn:
        built = [row[0] for row in conn.execute(query, [v for person in PEOPLE for v in person])]
    assert built == [short_name(*person, initials=initials) for person in PEOPLE]


def test_plural_follows_russian_counting() -> None:
    forms = ("отметка", "отметки", "отметок")
    assert [plural(n, *forms) for n in (1, 2, 5, 11, 12, 21, 22, 25, 111)] == [
        "отметка", "отметки", "отметок", "отметок", "отметок", "отметка", "отметки", "отметок",
        "отметок"]
