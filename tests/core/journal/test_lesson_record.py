"""The lesson use-cases the journal screens call instead of their own SQL: today's lesson is
created once from the КТП, the kinds of work are listed."""

from __future__ import annotations

from datetime import date, timedelta

from core.journal.lesson_record import ensure_lesson, read_record, work_kinds
from core.journal.service import list_loads
from tests.demo_fixture import DemoDb


def test_ensure_lesson_creates_the_missing_lesson_once(demo_db: DemoDb) -> None:
    teacher = demo_db.log_in("преподаватель")
    load = next(x for x in list_loads(teacher) if x.is_mine and x.current)
    day = date.today() + timedelta(days=1)
    with demo_db.connect() as conn:
        taken = {pair for (pair,) in conn.execute(
            "SELECT pair_no FROM journal.lesson WHERE load_id = %s AND lesson_date = %s",
            (load.load_id, day)).fetchall()}
    pair_no = next(p for p in range(1, 8) if p not in taken)

    first = ensure_lesson(teacher, load.load_id, day, pair_no)
    again = ensure_lesson(teacher, load.load_id, day, pair_no)

    assert first == again
    record = read_record(teacher, first)
    assert (record.load_id, record.lesson_date, record.pair_no) == (load.load_id, day, pair_no)
    assert record.taught_by == teacher.person.person_id


def test_work_kinds_are_code_and_title_pairs(demo_db: DemoDb) -> None:
    teacher = demo_db.log_in("преподаватель")
    kinds = work_kinds(teacher)
    assert kinds and all(isinstance(code, str) and isinstance(title, str) for code, title in kinds)
