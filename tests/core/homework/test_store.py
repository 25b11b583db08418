"""Homework files through the program's own functions on the demo database: a teacher attaches,
the child's parent and the student read and save, a refused file stores nothing, removal keeps
the row with who and when."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from core.homework.store import attach_bytes, attach_path, fetch, limit_mb, list_files, remove, save_copy
from core.settings.college import change
from kernel.errors import AccessDenied, EJournalError, ValidationError
from tests.core.homework.sample import EXE, PDF, docx
from tests.demo_fixture import DemoDb

# A lesson of the demo teacher's load in the group of the demo parent's child (and the demo
# student's group), so that the same file is seen by all three.
SHARED_LESSON = """
SELECT l.id FROM journal.lesson l
  JOIN journal.teaching_load t ON t.id = l.load_id AND t.subgroup_id IS NULL
 WHERE t.teacher_id = (SELECT person_id FROM journal.account WHERE login = %(teacher)s)
   AND t.group_id = (SELECT s.group_id FROM journal.student s JOIN journal.guardian g
                       ON g.student_id = s.person_id
                      WHERE g.parent_id = (SELECT person_id FROM journal.account WHERE login = %(parent)s)
                      LIMIT 1)
 ORDER BY l.lesson_date DESC LIMIT 1
"""
OTHER_LESSON = """
SELECT l.id FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id
 WHERE t.group_id NOT IN (SELECT s.group_id FROM journal.student s JOIN journal.guardian g
                            ON g.student_id = s.person_id
                           WHERE g.parent_id = (SELECT person_id FROM journal.account
                                                 WHERE login = %(parent)s))
   AND t.teacher_id <> (SELECT person_id FROM journal.account WHERE login = %(teacher)s)
 ORDER BY l.id LIMIT 1
"""


def _lesson(demo: DemoDb, query: str) -> int:
    with demo.connect() as conn:
        row = conn.execute(query, {"teacher": demo.account("преподаватель").login,
                                   "parent": demo.account("родитель").login}).fetchone()
    assert row is not None
    return int(row[0])


def _count(demo: DemoDb) -> int:
    with demo.connect() as conn:
        return int(conn.execute("SELECT count(*) FROM journal.homework_file").fetchone()[0])


def test_teacher_attaches_family_reads_and_saves(demo_db: DemoDb, tmp_path: Path) -> None:
    lesson = _lesson(demo_db, SHARED_LESSON)
    source = tmp_path / "Задачи к зачёту.pdf"
    source.write_bytes(PDF)
    teacher = demo_db.log_in("преподаватель")
    added = attach_path(teacher, lesson, source)
    assert (added.name, added.kind, added.size, added.added_by) == (
        "Задачи к зачёту.pdf", "pdf", len(PDF), teacher.person.login)

    parent = demo_db.log_in("родитель")
    listed = list_files(parent, [lesson])[lesson]
    assert [f.file_id for f in listed] == [added.file_id]
    item, content = fetch(parent, added.file_id)
    assert content == PDF
    saved = save_copy(item.name, content, tmp_path / "Загрузки")
    again = save_copy(item.name, content, tmp_path / "Загрузки")
    assert saved.name == "Задачи к зачёту.pdf" and again.name == "Задачи к зачёту (2).pdf"
    assert saved.read_bytes() == PDF and stat.S_IMODE(saved.stat().st_mode) == 0o600
    student = demo_db.log_in("обучающийся")
    assert fetch(student, added.file_id)[1] == PDF


def test_wrong_type_and_too_big_store_nothing(demo_db: DemoDb, tmp_path: Path) -> None:
    lesson = _lesson(demo_db, SHARED_LESSON)
    teacher = demo_db.log_in("преподаватель")
    with pytest.raises(ValidationError, match="только PDF, DOCX или картинку"):
        attach_bytes(teacher, lesson, "задание.pdf", EXE)
    with demo_db.connect() as conn:
        conn.execute("UPDATE journal.setting SET value = '1' WHERE key = 'homework_file_max_mb'")
    big = tmp_path / "большой.pdf"
    big.write_bytes(PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="можно не больше 1 МБ"):
        attach_path(teacher, lesson, big)
    with pytest.raises(ValidationError, match="нет"):
        attach_path(teacher, lesson, tmp_path / "нет такого.pdf")
    assert _count(demo_db) == 0
    # the database refuses the same without the program's checks, in Russian
    raw: Any = teacher.conn
    refused = ((EXE, "только PDF, DOCX или картинку"), (PDF + b"0" * (1024 * 1024), "больше 1 МБ"))
    for content, said in refused:
        with pytest.raises(Exception, match=said):
            raw.execute("INSERT INTO journal.homework_file (lesson_id, file_name, content) "
                        "VALUES (%s, 'x.pdf', %s)", (lesson, content))
    assert _count(demo_db) == 0


def test_removal_keeps_who_and_when(demo_db: DemoDb) -> None:
    lesson = _lesson(demo_db, SHARED_LESSON)
    teacher = demo_db.log_in("преподаватель")
    added = attach_bytes(teacher, lesson, "Лабораторная.docx", docx())
    gone = remove(teacher, added.file_id)
    assert gone.removed and gone.removed_by == teacher.person.login
    assert list_files(teacher, [lesson]) == {}
    kept = list_files(teacher, [lesson], with_removed=True)[lesson]
    assert [(f.file_id, f.removed_by) for f in kept] == [(added.file_id, teacher.person.login)]
    with pytest.raises(EJournalError, match="уже убран"):
        remove(teacher, added.file_id)
    parent = demo_db.log_in("родитель")
    with pytest.raises(EJournalError, match="убрали"):
        fetch(parent, added.file_id)


def test_teacher_cannot_attach_to_someone_elses_lesson(demo_db: DemoDb) -> None:
    other = _lesson(demo_db, OTHER_LESSON)
    teacher = demo_db.log_in("преподаватель")
    with pytest.raises((AccessDenied, EJournalError)):
        attach_bytes(teacher, other, "задание.pdf", PDF)
    office = demo_db.log_in("учебной части")
    assert attach_bytes(office, other, "задание.pdf", PDF).kind == "pdf"
    assert _count(demo_db) == 1


def test_admin_sets_the_limit_from_the_settings(demo_db: DemoDb) -> None:
    admin = demo_db.log_in("заведующий")
    assert change(admin.conn, "homework_file_max_mb", "2") == "2"
    with pytest.raises(ValidationError, match="от 1 до 100"):
        change(admin.conn, "homework_file_max_mb", "500")
    assert limit_mb(demo_db.log_in("преподаватель")) == 2
    with demo_db.connect() as conn, pytest.raises(Exception, match="от 1 до 100 МБ"):
        conn.execute("UPDATE journal.setting SET value = '0' WHERE key = 'homework_file_max_mb'")
