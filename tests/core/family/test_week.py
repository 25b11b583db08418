"""The week view's data and rights, against the demo database (issue 11, item 10)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg

from core.family.service import children
from core.family.week import CHILD_LOADS, WEEK, WEEK_MARKS, legend, monday_of, read_week, work_kinds
from db.connect import Credentials


def _raw(demo_db: Any, label: str) -> psycopg.Connection:
    account = demo_db.account(label)
    creds = Credentials.from_typed(demo_db.settings, account.login, account.password)
    return psycopg.connect(**creds.params, autocommit=True)


def busy_week(demo_db: Any, student_id: int) -> Any:
    """The Monday of the week of the child's latest mark (a week with marks and absences)."""
    with demo_db.connect() as conn:
        day = conn.execute(
            "SELECT max(l.lesson_date) FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id"
            " WHERE m.student_id = %s", (student_id,)).fetchone()[0]
    return monday_of(day)


def test_the_week_matches_the_database(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    child = children(parent)[0]
    monday = busy_week(demo_db, child.student_id)
    week = read_week(parent, child.student_id, monday)
    args = {"s": child.student_id, "a": monday, "b": monday + timedelta(days=6)}
    with demo_db.connect() as conn:
        marks = conn.execute(
            "SELECT m.lesson_id, m.value FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id"
            " WHERE m.student_id = %(s)s AND l.lesson_date BETWEEN %(a)s AND %(b)s", args).fetchall()
        absences = conn.execute(
            "SELECT a.lesson_id, a.code, l.hours FROM journal.attendance a JOIN journal.lesson l"
            " ON l.id = a.lesson_id WHERE a.student_id = %(s)s AND a.code <> 'П'"
            " AND l.lesson_date BETWEEN %(a)s AND %(b)s", args).fetchall()
        lessons = conn.execute(
            "SELECT count(*) FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id"
            " JOIN journal.student s ON s.group_id = t.group_id AND s.person_id = %(s)s"
            " WHERE (t.subgroup_id IS NULL OR t.subgroup_id = s.subgroup_id)"
            " AND l.lesson_date BETWEEN %(a)s AND %(b)s", args).fetchone()[0]
    assert marks and week.mark_count == len(marks)
    assert sorted((x.lesson_id, m.value.value) for x in week.lessons for m in x.marks) == sorted(marks)
    assert sorted((x.lesson_id, x.attendance.value, x.hours) for x in week.lessons
                  if x.attendance is not None and x.attendance.is_absent) == sorted(absences)
    assert len(week.lessons) == lessons
    assert all(monday <= x.day <= week.sunday for x in week.lessons)
    assert [x.day for x in week.lessons] == sorted(x.day for x in week.lessons)
    parent.close()


def test_raw_parent_and_student_read_no_other_child(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    mine = children(parent)[0]
    parent.close()
    with demo_db.connect() as su:       # a student of the same group who is not theirs
        stranger = su.execute(
            "SELECT s.person_id FROM journal.student s JOIN journal.student c"
            " ON c.group_id = s.group_id AND c.person_id = %s WHERE s.person_id <> c.person_id"
            " AND EXISTS (SELECT FROM journal.mark m WHERE m.student_id = s.person_id)"
            " ORDER BY s.person_id LIMIT 1", (mine.student_id,)).fetchone()[0]
    monday = busy_week(demo_db, stranger)
    args = {"from": monday, "to": monday + timedelta(days=6)}
    with demo_db.connect() as su:
        stranger_lessons = [r[0] for r in su.execute(WEEK, {**args, "student": stranger}).fetchall()]
    assert stranger_lessons          # the superuser sees the other child's week
    for label in ("родитель", "обучающийся"):
        with _raw(demo_db, label) as conn:
            assert conn.execute(WEEK, {**args, "student": stranger}).fetchall() == []
            assert conn.execute(WEEK_MARKS, {"student": stranger,
                                             "lessons": stranger_lessons}).fetchall() == []
            assert conn.execute(CHILD_LOADS, {"student": stranger}).fetchall() == []
    with _raw(demo_db, "родитель") as conn:   # and their own child's week they do read
        own = busy_week(demo_db, mine.student_id)
        assert conn.execute(WEEK, {"student": mine.student_id, "from": own,
                                   "to": own + timedelta(days=6)}).fetchall()


def test_the_legend_explains_every_abbreviation(demo_db: Any) -> None:
    parent = demo_db.log_in("родитель")
    kinds = work_kinds(parent)
    text = legend(kinds)
    assert {"УО", "Пр", "ЛР", "КР"} <= {short for short, _title in kinds}
    for short, title in kinds:
        assert f"**{short}** — {title.lower()}" in text
    for word in ("**НУ**", "**НН**", "Итог 3\\*", "**з**", "**нз**", "**Ср.**", "диф. зачёт"):
        assert word in text
    parent.close()
