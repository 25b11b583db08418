"""A student transferred out of a group on that group's statement (issue 11).

A statement dated before the transfer lists the student as any other and takes their mark
(migration 0033 lets it past the group check); one dated on or after the transfer lists them
greyed («пер.», not waited for) and the database refuses their mark with «переведён».
Checked from the teacher's own PostgreSQL connection (raw SQL) and through the sheet the
program reads.
"""

from __future__ import annotations

import psycopg
import pytest

from core.statements.service import read_statement
from tests.demo_fixture import DemoDb
from tests.transfer_fixture import date_statement, transferred_statement

INSERT = "INSERT INTO journal.statement_mark (statement_id, student_id, value) VALUES (%s, %s, %s)"


def test_the_database_takes_a_mark_before_the_transfer_and_refuses_one_after(
        demo_db: DemoDb) -> None:
    moved, statement_id = transferred_statement(demo_db)
    teacher = demo_db.log_in("преподаватель")
    with teacher.cursor() as cur:       # the teacher's own PostgreSQL role, plain SQL
        cur.execute(INSERT, (statement_id, moved.student_id, "4"))
        assert cur.execute("SELECT value FROM journal.statement_mark WHERE statement_id = %s "
                           "AND student_id = %s", (statement_id, moved.student_id)).fetchone() == ("4",)
        cur.execute("DELETE FROM journal.statement_mark WHERE statement_id = %s", (statement_id,))
    date_statement(demo_db, statement_id, moved.on_date)
    with pytest.raises(psycopg.errors.CheckViolation) as refused, teacher.cursor() as cur:
        cur.execute(INSERT, (statement_id, moved.student_id, "5"))
    assert "переведён" in str(refused.value)
    teacher.close()


def test_the_sheet_lists_the_student_then_greys_them(demo_db: DemoDb) -> None:
    moved, statement_id = transferred_statement(demo_db)
    teacher = demo_db.log_in("преподаватель")
    sheet = read_statement(teacher, statement_id)
    line = sheet.lines[sheet.row_of(moved.student_id)]
    assert line.away == "" and line.marks            # their current marks of the group
    assert line in sheet.empty_lines()
    waited = sheet.info.students                     # «заполнено 0 из N» counts them
    date_statement(demo_db, statement_id, moved.on_date)
    assert read_statement(teacher, statement_id).info.students == waited - 1
    date_statement(demo_db, statement_id, sheet.info.held_on)
    date_statement(demo_db, statement_id, moved.on_date)
    sheet = read_statement(teacher, statement_id)
    line = sheet.lines[sheet.row_of(moved.student_id)]
    assert line.away == "пер." and line not in sheet.empty_lines()
    assert len({x.student_id for x in sheet.lines}) == len(sheet.lines)
    teacher.close()
