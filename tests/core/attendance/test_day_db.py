"""The attendance day against the demo database, through the curator's own login."""

from __future__ import annotations

from typing import Any

import pytest

from core.attendance.day import fill_present, mark, whole_day
from core.attendance.load import create_lesson, load_day
from core.journal.cell_save import save_changes
from core.journal.page import Change, apply_changes
from core.people.forms import GroupInfo
from kernel.errors import AccessDenied
from kernel.marks import Attendance
from tests.curator_fixture import attendance, curator_group, recent_day, wipe_attendance


def save(session: Any, changes: list[Change]) -> None:
    with session.cursor() as cur:
        outcomes = save_changes(cur.connection, changes)
    assert all(o.status == "applied" for o in outcomes), outcomes


def test_curator_sees_own_group_and_fills_a_day(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    day = recent_day(curator, group, 0)
    recorded = [p for p in day.pairs if p.recorded]
    wipe_attendance(demo_db, day.lesson_ids)
    day = load_day(curator, group, day.day)
    assert not day.status.filled and day.status.missing == len(recorded)
    day.may_create = False  # only the recorded lessons here (creating one: the next test)
    sick = day.page.students[2].student_id
    changes = whole_day(day, sick)
    apply_changes(day.page, changes)
    for pair in recorded:
        changes += fill_present(day, pair.key)
    save(curator, changes)
    stored = attendance(demo_db, day.lesson_ids)
    assert {stored[(sick, p.lesson_id)] for p in recorded if day.expected(sick, p.key)} == {"НН"}
    again = load_day(curator, group, day.day)
    assert again.status.unrecorded or again.status.filled
    with demo_db.connect() as conn:  # the same history rows as a teacher's corrections
        who = conn.execute("SELECT DISTINCT changed_by FROM journal.change_log"
                           " WHERE table_name = 'attendance' AND action = 'INSERT'"
                           " AND (new_value ->> 'lesson_id')::int = ANY(%s)",
                           (day.lesson_ids,)).fetchall()
    assert (curator.person.login,) in who


def test_curator_creates_an_empty_lesson_for_an_unrecorded_pair(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    day = recent_day(curator, group, 0)
    with demo_db.connect() as conn:  # the teacher has not recorded the first пара yet
        conn.execute("DELETE FROM journal.lesson WHERE id = %s", (day.lesson_ids[0],))
    day = load_day(curator, group, day.day)
    slot = next(p for p in day.pairs if not p.recorded)
    assert day.may_create and day.takes_attendance(slot.key)
    lesson_id = create_lesson(curator, day, slot.key)
    assert create_lesson(curator, day, slot.key) == lesson_id  # once only
    with demo_db.connect() as conn:
        row = conn.execute("SELECT l.taught_by = t.teacher_id, l.topic FROM journal.lesson l"
                           " JOIN journal.teaching_load t ON t.id = l.load_id WHERE l.id = %s",
                           (lesson_id,)).fetchone()
    assert row == (True, "")
    day = load_day(curator, group, day.day)
    assert day.pair(lesson_id).recorded
    student = next(iter(day.attends[lesson_id]))
    save(curator, mark(day, student, lesson_id, Attendance.EXCUSED))
    assert attendance(demo_db, [lesson_id]) == {(student, lesson_id): "НУ"}


def other_group_lesson(demo_db: Any, group: GroupInfo) -> tuple[int, int, int]:
    """A lesson, its load and a student of another group (read as the superuser)."""
    with demo_db.connect() as conn:
        row = conn.execute(
            """SELECT l.id, l.load_id, s.person_id FROM journal.lesson l
                 JOIN journal.teaching_load t ON t.id = l.load_id
                 JOIN journal.student s ON s.group_id = t.group_id
                WHERE t.group_id <> %s AND t.subgroup_id IS NULL
                ORDER BY l.lesson_date DESC, s.person_id LIMIT 1""", (group.group_id,)).fetchone()
    return row[0], row[1], row[2]


def test_curator_cannot_write_attendance_of_another_group(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    lesson, _load, student = other_group_lesson(demo_db, group)
    before = attendance(demo_db, [lesson]).get((student, lesson))
    with curator.cursor() as cur:
        outcomes = save_changes(cur.connection, [
            Change(student, lesson, None, before and Attendance(before), Attendance.UNEXCUSED)])
    assert [o.status for o in outcomes] == ["refused"]  # the row-level security policy
    with curator.cursor() as cur:  # a raw UPDATE changes no row
        updated = cur.execute("UPDATE journal.attendance SET code = 'НН' WHERE lesson_id = %s"
                              " AND student_id = %s", (lesson, student)).rowcount
    assert updated == 0
    assert attendance(demo_db, [lesson]).get((student, lesson)) == before


def test_curator_cannot_create_a_lesson_of_another_group(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    with demo_db.connect() as conn:
        other = conn.execute("SELECT g.id, g.name FROM journal.study_group g WHERE g.id <> %s"
                             " ORDER BY g.id LIMIT 1", (group.group_id,)).fetchone()
    foreign = GroupInfo(other[0], other[1])
    day = recent_day(curator, foreign, 0, recorded=False)
    assert not day.may_create  # the screen does not offer it; the database must refuse anyway
    slot = day.pairs[0]
    with demo_db.connect() as conn:  # the teacher has not recorded it yet
        conn.execute("DELETE FROM journal.lesson WHERE load_id = %s AND lesson_date = %s"
                     " AND pair_no = %s", (slot.load_id, day.day, slot.pair_no))
    with pytest.raises(AccessDenied):
        create_lesson(curator, day, slot.key)
    with demo_db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM journal.lesson WHERE load_id = %s"
                            " AND lesson_date = %s AND pair_no = %s",
                            (slot.load_id, day.day, slot.pair_no)).fetchone() == (0,)
