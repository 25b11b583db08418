"""Who changes the catalogue (0050): the admin and the office; teachers and curators cannot,
from their own raw connections; every correction of the catalogue leaves one history row."""

from __future__ import annotations

import psycopg
import pytest

from tests.security.world import World

# (table, a write touching the world's rows); each must change at least one row when allowed.
WRITES = [
    ("specialty", "UPDATE journal.specialty SET title = title || '.'"),
    ("discipline", "INSERT INTO journal.discipline (title, short_title) VALUES ('Проба', 'Пр')"),
    ("curriculum", "UPDATE journal.curriculum SET title = title || '.'"),
    ("curriculum_item", "UPDATE journal.curriculum_item SET hours_total = hours_total + 1"),
    ("study_group", "UPDATE journal.study_group SET admission_year = admission_year"),
    ("subgroup", "INSERT INTO journal.subgroup (group_id, name) "
                 "SELECT id, 'Проба' FROM journal.study_group"),
    ("teaching_load", "UPDATE journal.teaching_load SET planned_hours = planned_hours + 2"),
    ("timetable_slot", "UPDATE journal.timetable_slot SET room = 'Проба'"),
    ("ktp_topic", "UPDATE journal.ktp_topic SET homework = 'Проба' WHERE load_id IN (SELECT id "
                  "FROM journal.teaching_load WHERE teacher_id <> journal.my_person_id())"),
    ("timetable_slot", "DELETE FROM journal.timetable_slot"),
]
REFUSED = {"42501"}  # insufficient_privilege (no grant or RLS WITH CHECK)


def _changes(conn: psycopg.Connection, sql: str) -> bool:
    try:
        with conn.transaction(force_rollback=True):
            return conn.execute(sql).rowcount > 0
    except psycopg.Error as exc:
        if exc.sqlstate in REFUSED:
            return False
        raise


@pytest.mark.parametrize(("table", "sql"), WRITES, ids=[f"{t}-{s.split()[0]}" for t, s in WRITES])
def test_only_the_admin_and_the_office_change_the_catalogue(login_as, table: str, sql: str) -> None:
    allowed = {who: _changes(login_as(who), sql)
               for who in ("admin", "office", "teacher", "curator", "methodologist")}
    assert allowed == {"admin": True, "office": True, "teacher": False, "curator": False,
                       "methodologist": False}, table


def test_a_teacher_keeps_only_their_own_ktp(world: World, login_as) -> None:
    teacher = login_as("teacher")
    own = f"UPDATE journal.ktp_topic SET homework = 'x' WHERE load_id = {world.load['la']}"
    other = f"UPDATE journal.ktp_topic SET homework = 'x' WHERE load_id = {world.load['lb']}"
    assert _changes(teacher, own) and not _changes(teacher, other)


def test_the_curator_still_keeps_their_groups_people(world: World, login_as) -> None:
    curator = login_as("curator")
    assert _changes(curator, "UPDATE journal.person SET phone = '+79990000000' "
                             f"WHERE id = {world.person['sa1']}")
    assert not _changes(curator, "UPDATE journal.study_group SET curator_id = NULL")


def test_a_correction_of_the_catalogue_leaves_one_history_row(world: World, login_as, su) -> None:
    office = login_as("office")
    count = "SELECT count(*) FROM journal.change_log WHERE table_name = 'student'"
    before = su.execute(count).fetchone()[0]  # type: ignore[index]
    office.execute("UPDATE journal.student SET record_book_no = record_book_no")
    assert su.execute(count).fetchone()[0] == before  # type: ignore[index]
    office.execute("UPDATE journal.student SET record_book_no = 'Н-1' WHERE person_id = %s",
                   (world.person["sa1"],))
    row = su.execute("SELECT action, old_value->>'record_book_no', new_value->>'record_book_no', "
                     "changed_by, student_id FROM journal.change_log "
                     "WHERE table_name = 'student' ORDER BY id DESC LIMIT 1").fetchone()
    assert su.execute(count).fetchone()[0] == before + 1  # type: ignore[index]
    assert row == ("UPDATE", "З-0", "Н-1", world.login["office"], world.person["sa1"])


def test_a_timetable_correction_leaves_one_history_row(world: World, login_as, su) -> None:
    """0050 and 0060 both wrote history of timetable_slot corrections: two rows for one change."""
    office = login_as("office")
    count = "SELECT count(*) FROM journal.change_log WHERE table_name = 'timetable_slot'"
    before = su.execute(count).fetchone()[0]  # type: ignore[index]
    changed = office.execute("UPDATE journal.timetable_slot SET room = 'к. 101' "
                             "WHERE load_id = %s", (world.load["la"],)).rowcount
    assert changed > 0
    assert su.execute(count).fetchone()[0] == before + changed  # type: ignore[index]
