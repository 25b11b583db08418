"""A small college for the security tests: one person per role and the rows around them.

Groups: GA (curator ``curator``), GB (curator ``curator2``), GC (no curator).
Students: sa1 (``student``, account), sa2, sa3 (account, never connects) in GA; sb1, sb2 in
GB; sc1, sc2 in GC. Parents: ``parent`` of sa1, pa2 of sa2 (no account), pb1 of sb1 (account).
Loads: la (GA, ``teacher``), la2 (GA, teacher2), lb (GB, teacher2), lc (GC, teacher2).
Lessons: la1, la2_1, lb1, lc1 taught by their load's teacher, and lb_sub: a lesson of lb
that ``teacher`` taught as a substitute (R17). Every lesson has marks of both students of
its group and attendance of the first one. Statements of la and lb, final marks of la, lb
and lc, threads of the parent with the curator and of teacher2 with the teacher.
``x_teacher`` is staff without an account. Everyone in ``ROLE_PEOPLE`` holds exactly their
one role, so each column of the access matrix is one role alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

ROLE_PEOPLE = ("admin", "director", "deputy", "office", "methodologist", "teacher", "curator",
               "support", "parent", "student")


@dataclass
class World:
    """Ids of the world's rows by name, and the logins of the people with accounts."""

    person: dict[str, int] = field(default_factory=dict)
    login: dict[str, str] = field(default_factory=dict)
    group: dict[str, int] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)
    lesson: dict[str, int] = field(default_factory=dict)
    statement: dict[str, int] = field(default_factory=dict)
    thread: dict[str, int] = field(default_factory=dict)
    year_id: int = 0
    period_id: int = 0
    today: dt.date = dt.date(2000, 1, 1)

    def students_of(self, *groups: str) -> set[int]:
        """Ids of the students of the named groups."""
        members = {"GA": ("sa1", "sa2", "sa3"), "GB": ("sb1", "sb2"), "GC": ("sc1", "sc2")}
        return {self.person[s] for g in groups for s in members[g]}


def _one(conn: psycopg.Connection, query: str, args: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query, args).fetchone()
    assert row is not None
    return row[0]


def build_world(conn: psycopg.Connection, make_person: Callable[..., int],
                make_account: Callable[..., str]) -> World:
    """Fill the (empty, migrated) database through a superuser connection."""
    w = World()
    w.today = _one(conn, "SELECT current_date")
    _people(conn, w, make_person)
    _setup(conn, w)
    _journal(conn, w)
    _threads(conn, w)
    for who in (*ROLE_PEOPLE, "teacher2", "curator2", "sa3", "pb1"):
        w.login[who] = make_account(conn, w.person[who])
    return w


def _people(conn: psycopg.Connection, w: World, make_person: Callable[..., int]) -> None:
    staff = {"admin": "admin", "director": "director", "deputy": "deputy", "office": "office",
             "methodologist": "methodologist", "teacher": "teacher", "teacher2": "teacher",
             "x_teacher": "teacher", "curator": "curator", "curator2": "curator",
             "support": "support"}
    for who, role in staff.items():
        w.person[who] = make_person(conn, [role], surname=f"Сотрудник-{who}")
        conn.execute("INSERT INTO journal.staff VALUES (%s, %s)", (w.person[who], role))
    for who in ("student", "sa2", "sa3", "sb1", "sb2", "sc1", "sc2"):
        w.person[who] = make_person(conn, ["student"], surname=f"Студент-{who}")
    w.person["sa1"] = w.person["student"]
    w.person["newbie"] = make_person(conn, ["student"], surname="Студент-новый")
    for who in ("parent", "pa2", "pb1"):
        w.person[who] = make_person(conn, ["parent"], surname=f"Родитель-{who}")


