"""A tiny college with known marks, written by the superuser, for exact checks of printouts.

Group СЭЗ-24-1 (5 students, two subgroups), group СЭЗ-24-2 (2 students), year 2025/2026:

- Математика, 1 семестр (Петрова): Абрамов 5 4 4 and exam 5 → 5; Борисова 3 4 → 3,5 → 4;
  Волков 2 3 → 2,5 → 3; Громова none → no final; Дьяков 5 5 → 5. Lesson 2 was taught by
  Сергеева (замена). Абрамов НН on lesson 1, Борисова НУ on lesson 3 (2 hours each).
- Физическая культура, 1 семестр, зачёт/незачёт (Сергеева): everyone зачёт except Волков
  (незачёт).
- Иностранный язык, 1 семестр, subgroup 1 (Петрова) and 2 (Сергеева): one mark each.
- Математика, 2 семестр (Петрова): Абрамов 4.
- СЭЗ-24-2: Математика, 1 семестр (Сергеева): Егоров 5, Жукова 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg

YEAR = "2025/2026"


@dataclass
class Sample:
    """Ids of what was written."""

    year_id: int = 0
    periods: dict[int, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    loads: dict[str, int] = field(default_factory=dict)
    statement_id: int = 0


def _one(conn: psycopg.Connection, sql: str, *args: Any) -> Any:
    row = conn.execute(sql, args).fetchone()
    assert row is not None
    return row[0]


def _person(conn: psycopg.Connection, s: Sample, key: str, fio: str, role: str,
            phone: str | None = None) -> int:
    surname, name, patronymic = fio.split()
    pid = _one(conn, "INSERT INTO journal.person (surname, name, patronymic, phone) "
               "VALUES (%s, %s, %s, %s) RETURNING id", surname, name, patronymic, phone)
    conn.execute("INSERT INTO journal.person_role VALUES (%s, %s)", (pid, role))
    s.people[key] = pid
    return int(pid)


def _calendar(conn: psycopg.Connection, s: Sample) -> None:
    s.year_id = _one(conn, "INSERT INTO journal.academic_year (title, starts_on, ends_on) "
                     "VALUES (%s, '2025-09-01', '2026-06-30') RETURNING id", YEAR)
    for number, start, end in ((1, "2025-09-01", "2025-12-31"), (2, "2026-01-09", "2026-06-30")):
        s.periods[number] = _one(
            conn, "INSERT INTO journal.period (year_id, number, title, starts_on, ends_on) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING id", s.year_id, number, f"{number} семестр",
            start, end)


def _groups(conn: psycopg.Connection, s: Sample) -> None:
    spec = _one(conn, "INSERT INTO journal.specialty (code, title, group_prefix) VALUES "
                "('08.02.01', 'Строительство и эксплуатация зданий и сооружений', 'СЭЗ') RETURNING id")
    plan = _one(conn, "INSERT INTO journal.curriculum (specialty_id, admission_year, title) "
                "VALUES (%s, 2024, 'План 2024') RETURNING id", spec)
    curator = _person(conn, s, "curator", "Кузнецова Мария Ивановна", "curator", "+79051234567")
    conn.execute("INSERT INTO journal.person_role VALUES (%s, 'teacher')", (curator,))
    for name, cur in (("СЭЗ-24-1", curator), ("СЭЗ-24-2", None)):
        s.groups[name] = _one(conn, "INSERT INTO journal.study_group (name, specialty_id, "
                              "curriculum_id, admission_year, curator_id) VALUES "
                              "(%s, %s, %s, 2024, %s) RETURNING id", name, spec, plan, cur)
    g1 = s.groups["СЭЗ-24-1"]
    subs = [_one(conn, "INSERT INTO journal.subgroup (group_id, name) VALUES (%s, %s) RETURNING id",
                 g1, f"{n} подгруппа") for n in (1, 2)]
    students = (("abramov", "Абрамов Алексей Петрович", "СЭЗ-24-1", 0),
                ("borisova", "Борисова Вера Олеговна", "СЭЗ-24-1", 0),
                ("volkov", "Волков Глеб Ильич", "СЭЗ-24-1", 1),
                ("gromova", "Громова Дарья Сергеевна", "СЭЗ-24-1", 1),
                ("dyakov", "Дьяков Егор Андреевич", "СЭЗ-24-1", 1),
                ("egorov", "Егоров Иван Иванович", "СЭЗ-24-2", None),
                ("zhukova", "Жукова Зоя Павловна", "СЭЗ-24-2", None))
    for n, (key, fio, group, sub) in enumerate(students, start=1):
        pid = _person(conn, s, key, fio, "student")
        conn.execute("INSERT INTO journal.student (person_id, group_id, subgroup_id, record_book_no,"
                     " enrolled_on) VALUES (%s, %s, %s, %s, '2024-09-01')",
                     (pid, s.groups[group], None if sub is None else subs[sub], f"24-{n:03d}"))
    s.people["sub1"], s.people["sub2"] = subs


def _loads(conn: psycopg.Connection, s: Sample) -> None:
    petrova = _person(conn, s, "petrova", "Петрова Анна Викторовна", "teacher")
    sergeeva = _person(conn, s, "sergeeva", "Сергеева Ольга Николаевна", "teacher")
    disciplines = {key: _one(conn, "INSERT INTO journal.discipline (code, title, short_title) "
                             "VALUES (%s, %s, %s) RETURNING id", code, title, short)
                   for key, code, title, short in (
                       ("math", "ОУД.04", "Математика", "Матем."),
                       ("pe", "ОГСЭ.04", "Физическая культура", "Физ-ра"),
                       ("lang", "ОГСЭ.03", "Иностранный язык", "Ин. яз."))}
    g1, g2 = s.groups["СЭЗ-24-1"], s.groups["СЭЗ-24-2"]
    p1, p2 = s.periods[1], s.periods[2]
    for key, period, group, sub, disc, teacher, pass_fail in (
            ("math1", p1, g1, None, "math", petrova, False),
            ("pe1", p1, g1, None, "pe", sergeeva, True),
            ("lang1a", p1, g1, s.people["sub1"], "lang", petrova, False),
            ("lang1b", p1, g1, s.people["sub2"], "lang", sergeeva, False),
            ("math2", p2, g1, None, "math", petrova, False),
            ("math_g2", p1, g2, None, "math", sergeeva, False)):
        s.loads[key] = _one(conn, "INSERT INTO journal.teaching_load (period_id, group_id, "
                            "subgroup_id, discipline_id, teacher_id, planned_hours, pass_fail) "
                            "VALUES (%s, %s, %s, %s, %s, 36, %s) RETURNING id",
                            period, group, sub, disciplines[disc], teacher, pass_fail)


def _lesson(conn: psycopg.Connection, s: Sample, load: str, day: str, teacher: str,
            topic: str, marks: dict[str, str], absent: dict[str, str] | None = None,
            homework: tuple[str, str, str] = ("", "", "")) -> int:
    lid = _one(conn, "INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, topic,"
               " homework, homework_pages, homework_tasks) VALUES (%s, %s, 1, %s, %s, %s, %s, %s)"
               " RETURNING id", s.loads[load], date.fromisoformat(day), s.people[teacher], topic,
               *homework)
    for who, value in marks.items():
        conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                     "VALUES (%s, %s, %s, 'oral', %s)", (lid, s.loads[load], s.people[who], value))
    for who, code in (absent or {}).items():
        conn.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
                     "VALUES (%s, %s, %s, %s)", (lid, s.loads[load], s.people[who], code))
    return int(lid)


def _marks(conn: psycopg.Connection, s: Sample) -> None:
    _lesson(conn, s, "math1", "2025-09-02", "petrova", "Действительные числа",
            {"abramov": "5", "borisova": "3", "volkov": "2", "dyakov": "5"}, {"abramov": "НН"},
            ("Повторить конспект", "12–15", "3, 5"))
    _lesson(conn, s, "math1", "2025-09-09", "sergeeva", "Корни и степени",
            {"abramov": "4", "borisova": "4", "volkov": "3", "dyakov": "5"})
    _lesson(conn, s, "math1", "2025-10-07", "petrova", "Логарифмы", {"abramov": "4"},
            {"borisova": "НУ"})
    _lesson(conn, s, "pe1", "2025-09-03", "sergeeva", "Лёгкая атлетика",
            {w: "незачёт" if w == "volkov" else "зачёт"
             for w in ("abramov", "borisova", "volkov", "gromova", "dyakov")})
    _lesson(conn, s, "lang1a", "2025-09-04", "petrova", "Present Simple", {"abramov": "5", "borisova": "4"})
    _lesson(conn, s, "lang1b", "2025-09-04", "sergeeva", "Present Simple", {"volkov": "3", "dyakov": "4"})
    _lesson(conn, s, "math2", "2026-01-13", "petrova", "Производная", {"abramov": "4"})
    _lesson(conn, s, "math_g2", "2025-09-02", "sergeeva", "Действительные числа",
            {"egorov": "5", "zhukova": "2"})
    s.statement_id = _one(conn, "INSERT INTO journal.statement (load_id, form, number, held_on, "
                          "examiner_id) VALUES (%s, 'экзамен', '17', '2025-12-25', %s) RETURNING id",
                          s.loads["math1"], s.people["petrova"])
    conn.execute("INSERT INTO journal.statement_mark (statement_id, student_id, value) "
                 "VALUES (%s, %s, '5')", (s.statement_id, s.people["abramov"]))


def fill_sample(conn: psycopg.Connection) -> Sample:
    """Write the sample college through a superuser connection; return its ids."""
    s = Sample()
    with conn.transaction():
        _calendar(conn, s)
        _groups(conn, s)
        _loads(conn, s)
        _marks(conn, s)
    return s
