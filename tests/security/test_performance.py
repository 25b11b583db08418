"""Row-level security keeps a teacher's journal page fast (core.journal.queries.read_page).

A college-sized journal (12 groups of 30, 8 loads each, 70 lessons a load, ~250,000 marks
and attendance rows); one teacher's full-semester page read through their own login versus
the superuser's (no RLS). Target: ≤ 10 ms; the ratio bound is loose because the test
machine is shared (measured 1.2–1.6× on 2 cores).
"""

from __future__ import annotations

import statistics
import time

import psycopg

from core.journal.queries import read_page, save_marks
from db.connect import transaction
from tests.security.conftest import connect_as, make_account

DATA = """
SET session_replication_role = replica;   -- a bulk load: no triggers (history, locks)
INSERT INTO journal.person (surname, name)
     SELECT 'Преподаватель' || g, 'И' FROM generate_series(1, 40) g;
INSERT INTO journal.person_role SELECT id, 'teacher' FROM journal.person
 WHERE surname LIKE 'Преподаватель%';
INSERT INTO journal.person (surname, name) SELECT 'Студент' || g, 'С' FROM generate_series(1, 360) g;
INSERT INTO journal.person_role SELECT id, 'student' FROM journal.person WHERE surname LIKE 'Студент%';
INSERT INTO journal.academic_year (title, starts_on, ends_on)
     VALUES ('2030/2031', current_date - 150, current_date + 150);
INSERT INTO journal.period (year_id, number, title, starts_on, ends_on)
     SELECT id, 1, '1 семестр', starts_on, ends_on FROM journal.academic_year;
INSERT INTO journal.specialty (code, title, group_prefix) VALUES ('09.02.07', 'ИС', 'ИС');
INSERT INTO journal.curriculum (specialty_id, admission_year, title)
     SELECT id, 2024, 'План' FROM journal.specialty;
INSERT INTO journal.discipline (title, short_title)
     SELECT 'Дисциплина ' || g, 'Д' || g FROM generate_series(1, 8) g;
INSERT INTO journal.study_group (name, specialty_id, curriculum_id, admission_year)
     SELECT 'ИС-24-' || g, (SELECT id FROM journal.specialty), (SELECT id FROM journal.curriculum),
            2024 FROM generate_series(1, 12) g;
INSERT INTO journal.student (person_id, group_id, record_book_no, enrolled_on)
     SELECT p.id, g.id, 'З' || p.id, current_date - 150
       FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM journal.person
              WHERE surname LIKE 'Студент%') p
       JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM journal.study_group) g
         ON g.n = p.n % 12;
INSERT INTO journal.teaching_load (period_id, group_id, discipline_id, teacher_id, planned_hours)
     SELECT (SELECT id FROM journal.period), g.id, d.id, t.id, 140
       FROM journal.study_group g CROSS JOIN journal.discipline d
       JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM journal.person
              WHERE surname LIKE 'Преподаватель%') t ON t.n = (g.id * 8 + d.id) % 40;
INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, topic)
     SELECT t.id, current_date - 145 + n * 2, 1 + t.id % 6, t.teacher_id, 'Тема ' || n
       FROM journal.teaching_load t, generate_series(1, 70) n;
INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)
     SELECT l.id, l.load_id, s.person_id, 'oral', (2 + (l.id + s.person_id) % 4)::text
       FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id
       JOIN journal.student s ON s.group_id = t.group_id
      WHERE (l.id * 7 + s.person_id * 3) % 10 < 7;
INSERT INTO journal.attendance (lesson_id, load_id, student_id, code)
     SELECT l.id, l.load_id, s.person_id, CASE WHEN (l.id + s.person_id) % 11 = 0 THEN 'НН' ELSE 'П' END
       FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id
       JOIN journal.student s ON s.group_id = t.group_id;
SET session_replication_role = origin;
ANALYZE;
"""


def _page_ms(teacher: psycopg.Connection, owner: psycopg.Connection, load: int,
             runs: int = 60) -> tuple[float, float]:
    """(teacher, owner) ms to read the page: the two read in turn, so both meet the same load
    on a shared machine, and the lower quartile of each, so another program's burst on the
    2-core machine does not count as the page's cost."""
    times: dict[int, list[float]] = {id(teacher): [], id(owner): []}
    for n in range(runs + 5):
        for conn in (teacher, owner):
            started = time.perf_counter()
            read_page(conn, load)
            if n >= 5:  # warm-up rounds are not measured
                times[id(conn)].append(time.perf_counter() - started)
    quartile = [statistics.quantiles(times[id(c)], n=4)[0] * 1000 for c in (teacher, owner)]
    return quartile[0], quartile[1]


def test_a_teachers_page_under_rls_stays_fast(sec_db, su: psycopg.Connection) -> None:
    su.execute(DATA)
    teacher, load = su.execute("SELECT teacher_id, id FROM journal.teaching_load "
                               "ORDER BY id LIMIT 1").fetchone()  # type: ignore[misc]
    login = make_account(su, teacher)
    with connect_as(sec_db, login) as conn:
        page = read_page(conn, load)
        assert page == read_page(su, load)           # the teacher sees the whole page
        assert page == read_page(conn, load, whole=False)   # as the policies show it (0077)
        assert len(page["marks"]) > 1500 and len(page["students"]) == 30
        teacher_ms, owner_ms = _page_ms(conn, su, load)
    print(f"teacher {teacher_ms:.2f} ms, owner {owner_ms:.2f} ms, "
          f"ratio {teacher_ms / owner_ms:.2f}")
    # The absolute figure (target ≤ 10 ms) is the benchmark's, bench/journal_page.py
    # page_load_rls_ms: it depends on the machine. What the policies themselves cost is the
    # ratio to the owner's read of the same page, measured side by side.
    assert teacher_ms <= 2.5 * owner_ms


def test_a_bulk_save_under_rls_and_history_stays_set_based(sec_db, su: psycopg.Connection) -> None:
    su.execute(DATA)
    teacher, load = su.execute("SELECT teacher_id, id FROM journal.teaching_load "
                               "ORDER BY id LIMIT 1").fetchone()  # type: ignore[misc]
    cells = su.execute("""SELECT l.id, s.person_id FROM journal.lesson l
                            JOIN journal.teaching_load t ON t.id = l.load_id
                            JOIN journal.student s ON s.group_id = t.group_id
                           WHERE t.id = %s AND NOT EXISTS (
                                 SELECT FROM journal.attendance a WHERE a.lesson_id = l.id
                                    AND a.student_id = s.person_id AND a.code <> 'П')
                           ORDER BY 1, 2""", (load,)).fetchall()   # no mark on the absent (0031)
    rows = [(lesson, student, "test", None, "4", n, None) for n, (lesson, student) in enumerate(cells)]
    login = make_account(su, teacher)
    with connect_as(sec_db, login) as conn:
        started = time.perf_counter()
        with transaction(conn, "ввод с бумажного журнала"):
            results = save_marks(conn, rows)
        elapsed = time.perf_counter() - started
    assert len(rows) > 1800 and all(status == "applied" for _n, status in results)
    history = su.execute("SELECT count(*), min(reason), max(reason) FROM journal.change_log "
                         "WHERE table_name = 'mark' AND load_id = %s", (load,)).fetchone()
    assert history == (len(rows), "ввод с бумажного журнала", "ввод с бумажного журнала")
    print(f"{len(rows)} marks saved with history in {elapsed * 1000:.0f} ms")
    assert elapsed < 2.0
