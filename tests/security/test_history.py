"""History of corrections (R14): written by triggers, with reasons, never rewritten."""

from __future__ import annotations

import psycopg
import pytest

from db.connect import transaction
from db.errors import needs_reason, translate
from kernel.errors import AccessDenied, ValidationError
from tests.security.world import World

LAST = """SELECT action, old_value->>'value', new_value->>'value', reason, changed_by, person_id,
                 load_id, student_id
            FROM journal.change_log WHERE table_name = %s ORDER BY id DESC LIMIT 1"""


def _mark(world: World) -> tuple[int, int]:
    return world.lesson["la1"], world.person["sa1"]


def test_a_correction_is_recorded_with_who_what_and_why(world: World, login_as) -> None:
    teacher = login_as("teacher")
    lesson, student = _mark(world)
    with transaction(teacher, "ошибка при вводе"):
        teacher.execute("UPDATE journal.mark SET value = '4' WHERE lesson_id = %s AND "
                        "student_id = %s", (lesson, student))
    row = teacher.execute(LAST, ("mark",)).fetchone()
    assert row == ("UPDATE", "5", "4", "ошибка при вводе", world.login["teacher"],
                   world.person["teacher"], world.load["la"], student)
    teacher.execute("DELETE FROM journal.mark WHERE lesson_id = %s AND student_id = %s",
                    (lesson, student))
    assert teacher.execute(LAST, ("mark",)).fetchone()[:4] == ("DELETE", "4", None, "")  # type: ignore[index]


def test_an_unchanged_update_writes_no_history(world: World, login_as, su) -> None:
    teacher = login_as("teacher")
    before = su.execute("SELECT count(*) FROM journal.change_log").fetchone()
    teacher.execute("UPDATE journal.mark SET value = value WHERE load_id = %s", (world.load["la"],))
    assert su.execute("SELECT count(*) FROM journal.change_log").fetchone() == before


@pytest.mark.parametrize("table", ["attendance", "lesson", "statement_mark", "final_mark"])
def test_every_journal_table_is_recorded(world: World, login_as, su, table: str) -> None:
    teacher = login_as("teacher")
    change = {
        "attendance": "UPDATE journal.attendance SET code = 'НУ' WHERE lesson_id = %(lesson)s",
        "lesson": "UPDATE journal.lesson SET homework = 'с. 10' WHERE id = %(lesson)s",
        "statement_mark": "UPDATE journal.statement_mark SET value = '5' WHERE statement_id = %(st)s",
        "final_mark": "UPDATE journal.final_mark SET value = '4' WHERE load_id = %(load)s",
    }[table]
    args = {"lesson": world.lesson["la1"], "st": world.statement["la"], "load": world.load["la"]}
    assert teacher.execute(change, args).rowcount == 1
    row = su.execute("SELECT action, load_id, changed_by, old_value IS DISTINCT FROM new_value "
                     "FROM journal.change_log WHERE table_name = %s ORDER BY id DESC LIMIT 1",
                     (table,)).fetchone()
    assert row == ("UPDATE", world.load["la"], world.login["teacher"], True)


def test_bulk_entry_is_recorded_row_by_row_in_one_statement(world: World, login_as, su) -> None:
    office = login_as("office")
    lessons = [world.lesson["la1"], world.lesson["la2_1"]]
    su.execute("DELETE FROM journal.mark WHERE lesson_id = ANY(%s)", (lessons,))
    before = su.execute("SELECT count(*) FROM journal.change_log WHERE table_name = 'mark'"
                        ).fetchone()[0]  # type: ignore[index]
    office.execute("""INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)
                      SELECT l.id, l.load_id, s.person_id, k.code, '4'
                        FROM journal.lesson l, journal.student s, journal.work_kind k
                       WHERE l.id = ANY(%s) AND s.group_id = %s""",
                   (lessons, world.group["GA"]))
    inserted = su.execute("SELECT count(*) FROM journal.mark WHERE lesson_id = ANY(%s)",
                          (lessons,)).fetchone()[0]  # type: ignore[index]
    assert inserted == 2 * 3 * 9
    after = su.execute("SELECT count(*) FROM journal.change_log WHERE table_name = 'mark'"
                       ).fetchone()[0]  # type: ignore[index]
    assert after - before == inserted


def test_correcting_an_old_mark_needs_a_reason(world: World, login_as, su) -> None:
    su.execute("UPDATE journal.setting SET value = '0' WHERE key = 'reason_after_days'")
    teacher = login_as("teacher")
    lesson, student = _mark(world)
    update = "UPDATE journal.mark SET value = '3' WHERE lesson_id = %s AND student_id = %s"
    with pytest.raises(psycopg.Error) as caught:
        teacher.execute(update, (lesson, student))
    assert needs_reason(caught.value)
    error = translate(caught.value)
    assert isinstance(error, ValidationError) and "причин" in error.message
    with pytest.raises(psycopg.Error), transaction(teacher, "   "):                 # blank is no reason
        teacher.execute(update, (lesson, student))
    with transaction(teacher, "пересдача"):
        teacher.execute(update, (lesson, student))
    with pytest.raises(psycopg.Error):
        teacher.execute("DELETE FROM journal.mark WHERE lesson_id = %s", (lesson,))
    # New marks and attendance need no reason.
    teacher.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                    "VALUES (%s, %s, %s, 'test', '5')", (lesson, world.load["la"], student))
    teacher.execute("UPDATE journal.attendance SET code = 'НН' WHERE lesson_id = %s", (lesson,))


def test_key_columns_do_not_change(world: World, login_as) -> None:
    office = login_as("office")
    with pytest.raises(psycopg.errors.CheckViolation, match="Ключевые"):
        office.execute("UPDATE journal.mark SET student_id = %s WHERE lesson_id = %s AND "
                       "student_id = %s", (world.person["sa2"], world.lesson["la1"],
                                           world.person["sa1"]))
    with pytest.raises(psycopg.errors.CheckViolation, match="Ключевые"):
        office.execute("UPDATE journal.lesson SET load_id = %s WHERE id = %s",
                       (world.load["la2"], world.lesson["la1"]))


@pytest.mark.parametrize("who", ["admin", "teacher", "office", "student"])
def test_history_cannot_be_written_by_anyone(world: World, login_as, who: str) -> None:
    conn = login_as(who)
    for statement in ("INSERT INTO journal.change_log (table_name, action, row_key) "
                      "VALUES ('mark', 'INSERT', '{}')",
                      "UPDATE journal.change_log SET reason = 'подделка'",
                      "DELETE FROM journal.change_log", "TRUNCATE journal.change_log"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
            conn.execute(statement)
        assert isinstance(translate(caught.value), AccessDenied)


def test_history_is_read_like_its_rows(world: World, login_as) -> None:
    teacher = login_as("teacher")
    teacher.execute("UPDATE journal.mark SET value = '4' WHERE lesson_id = %s AND student_id = %s",
                    _mark(world))
    parent = login_as("parent")
    rows = parent.execute("SELECT DISTINCT student_id FROM journal.change_log "
                          "WHERE table_name = 'mark'").fetchall()
    assert rows == [(world.person["sa1"],)]
    assert login_as("teacher2").execute(
        "SELECT count(*) FROM journal.change_log WHERE load_id = %s",
        (world.load["la"],)).fetchone() == (0,)
