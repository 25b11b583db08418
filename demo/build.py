"""``build_demo``: fill an empty, migrated database with the demo college.

The whole build is one transaction on a superuser connection. Bulk tables go in with COPY;
the per-row triggers of the schema (student in the load's group, lesson inside its period,
pass/fail only where allowed, …) stay on and check every row. See ``docs/demo.md``.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import psycopg

from demo.calendar import BELLS, AcademicYear, academic_year
from demo.college import CollegeMaker
from demo.journal import (
    LESSON_COLUMNS,
    LOCAL,
    Journal,
    Lesson,
    assign_ids,
    group_rows,
    lesson_row,
    make_ktp,
    make_statements,
    make_timetables,
    mark_gaps,
    plan_lessons,
    prepare_students,
    substitute,
)
from demo.names import NameMaker
from demo.people import movement_rows
from demo.records import College
from demo.writer import IdAllocator, copy_rows
from kernel import clock as program_clock
from kernel.errors import ValidationError
from kernel.logins import OPAQUE_PREFIX, opaque_login, propose_login
from kernel.settings import Settings

SCALES = ("small", "college")

# (person_role, Russian label, password): one demo login per role.
DEMO_ROLES: tuple[tuple[str, str, str], ...] = (
    ("admin", "заведующий учебной частью", "demo-admin"),
    ("director", "директор", "demo-director"),
    ("deputy", "заместитель директора", "demo-deputy"),
    ("office", "работник учебной части", "demo-office"),
    ("methodologist", "методист", "demo-method"),
    ("teacher", "преподаватель", "demo-teacher"),
    ("curator", "куратор", "demo-curator"),
    ("support", "социальный педагог", "demo-social"),
    ("parent", "родитель", "demo-parent"),
    ("student", "обучающийся", "demo-student"),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as shown to the person trying the program."""

    role: str
    login: str
    password: str
    full_name: str
    note: str = ""


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` made.

    Attributes:
        logins: One account per role (fixed passwords, no forced change).
        groups, students, lessons, marks, attendance, statements: Row counts.
        benchmark_load_id: The load whose journal page is the benchmark page (at college
            scale about 35 students × 120 lessons: «Технология строительных процессов»,
            II семестр, the first group of the third course of 08.02.01).
        year: The academic year (``2026/2027``).
        seconds: Time the build took.
    """

    logins: list[DemoLogin]
    groups: int
    students: int
    lessons: int
    marks: int
    attendance: int = 0
    statements: int = 0
    benchmark_load_id: int = 0
    year: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def build_demo(
    conn: psycopg.Connection,
    *,
    seed: int = 2026,
    scale: str = "small",
    settings: Settings,
    today: date | None = None,
) -> DemoSummary:
    """Fill an empty migrated database with the demo college and create its demo accounts.

    Args:
        conn: A superuser connection to the database.
        seed: Same seed, same college (names, timetable, marks…).
        scale: ``small`` (11 groups, lessons up to yesterday) or ``college`` (60 groups,
            ~1,500 students, every lesson of the year held and filled).
        settings: The installation's settings (password derivation for the accounts).
        today: The demo's today (default: the program's clock, ``EJOURNAL_TODAY`` or the
            system date); lessons are held before it and the academic year is the one
            running on it.

    Raises:
        ValidationError: unknown scale, or the database already has an academic year.
    """
    if scale not in SCALES:
        raise ValidationError(f"Масштаб «{scale}» неизвестен: допустимы small и college.")
    started = clock.perf_counter()
    today = today or program_clock.today()
    year = academic_year(today)
    timings: dict[str, float] = {}
    with conn.transaction():
        _check_empty(conn)
        builder = _Builder(conn, seed, scale, year, today, timings)
        summary_counts = builder.run()
        _set_director(conn, builder.college)
        logins = _accounts(conn, builder.college, builder.journal, settings)
    # Fresh statistics and visibility map: until autovacuum gets to millions of new rows the
    # planner guesses, and under row-level security a guessed plan costs a page load several
    # times over. VACUUM needs autocommit; inside a caller's transaction only ANALYZE runs.
    conn.execute("VACUUM ANALYZE" if conn.autocommit else "ANALYZE")
    timings["total"] = clock.perf_counter() - started
    return DemoSummary(logins=logins, year=year.title, seconds=timings["total"],
                       benchmark_load_id=builder.college.benchmark_load, timings=timings,
                       **summary_counts)


def _set_director(conn: psycopg.Connection, college: College) -> None:
    """The printouts' certification block names the demo's director, not the placeholder."""
    name = college.staff["director"].name
    initials = f"{name.name[0]}. {name.patronymic[0]}. " if name.patronymic else f"{name.name[0]}. "
    conn.execute("UPDATE journal.setting SET value = to_jsonb(%s::text) WHERE key = 'director_name'",
                 (initials + name.surname,))


def _check_empty(conn: psycopg.Connection) -> None:
    row = conn.execute("SELECT title FROM journal.academic_year ORDER BY id LIMIT 1").fetchone()
    if row is not None:
        raise ValidationError(
            f"В базе уже есть учебный год {row[0]}: демонстрационный колледж загружается "
            "только в пустую базу.")


class _Builder:
    """Generates and writes the demo in dependency order, timing each step."""

    def __init__(self, conn: psycopg.Connection, seed: int, scale: str, year: AcademicYear,
                 today: date, timings: dict[str, float]) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        self.scale = scale
        self.year = year
        self.today = today
        self.timings = timings
        self.ids = IdAllocator(conn)
        self.names = NameMaker(self.rng, seed)
        self.college: College
        self.journal = Journal()
        self.held_until = today if scale == "small" else year.terms[1].ends_on + timedelta(1)
        self._mark = clock.perf_counter()

    def _lap(self, name: str) -> None:
        now = clock.perf_counter()
        self.timings[name] = round(now - self._mark, 3)
        self._mark = now

    def run(self) -> dict[str, int]:
        self.college = CollegeMaker(self.ids, self.rng, self.names, self.year, self.scale).make()
        self._lap("structure")
        self._write_calendar()
        self._write_structure()
        self._lap("write structure")
        journal = self.journal
        journal.timetables = make_timetables(self.college)
        journal.ktp = make_ktp(self.college, self.ids, self.rng)
        journal.lessons = plan_lessons(self.college, self.year, journal.timetables,
                                       self.held_until)
        self._lap("timetable and lessons")
        demo_teacher = journal.demo_teacher_id = self.demo_teacher()
        substitute(self.college, self.year, journal, self.today, demo_teacher, self.rng)
        mark_gaps(journal, self.today, demo_teacher, self.rng)
        assign_ids(journal, self.ids)
        self._write_plan()
        self._lap("write plan and lessons")
        prepare_students(self.college, self.year, self.held_until, self.today, self.rng)
        attendance, marks = self._write_journal()
        self._lap("attendance and marks")
        statements = self._write_statements()
        self.ids.finish()
        self._lap("statements")
        return {"groups": len(self.college.groups), "students": len(self.college.students),
                "lessons": len(journal.lessons), "marks": marks, "attendance": attendance,
                "statements": statements}

    def demo_teacher(self) -> int:
        """The demo teacher: the one teaching the benchmark load (never a curator)."""
        return self.college.demo_teacher

    # Writing ---------------------------------------------------------------------------

    def _copy(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        return copy_rows(self.conn, table, columns, rows)

    def _write_calendar(self) -> None:
        year, year_id = self.year, self.college.year_id
        self._copy("academic_year", ("id", "title", "starts_on", "ends_on"),
                   [(year_id, year.title, year.starts_on, year.ends_on)])
        self._copy("period", ("id", "year_id", "number", "title", "starts_on", "ends_on"),
                   [(pid, year_id, t.number, t.title, t.starts_on, t.ends_on)
                    for pid, t in zip(self.college.period_ids, year.terms, strict=True)])
        self._copy("holiday", ("year_id", "starts_on", "ends_on", "title", "kind"),
                   [(year_id, b.starts_on, b.ends_on, b.title, b.kind) for b in year.breaks])
        self._copy("bell", ("year_id", "pair_no", "starts_at", "ends_at", "hours"),
                   [(year_id, n, s, e, 2) for n, (s, e) in enumerate(BELLS, start=1)])

    def _write_structure(self) -> None:
        from demo.catalog import BY_TITLE
        from demo.specialties import BY_PREFIX

        c = self.college
        self._copy("specialty", ("id", "code", "title", "qualification", "group_prefix"),
                   [(sid, BY_PREFIX[p].code, BY_PREFIX[p].title, BY_PREFIX[p].qualification, p)
                    for p, sid in c.specialty_ids.items()])
        self._copy("discipline", ("id", "code", "title", "short_title"),
                   [(did, BY_TITLE[t].code, t, BY_TITLE[t].short)
                    for t, did in c.discipline_ids.items()])
        self._copy("curriculum", ("id", "specialty_id", "admission_year", "title"), c.curricula)
        self._copy("curriculum_item", ("id", "curriculum_id", "discipline_id", "semester_no",
                                       "hours_total", "hours_practical", "hours_lab",
                                       "attestation", "pass_fail"),
                   [(iid, cid, did, i.semester, i.hours,
                     2 * round(i.hours * i.discipline.practical / 2),
                     2 * round(i.hours * i.discipline.lab / 2), i.attestation, i.pass_fail)
                    for iid, cid, did, i in c.curriculum_items])
        self._copy("person", ("id", "surname", "name", "patronymic", "birth_date", "phone",
                              "email"),
                   [(p.id, p.name.surname, p.name.name, p.name.patronymic, p.birth_date,
                     p.phone, p.email) for p in c.people])
        self._copy("person_role", ("person_id", "role"),
                   [(p.id, role) for p in c.people for role in p.roles])
        self._copy("staff", ("person_id", "position", "part_time"),
                   [(p.id, p.position, p.part_time) for p in c.people if p.position])
        self._copy("study_group", ("id", "name", "specialty_id", "curriculum_id",
                                   "admission_year", "curator_id"),
                   [(g.id, g.name, g.specialty_id, g.curriculum_id, g.admission_year,
                     g.curator_id) for g in c.groups])
        self._copy("subgroup", ("id", "group_id", "name"),
                   [(sid, g.id, f"{n} подгруппа") for g in c.groups
                    for n, sid in enumerate(g.subgroup_ids, start=1)])
        # A student row gets its enrolment from the database (migration 0030); leave and
        # expulsion are recorded as the office would, as dated movements with an order.
        self._copy("student", ("person_id", "group_id", "subgroup_id", "record_book_no",
                               "status", "enrolled_on"),
                   [(s.person_id, s.group_id, s.subgroup_id, s.record_book_no, "обучается",
                     s.enrolled_on) for _, s in sorted(c.students.items())])
        self._copy("student_movement", ("student_id", "kind", "on_date", "group_id", "order_no",
                                        "reason"), movement_rows(c))
        self._copy("guardian", ("parent_id", "student_id", "relation"), c.guardians)
        self._copy("teaching_load", ("id", "period_id", "group_id", "subgroup_id",
                                     "discipline_id", "curriculum_item_id", "teacher_id",
                                     "planned_hours", "pass_fail"),
                   [(x.id, x.period_id, x.group.id, x.subgroup_id, x.discipline_id,
                     x.curriculum_item_id, x.teacher_id, x.planned_hours, x.item.pass_fail)
                    for x in c.loads])

    def _write_plan(self) -> None:
        j = self.journal
        self._copy("ktp_topic", ("id", "load_id", "position", "title", "lesson_type", "hours",
                                 "homework"),
                   [(tid, load_id, n, line.title, line.lesson_type, 2,
                     "; ".join(x for x in (line.homework, line.pages, line.tasks) if x))
                    for load_id, lines in j.ktp.items()
                    for n, (tid, line) in enumerate(lines, start=1)])
        self._copy("timetable_slot", ("load_id", "weekday", "pair_no", "week_parity", "room"),
                   [(s.load_id, s.weekday, s.pair_no, s.parity, s.room)
                    for term in (1, 2) for s in j.timetables[term].slots])
        self._copy("lesson", LESSON_COLUMNS,
                   (lesson_row(x, j.ktp[x.load.id][x.position]) for x in j.lessons))

    def _write_journal(self) -> tuple[int, int]:
        by_group: dict[int, list[Lesson]] = {}
        for lesson in self.journal.lessons:
            by_group.setdefault(lesson.load.group.id, []).append(lesson)
        attendance = marks = 0
        for group in self.college.groups:
            rows_a, rows_m = group_rows(self.college, by_group.get(group.id, []),
                                        self.journal.ktp, self.rng)
            attendance += self._copy("attendance", ("lesson_id", "load_id", "student_id",
                                                    "code"), rows_a)
            marks += self._copy("mark", ("lesson_id", "load_id", "student_id", "work_kind",
                                         "value"), rows_m)
        return attendance, marks

    def _write_statements(self) -> int:
        marks = make_statements(self.college, self.journal, self.ids, self.today, self.rng)
        closer = _login_of(self.college, "office")
        self._copy("statement", ("id", "load_id", "form", "number", "held_on", "examiner_id",
                                 "created_at", "created_by"),
                   [(sid, load.id, form, number, held, load.teacher_id,
                     datetime.combine(held, time(9, 0), LOCAL), closer)
                    for sid, load, form, number, held in self.journal.statements])
        self._copy("statement_mark", ("statement_id", "student_id", "value"), marks)
        for sid, _, _, _, held in self.journal.statements:
            closed = datetime.combine(held + timedelta(days=1), time(15, 0), LOCAL)
            self.conn.execute(
                "UPDATE journal.statement SET closed_at = %s, closed_by = %s WHERE id = %s",
                (closed, closer, sid))
        return len(self.journal.statements)


def _login_of(college: College, role: str) -> str:
    person = college.staff[role]
    return propose_login(person.name.surname, person.name.name, person.name.patronymic)


def _demo_people(college: College, journal: Journal, demo_teacher: int) -> dict[str, tuple]:
    """The person behind each demo login and a note on what to look at."""
    groups = {g.id: g for g in college.groups}
    student = college.students[college.demo_student]
    sibling = college.students[college.demo_sibling]
    home, other = groups[student.group_id], groups[sibling.group_id]
    teacher_groups = sorted({x.group.name for x in college.loads if x.teacher_id == demo_teacher})
    titles = sorted({x.discipline.title for x in college.loads if x.teacher_id == demo_teacher})
    taught = sorted({x.discipline.title for x in college.loads
                     if x.teacher_id == home.curator_id and x.group is home})
    return {
        "admin": (college.staff["admin"].id, "учебный год, пользователи, печать, резервные копии"),
        "director": (college.staff["director"].id, "все журналы и отчёты"),
        "deputy": (college.staff["deputy"].id, "все журналы и отчёты"),
        "office": (college.staff["office"].id, "контроль заполнения, отчёты, ведомости"),
        "methodologist": (college.staff["methodologist"].id, "проверка КТП, отчёты"),
        "teacher": (demo_teacher, f"{', '.join(titles[:2])}; группы {', '.join(teacher_groups)}; "
                                  f"замен проведено: {journal.substituted_by_demo_teacher}"),
        "curator": (home.curator_id, f"куратор группы {home.name}; ведёт {', '.join(taught[:2])}"),
        "support": (college.staff["support"].id, "посещаемость и успеваемость обучающихся"),
        "parent": (college.demo_parent, f"двое детей: {home.name} и {other.name}"),
        "student": (college.demo_student, f"группа {home.name}"),
    }


def _accounts(conn: psycopg.Connection, college: College, journal: Journal,
              settings: Settings) -> list[DemoLogin]:
    from demo.accounts import ensure_account

    demo_teacher = journal.demo_teacher_id
    people = _demo_people(college, journal, demo_teacher)
    result: list[DemoLogin] = []
    used: set[str] = set()
    for role, label, password in DEMO_ROLES:
        person_id, note = people[role]
        person = college.person(person_id)
        if role in OPAQUE_PREFIX:  # no names in students' and parents' logins
            login = opaque_login(role, random.Random(f"demo-login-{person_id}"))
        else:
            login = propose_login(person.name.surname, person.name.name, person.name.patronymic)
        base, n = login, 1
        while login in used:
            n += 1
            login = f"{base}{n}"
        used.add(login)
        ensure_account(conn, person_id, login, password, settings=settings)
        result.append(DemoLogin(label, login, password, person.name.full, note))
    return result
