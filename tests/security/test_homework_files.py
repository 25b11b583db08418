"""Homework files (migration 0105) from raw connections of every role: read exactly like the
lesson's homework text, written only by the lesson's teacher (or its substitute), the office
and the admin; nobody deletes a file or changes one; removal is stamped by the server."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from tests.core.homework.sample import PDF
from tests.security.world import ROLE_PEOPLE, World

Connect = Callable[[str], psycopg.Connection]
INSERT = "INSERT INTO journal.homework_file (lesson_id, file_name, content) VALUES (%s, %s, %s) RETURNING id"
# Who reads the files of lesson la1 (group GA, ``teacher``) and of lc1 (group GC, teacher2).
# Every one-role person reads la1: readers of everything, its teacher, GA's curator, sa1 and
# sa1's parent; pb1 (parent in GB), curator2 and teacher2 (another load of GA) do not.
READS_LA1 = set(ROLE_PEOPLE)
READS_LC1 = {"admin", "director", "deputy", "office", "methodologist", "support", "teacher2"}


def _attach(su: psycopg.Connection, world: World, lesson: str) -> int:
    """A file attached through the owner side (the teacher's own attach is tested below)."""
    row = su.execute(INSERT, (world.lesson[lesson], f"{lesson}.pdf", PDF)).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def files(su: psycopg.Connection, world: World) -> dict[str, int]:
    return {name: _attach(su, world, name) for name in ("la1", "lc1", "lb_sub")}


def _visible(conn: psycopg.Connection) -> set[int]:
    return {r[0] for r in conn.execute("SELECT id FROM journal.homework_file").fetchall()}


@pytest.mark.parametrize("who", [*ROLE_PEOPLE, "pb1", "curator2", "teacher2"])
def test_read_follows_the_lesson(who: str, files: dict[str, int], login_as: Connect) -> None:
    conn = login_as(who)
    seen = _visible(conn)
    assert (files["la1"] in seen) == (who in READS_LA1), who
    assert (files["lc1"] in seen) == (who in READS_LC1), who
    # what a person reads as a file is what they read as the lesson's homework
    lessons = {r[0] for r in conn.execute("SELECT id FROM journal.lesson").fetchall()}
    with conn.cursor() as cur:
        owners = dict(cur.execute("SELECT id, lesson_id FROM journal.homework_file").fetchall())
    assert all(lesson in lessons for lesson in owners.values())


def test_parent_of_another_group_reads_nothing_of_ga(files: dict[str, int], login_as: Connect) -> None:
    conn = login_as("pb1")
    assert files["la1"] not in _visible(conn)
    row = conn.execute("SELECT content FROM journal.homework_file WHERE id = %s", (files["la1"],)).fetchone()
    assert row is None


@pytest.mark.parametrize("who", ["director", "deputy", "methodologist", "curator", "support",
                                 "parent", "student", "teacher2"])
def test_others_cannot_attach_to_la1(who: str, world: World, login_as: Connect) -> None:
    conn = login_as(who)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(INSERT, (world.lesson["la1"], "x.pdf", PDF))


@pytest.mark.parametrize("who", ["teacher", "office", "admin"])
def test_teacher_office_admin_attach(who: str, world: World, login_as: Connect) -> None:
    conn = login_as(who)
    row = conn.execute(INSERT + ", added_by, kind, load_id",
                       (world.lesson["la1"], "Задачи.pdf", PDF)).fetchone()
    assert row is not None and row[1] == world.login[who] and row[2] == "pdf"
    assert row[3] == world.load["la"]


def test_substitute_attaches_to_the_lesson_taught(world: World, login_as: Connect) -> None:
    conn = login_as("teacher")
    assert conn.execute(INSERT, (world.lesson["lb_sub"], "замена.pdf", PDF)).fetchone()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(INSERT, (world.lesson["lb1"], "чужое.pdf", PDF))


def test_server_stamps_cannot_be_forged(world: World, login_as: Connect) -> None:
    conn = login_as("teacher")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO journal.homework_file (lesson_id, file_name, content, added_by) "
                      "VALUES (%s, 'x.pdf', %s, 'someone')", (world.lesson["la1"], PDF))


def test_nobody_deletes_or_changes_a_file(files: dict[str, int], login_as: Connect) -> None:
    for who in ("teacher", "office", "admin", "student", "parent"):
        conn = login_as(who)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM journal.homework_file WHERE id = %s", (files["la1"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE journal.homework_file SET content = %s WHERE id = %s",
                         (b"%PDF-other", files["la1"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE journal.homework_file SET file_name = 'x.pdf' WHERE id = %s",
                         (files["la1"],))


def test_removal_is_stamped_once_and_only_by_writers(files: dict[str, int], world: World,
                                                     login_as: Connect) -> None:
    student, parent, teacher2 = login_as("student"), login_as("parent"), login_as("teacher2")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        student.execute("UPDATE journal.homework_file SET removed_at = now() WHERE id = %s",
                        (files["la1"],))
    # not the lesson's teacher: the row is not theirs to update (nothing happens)
    assert teacher2.execute("UPDATE journal.homework_file SET removed_at = now() WHERE id = %s",
                            (files["la1"],)).rowcount == 0
    teacher = login_as("teacher")
    row = teacher.execute("UPDATE journal.homework_file SET removed_at = '2000-01-01' WHERE id = %s "
                          "RETURNING removed_by, removed_at > now() - interval '1 minute'",
                          (files["la1"],)).fetchone()
    assert row == (world.login["teacher"], True)
    with pytest.raises(psycopg.errors.CheckViolation, match="уже убран"):
        teacher.execute("UPDATE journal.homework_file SET removed_at = NULL WHERE id = %s",
                        (files["la1"],))
    # the parent still has the row on record (removed), the program shows only the present
    assert parent.execute("SELECT removed_by FROM journal.homework_file WHERE id = %s",
                          (files["la1"],)).fetchone() == (world.login["teacher"],)


def test_backup_role_reads_every_file(sec_db, files: dict[str, int], su: psycopg.Connection) -> None:
    granted = su.execute("SELECT has_table_privilege('ej_backup', 'journal.homework_file', 'SELECT'), "
                         "has_table_privilege('ej_backup', 'journal.homework_file', 'INSERT')").fetchone()
    assert granted == (True, False)