def _setup(conn: psycopg.Connection, w: World) -> None:
    start = w.today - dt.timedelta(days=100)
    end = w.today + dt.timedelta(days=200)
    w.year_id = _one(conn, """INSERT INTO journal.academic_year (title, starts_on, ends_on)
                              VALUES (%s, %s, %s) RETURNING id""",
                     (f"{start.year}/{start.year + 1}", start, end))
    w.period_id = _one(conn, """INSERT INTO journal.period (year_id, number, title, starts_on,
                                ends_on) VALUES (%s, 1, '1 семестр', %s, %s) RETURNING id""",
                       (w.year_id, start, end))
    conn.execute("INSERT INTO journal.holiday (year_id, starts_on, ends_on, title) "
                 "VALUES (%s, %s, %s, 'Новый год')", (w.year_id, end, end))
    conn.execute("INSERT INTO journal.bell VALUES (%s, 1, '08:30', '10:00', 2)", (w.year_id,))
    spec = _one(conn, "INSERT INTO journal.specialty (code, title, group_prefix) "
                      "VALUES ('09.02.07', 'Информационные системы', 'ИС') RETURNING id")
    cur = _one(conn, "INSERT INTO journal.curriculum (specialty_id, admission_year, title) "
                     "VALUES (%s, 2024, 'План') RETURNING id", (spec,))
    d1 = _one(conn, "INSERT INTO journal.discipline (title, short_title) "
                    "VALUES ('Математика', 'Мат') RETURNING id")
    d2 = _one(conn, "INSERT INTO journal.discipline (title, short_title) "
                    "VALUES ('Физика', 'Физ') RETURNING id")
    conn.execute("INSERT INTO journal.curriculum_item (curriculum_id, discipline_id, semester_no, "
                 "hours_total, attestation) VALUES (%s, %s, 1, 72, 'экзамен')", (cur, d1))
    for name, curator in (("GA", "curator"), ("GB", "curator2"), ("GC", None)):
        w.group[name] = _one(conn, """INSERT INTO journal.study_group (name, specialty_id,
            curriculum_id, admission_year, curator_id) VALUES (%s, %s, %s, 2024, %s)
            RETURNING id""", (f"ИС-24-{len(w.group) + 1}", spec, cur,
                              w.person[curator] if curator else None))
        conn.execute("INSERT INTO journal.subgroup (group_id, name) VALUES (%s, '1')",
                     (w.group[name],))
    for n, (who, group) in enumerate((("sa1", "GA"), ("sa2", "GA"), ("sa3", "GA"), ("sb1", "GB"),
                                      ("sb2", "GB"), ("sc1", "GC"), ("sc2", "GC"))):
        conn.execute("""INSERT INTO journal.student (person_id, group_id, record_book_no,
                        enrolled_on) VALUES (%s, %s, %s, %s)""",
                     (w.person[who], w.group[group], f"З-{n}", start))
    for parent, child in (("parent", "sa1"), ("pa2", "sa2"), ("pb1", "sb1")):
        conn.execute("INSERT INTO journal.guardian VALUES (%s, %s, 'мать')",
                     (w.person[parent], w.person[child]))
    for name, group, disc, teacher in (("la", "GA", d1, "teacher"), ("la2", "GA", d2, "teacher2"),
                                       ("lb", "GB", d1, "teacher2"), ("lc", "GC", d1, "teacher2")):
        w.load[name] = _one(conn, """INSERT INTO journal.teaching_load (period_id, group_id,
            discipline_id, teacher_id, planned_hours) VALUES (%s, %s, %s, %s, 72) RETURNING id""",
            (w.period_id, w.group[group], disc, w.person[teacher]))
        conn.execute("INSERT INTO journal.ktp_topic (load_id, position, title, lesson_type) "
                     "VALUES (%s, 1, 'Введение', 'theory')", (w.load[name],))
        conn.execute("INSERT INTO journal.timetable_slot (load_id, weekday, pair_no) "
                     "VALUES (%s, 1, 1)", (w.load[name],))


LESSONS = (("la1", "la", "teacher", "GA"), ("la2_1", "la2", "teacher2", "GA"),
           ("lb1", "lb", "teacher2", "GB"), ("lb_sub", "lb", "teacher", "GB"),
           ("lc1", "lc", "teacher2", "GC"))
FIRST = {"GA": "sa1", "GB": "sb1", "GC": "sc1"}


def _journal(conn: psycopg.Connection, w: World) -> None:
    for pair, (name, load, teacher, group) in enumerate(LESSONS, start=1):
        w.lesson[name] = _one(conn, """INSERT INTO journal.lesson (load_id, lesson_date, pair_no,
            taught_by, topic, homework) VALUES (%s, %s, %s, %s, 'Тема', 'Задание') RETURNING id""",
            (w.load[load], w.today, pair, w.person[teacher]))
        for student in w.students_of(group) - {w.person["sa3"]}:
            conn.execute("""INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind,
                            value) VALUES (%s, %s, %s, 'oral', '5')""",
                         (w.lesson[name], w.load[load], student))
        conn.execute("""INSERT INTO journal.attendance (lesson_id, load_id, student_id, code)
                        VALUES (%s, %s, %s, 'П')""",
                     (w.lesson[name], w.load[load], w.person[FIRST[group]]))
    for name, group in (("la", "GA"), ("lb", "GB")):
        w.statement[name] = _one(conn, """INSERT INTO journal.statement (load_id, form)
            VALUES (%s, 'экзамен') RETURNING id""", (w.load[name],))
        conn.execute("INSERT INTO journal.statement_mark VALUES (%s, %s, '4')",
                     (w.statement[name], w.person[FIRST[group]]))
    for name, group in (("la", "GA"), ("lb", "GB"), ("lc", "GC")):
        conn.execute("""INSERT INTO journal.final_mark (load_id, student_id, value, source)
                        VALUES (%s, %s, '5', 'среднее')""", (w.load[name], w.person[FIRST[group]]))


def _threads(conn: psycopg.Connection, w: World) -> None:
    for name, author, member, student in (("parent", "parent", "curator", "sa1"),
                                          ("staff", "teacher2", "teacher", None),
                                          ("other", "pb1", "curator2", "sb1")):
        w.thread[name] = _one(conn, """INSERT INTO journal.thread (subject, student_id,
            created_by) VALUES ('Вопрос', %s, %s) RETURNING id""",
            (w.person[student] if student else None, w.person[author]))
        for who in (author, member):
            conn.execute("INSERT INTO journal.thread_member (thread_id, person_id) VALUES (%s, %s)",
                         (w.thread[name], w.person[who]))
        conn.execute("INSERT INTO journal.message (thread_id, author_id, body) "
                     "VALUES (%s, %s, 'Здравствуйте')", (w.thread[name], w.person[author]))
