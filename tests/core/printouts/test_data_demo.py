"""Printouts of the demo college read through people's own logins: figures checked against
the database, and row-level security deciding what a teacher's or a parent's print holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from core.grading.finals import final_mark
from core.grading.performance import performance
from core.printouts.data import find_groups, load_journal, load_student_report, load_summaries, resolve_period
from core.printouts.forms import percent_number
from kernel.errors import AccessDenied
from kernel.marks import MarkValue, StatementValue
from printing.summary import render_summary


def pdf_text(path: Path) -> str:
    """All text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def oracle_finals(conn: Any, group: str, period_number: int) -> dict[int, dict[int, str]]:
    """Finals {student: {load: text}} from plain per-load queries and ``final_mark``."""
    loads = conn.execute(
        "SELECT t.id, t.pass_fail, t.subgroup_id FROM journal.teaching_load t "
        "JOIN journal.study_group g ON g.id = t.group_id JOIN journal.period p ON p.id = t.period_id "
        "WHERE g.name = %s AND p.number = %s", (group, period_number)).fetchall()
    students = conn.execute(
        "SELECT s.person_id, s.subgroup_id FROM journal.student s JOIN journal.study_group g "
        "ON g.id = s.group_id WHERE g.name = %s AND s.status IN ('обучается', 'академический отпуск')",
        (group,)).fetchall()
    result: dict[int, dict[int, str]] = {sid: {} for sid, _ in students}
    for load, pass_fail, subgroup in loads:
        for sid, student_subgroup in students:
            if subgroup is not None and subgroup != student_subgroup:
                continue
            marks = [MarkValue(v) for (v,) in conn.execute(
                "SELECT m.value FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id "
                "WHERE m.load_id = %s AND m.student_id = %s ORDER BY l.lesson_date, l.pair_no, m.id",
                (load, sid)).fetchall()]
            exam = conn.execute(
                "SELECT sm.value FROM journal.statement s JOIN journal.statement_mark sm "
                "ON sm.statement_id = s.id WHERE s.load_id = %s AND sm.student_id = %s "
                "ORDER BY array_position(ARRAY['экзамен', 'дифференцированный зачёт', 'зачёт', "
                "'курсовая работа'], s.form) LIMIT 1", (load, sid)).fetchone()
            value = final_mark(marks, StatementValue(exam[0]) if exam else None, pass_fail)
            result[sid][load] = value.text
    return result


def test_admin_summary_matches_the_database(demo_db: Any, demo_group: str, tmp_path: Path) -> None:
    session = demo_db.log_in("заведующий")
    conn = session.conn
    choice = resolve_period(conn, None, 1)
    group = find_groups(conn, [demo_group])[0]
    summary = load_summaries(conn, [group.id], choice)[group.id]
    with demo_db.connect() as su:
        expected = oracle_finals(su, demo_group, 1)
    assert {r.student.id for r in summary.rows} == set(expected)
    for row in summary.rows:
        assert sorted(v for v in row.finals.values() if v) == sorted(
            v for v in expected[row.student.id].values() if v)
    marks = {sid: [StatementValue(v) for v in by_load.values() if v] for sid, by_load in expected.items()}
    quality = performance(marks).quality
    assert summary.figures.quality == quality and quality is not None
    pages = render_summary(summary, tmp_path / "summary.pdf")
    text = pdf_text(tmp_path / "summary.pdf")
    assert pages >= 1 and demo_group in text
    assert f"качество знаний {percent_number(quality)} %" in text.replace("\n", " ")
    some = next(r for r in summary.rows if any(r.finals.values()))
    assert some.student.name in text.replace("\n", " ")
    session.close()


def test_a_teachers_journal_holds_only_their_lessons(demo_db: Any, demo_group: str) -> None:
    session = demo_db.log_in("преподаватель")
    me = session.person.person_id
    conn = session.conn
    choice = resolve_period(conn, None, 1)
    group = find_groups(conn, [demo_group])[0]
    journal = load_journal(conn, group.id, choice)
    seen = sum(len(lesson.cells) for d in journal.disciplines for lesson in d.lessons)
    with demo_db.connect() as su:
        mine = su.execute(
            "SELECT count(DISTINCT l.id), count(m.id) FROM journal.lesson l "
            "JOIN journal.teaching_load t ON t.id = l.load_id JOIN journal.period p ON p.id = t.period_id "
            "LEFT JOIN journal.mark m ON m.lesson_id = l.id "
            "WHERE t.group_id = %s AND p.number = 1 AND (t.teacher_id = %s OR l.taught_by = %s)",
            (group.id, me, me)).fetchone()
        everything = su.execute(
            "SELECT count(*) FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id "
            "JOIN journal.period p ON p.id = t.period_id WHERE t.group_id = %s AND p.number = 1",
            (group.id,)).fetchone()
    lessons = sum(len(d.lessons) for d in journal.disciplines)
    marks = sum(len(c.marks) for d in journal.disciplines for x in d.lessons for c in x.cells.values())
    assert (lessons, marks) == (mine[0], mine[1])
    assert 0 < lessons < everything[0] and seen > 0
    for item in journal.disciplines:
        for lesson in item.lessons:
            assert item.teacher == lesson.substitute_for or not lesson.substitute_for
    session.close()


def test_a_parent_prints_only_their_own_children(demo_db: Any) -> None:
    session = demo_db.log_in("родитель")
    conn = session.conn
    with demo_db.connect() as su:
        children = [r[0] for r in su.execute(
            "SELECT student_id FROM journal.guardian WHERE parent_id = %s ORDER BY 1",
            (session.person.person_id,)).fetchall()]
        stranger = su.execute("SELECT person_id FROM journal.student WHERE person_id <> ALL(%s) "
                              "LIMIT 1", (children,)).fetchone()[0]
    choice = resolve_period(conn, None, 1)
    report = load_student_report(conn, children[0], choice)
    assert report.disciplines and report.group
    with pytest.raises(AccessDenied):
        load_student_report(conn, stranger, choice)
    session.close()
