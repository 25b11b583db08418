"""The demo's journal: timetables, КТП, lessons held, substitutions, the gaps the office's
monitoring should find, attendance, marks and the attestation statements already closed.

Lessons come from the timetable through :func:`core.calendar.lessons.generate_lessons` and
take the КТП's topics in order; a load's lessons stop once its hours are given. Lessons are
held up to ``held_until`` (exclusive): the day before ``today`` at small scale, the whole
year at college scale.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from core.calendar.lessons import Parity, TimetableSlot, generate_lessons, week_parity
from demo.calendar import BELLS, AcademicYear
from demo.ktp import KtpLine, build_ktp
from demo.marks_model import add_illness, current_mark, lesson_marks, statement_mark
from demo.records import College, Load, Student
from demo.timetable import Member, Timetable, Unit, schedule
from demo.writer import IdAllocator

LOCAL = timezone(timedelta(hours=7))  # Кемерово
FORMS = frozenset({"экзамен", "дифференцированный зачёт", "зачёт", "курсовая работа"})


@dataclass
class Lesson:
    """A lesson held: which load, when, who taught it and how it was filled in."""

    load: Load
    day: date
    pair: int
    room: str
    taught_by: int
    position: int
    id: int = 0
    filled: bool = True
    attendance: bool = True
    homework: bool = True
    late_days: int = 0


@dataclass
class Journal:
    """Everything generated for the journal tables."""

    timetables: dict[int, Timetable] = field(default_factory=dict)
    ktp: dict[int, list[tuple[int, KtpLine]]] = field(default_factory=dict)
    lessons: list[Lesson] = field(default_factory=list)
    statements: list[tuple[int, Load, str, str, date]] = field(default_factory=list)
    substituted_by_demo_teacher: int = 0
    demo_teacher_id: int = 0


def make_timetables(college: College) -> dict[int, Timetable]:
    """The timetable of each semester."""
    result: dict[int, Timetable] = {}
    for term in (1, 2):
        groups = []
        for index, group in enumerate(college.groups):
            units: dict[str, list[Member]] = {}
            halves: dict[str, int] = {}
            for load in college.loads:
                if load.group is not group or load.term != term:
                    continue
                title = load.discipline.title
                room = _room(college, load)
                units.setdefault(title, []).append(Member(load.id, load.teacher_id, room))
                halves[title] = load.item.weekly_halves
            group_units = [Unit(halves[t], tuple(m)) for t, m in units.items()]
            groups.append((index, group.shift_start, group_units))
        result[term] = schedule(groups)
    return result


def _room(college: College, load: Load) -> str:
    teacher = college.person(load.teacher_id)
    if load.discipline.room == "gym" and teacher.pool != "pe":
        return "Спортзал"
    return teacher.room


def make_ktp(college: College, ids: IdAllocator, rng: random.Random) -> dict[int, list]:
    """The КТП of every load, as (topic id, line)."""
    result: dict[int, list[tuple[int, KtpLine]]] = {}
    for load in college.loads:
        lines = build_ktp(load.discipline, load.lessons_planned, load.item.attestation, rng)
        result[load.id] = [(ids.take("ktp_topic"), line) for line in lines]
    return result


def plan_lessons(college: College, year: AcademicYear, timetables: dict[int, Timetable],
                 held_until: date) -> list[Lesson]:
    """Lessons of every load from the timetable, trimmed to the load's hours."""
    by_load = {load.id: load for load in college.loads}
    lessons: list[Lesson] = []
    for term_no, table in sorted(timetables.items()):
        term = year.terms[term_no - 1]
        per_group: dict[int, list[TimetableSlot]] = {}
        for slot in table.slots:
            group_id = by_load[slot.load_id].group.id
            per_group.setdefault(group_id, []).append(
                TimetableSlot(slot.weekday, slot.pair_no, Parity(slot.parity), slot.load_id,
                              slot.room))
        for group_id in sorted(per_group):
            planned = generate_lessons(per_group[group_id], term.starts_on, term.ends_on)
            counts: dict[int, int] = {}
            for item in planned:
                load = by_load[item.load_id]
                position = counts.get(load.id, 0)
                if position >= load.lessons_planned:
                    continue
                counts[load.id] = position + 1
                if item.date < held_until:
                    lessons.append(Lesson(load, item.date, item.pair_no, item.room,
                                          load.teacher_id, position))
    return lessons


def substitute(college: College, year: AcademicYear, journal: Journal, today: date,
               demo_teacher: int, rng: random.Random) -> None:
    """Teachers off sick for a few days: colleagues free at the time take their lessons
    (``taught_by``), the lessons nobody could take are not held (and shift the КТП)."""
    teachers = college.teachers
    episodes = max(2, len(teachers) // 10)
    term = year.terms[0]
    first, last = term.starts_on + timedelta(days=14), min(term.ends_on, today - timedelta(days=7))
    if last <= first:
        return
    demo_pool = college.person(demo_teacher).pool
    pool_mates = [t for t in teachers if t.pool == demo_pool and t.id != demo_teacher]
    sick_list = [pool_mates[0]] if pool_mates else []
    while len(sick_list) < episodes:
        candidate = rng.choice(teachers)
        if candidate.id != demo_teacher and candidate not in sick_list:
            sick_list.append(candidate)
    sick_days: dict[int, set[date]] = {}
    for teacher in sick_list:
        start = first + timedelta(days=rng.randint(0, (last - first).days))
        sick_days[teacher.id] = {start + timedelta(days=n) for n in range(rng.randint(3, 6))}
    busy: set[tuple[int, date, int]] = set()
    kept: list[Lesson] = []
    for lesson in sorted(journal.lessons, key=lambda x: (x.day, x.pair, x.load.id)):
        days = sick_days.get(lesson.load.teacher_id)
        if days is None or lesson.day not in days:
            kept.append(lesson)
            continue
        substitute_id = _free_colleague(college, journal, lesson, busy, demo_teacher)
        if substitute_id is None:
            continue
        busy.add((substitute_id, lesson.day, lesson.pair))
        lesson.taught_by = substitute_id
        if substitute_id == demo_teacher:
            journal.substituted_by_demo_teacher += 1
        kept.append(lesson)
    positions: dict[int, int] = {}
    for lesson in sorted(kept, key=lambda x: (x.load.id, x.day, x.pair)):
        lesson.position = positions.get(lesson.load.id, 0)
        positions[lesson.load.id] = lesson.position + 1
    journal.lessons = kept


def _free_colleague(college: College, journal: Journal, lesson: Lesson,
                    busy: set[tuple[int, date, int]], demo_teacher: int) -> int | None:
    table = journal.timetables[lesson.load.term]
    term_start = college.year.terms[lesson.load.term - 1].starts_on
    parity = week_parity(lesson.day, term_start).value
    weekday = lesson.day.isoweekday()
    pool = lesson.load.discipline.pool
    order = sorted(college.teachers, key=lambda t: (t.id != demo_teacher, t.pool != pool, t.id))
    for teacher in order:
        if teacher.id == lesson.load.teacher_id or (teacher.id, lesson.day, lesson.pair) in busy:
            continue
        if teacher.pool != pool and teacher.id != demo_teacher:
            continue
        if table.teacher_free(teacher.id, weekday, lesson.pair, parity):
            return teacher.id
    return None


def mark_gaps(journal: Journal, today: date, demo_teacher: int, rng: random.Random) -> None:
    """Lessons left unfilled, without attendance or homework, or filled late (R8)."""
    past = [x for x in journal.lessons if x.day < today]
    recent = [x for x in past if (today - x.day).days <= 14]
    unfilled = max(3, len(past) // 150)
    pool = sorted(recent or past, key=lambda x: (x.day, x.pair, x.load.id))
    for lesson in rng.sample(pool, min(unfilled, len(pool))):
        lesson.filled = lesson.attendance = lesson.homework = False
    mine = [x for x in recent if x.load.teacher_id == demo_teacher and x.filled]
    if mine:
        latest = max(mine, key=lambda x: (x.day, x.pair))
        latest.filled = latest.attendance = latest.homework = False
    for lesson in past:
        if not lesson.filled:
            continue
        roll = rng.random()
        if roll < 0.015:
            lesson.attendance = False
        elif roll < 0.045:
            lesson.late_days = rng.randint(3, 10)
        if rng.random() < 0.08:
            lesson.homework = False


def assign_ids(journal: Journal, ids: IdAllocator) -> None:
    """Lesson ids in the order of the calendar."""
    journal.lessons.sort(key=lambda x: (x.day, x.pair, x.load.id))
    for lesson in journal.lessons:
        lesson.id = ids.take("lesson")


def lesson_row(lesson: Lesson, line: tuple[int, KtpLine]) -> tuple:
    """A row of ``journal.lesson`` (see :data:`LESSON_COLUMNS`)."""
    topic_id, ktp = line
    bell_end = BELLS[lesson.pair - 1][1]
    created = datetime.combine(lesson.day, time(7, 30), LOCAL)
    if not lesson.filled:
        return (lesson.id, lesson.load.id, lesson.day, lesson.pair, lesson.taught_by, "theory",
                2, None, "", "oral", "", "", "", "", created, None)
    filled = datetime.combine(lesson.day, bell_end, LOCAL) + timedelta(
        minutes=5 + (lesson.id * 37) % 240, days=lesson.late_days)
    homework = lesson.homework
    return (lesson.id, lesson.load.id, lesson.day, lesson.pair, lesson.taught_by,
            ktp.lesson_type, 2, topic_id, ktp.title, ktp.work_kind,
            ktp.homework if homework else "", ktp.pages if homework else "",
            ktp.tasks if homework else "", ktp.practical if homework else "", created, filled)


LESSON_COLUMNS = ("id", "load_id", "lesson_date", "pair_no", "taught_by", "lesson_type", "hours",
                  "ktp_topic_id", "topic", "work_kind", "homework", "homework_pages",
                  "homework_tasks", "homework_practical", "created_at", "filled_at")


def prepare_students(college: College, year: AcademicYear, held_until: date,
                     today: date, rng: random.Random) -> None:
    """Illnesses over the year, and the demo student's week of illness two weeks ago."""
    start = year.terms[0].starts_on
    days = [start + timedelta(days=n) for n in range((held_until - start).days)]
    study = [d for d in days if d.isoweekday() != 7]
    for person_id in sorted(college.students):
        add_illness(college.students[person_id].profile, study, rng,
                    chance=0.3 if len(study) < 150 else 0.55)
    monday = today - timedelta(days=today.weekday(), weeks=2)
    demo = college.students[college.demo_student].profile
    demo.sick = {monday + timedelta(days=n) for n in range(6)}


def group_rows(college: College, group_lessons: list[Lesson], ktp: dict[int, list],
               rng: random.Random) -> tuple[list[tuple], list[tuple]]:
    """Attendance and mark rows of one group's lessons (in calendar order)."""
    attendance: list[tuple] = []
    marks: list[tuple] = []
    waited: dict[int, dict[int, int]] = {}
    day_status: dict[int, str | None] = {}
    current_day: date | None = None
    for lesson in group_lessons:
        load = lesson.load
        roster = _roster(college, load, lesson.day)
        if lesson.day != current_day:
            current_day = lesson.day
            day_status = {s.person_id: _day_status(s, lesson.day, rng)
                          for s in _roster(college, load, lesson.day, whole_group=True)}
        if not lesson.filled:
            continue
        present: list[int] = []
        for student in roster:
            code = day_status.get(student.person_id) or _lesson_status(student, lesson, rng)
            if lesson.attendance:
                attendance.append((lesson.id, load.id, student.person_id, code))
            if code == "П":
                present.append(student.person_id)
        line = ktp[load.id][lesson.position][1]
        load_waited = waited.setdefault(load.id, {})
        pe = load.discipline.pool == "pe"
        style = load.discipline.pool if load.discipline.pool in ("pe", "lang") else ""
        for student_id in present:
            load_waited[student_id] = load_waited.get(student_id, 8) + 1
        for student_id, kind in lesson_marks(line.lesson_type, present, load_waited, rng,
                                             style=style):
            profile = college.students[student_id].profile
            value = current_mark(profile, load.discipline_id, kind, rng,
                                 pass_fail=load.item.pass_fail, pe=pe)
            marks.append((lesson.id, load.id, student_id, kind, value))
            load_waited[student_id] = 0
    return attendance, marks


def _roster(college: College, load: Load, day: date, *, whole_group: bool = False) -> list[Student]:
    result = []
    for person_id in load.group.students:
        student = college.students[person_id]
        if not whole_group and load.subgroup_id is not None \
                and student.subgroup_id != load.subgroup_id:
            continue
        if student.active_on(day):
            result.append(student)
    return result


def _day_status(student: Student, day: date, rng: random.Random) -> str | None:
    profile = student.profile
    if day in profile.sick:
        return "НУ"
    if rng.random() < profile.day_absence:
        return "НУ" if rng.random() < profile.excused_share else "НН"
    return None


def _lesson_status(student: Student, lesson: Lesson, rng: random.Random) -> str:
    profile = student.profile
    chance = profile.lesson_absence
    if profile.chronic and lesson.pair <= 2:
        chance += 0.25
    if rng.random() < chance:
        return "НУ" if rng.random() < profile.excused_share * 0.5 else "НН"
    return "П"


def make_statements(college: College, journal: Journal, ids: IdAllocator, today: date,
                    rng: random.Random) -> list[tuple]:
    """Statements of the disciplines already finished and attested: closed, with marks."""
    last_day: dict[int, date] = {}
    held: dict[int, int] = {}
    for lesson in journal.lessons:
        last_day[lesson.load.id] = max(last_day.get(lesson.load.id, lesson.day), lesson.day)
        held[lesson.load.id] = held.get(lesson.load.id, 0) + 1
    rows: list[tuple] = []
    number = 0
    for load in college.loads:
        if load.item.attestation not in FORMS or not load.item.intensive:
            continue
        end = last_day.get(load.id)
        if end is None or held[load.id] < load.lessons_planned - 2:
            continue
        day = end + timedelta(days=rng.randint(2, 5))
        if day.isoweekday() == 7:
            day += timedelta(days=1)
        if day >= today:
            continue
        number += 1
        statement_id = ids.take("statement")
        journal.statements.append((statement_id, load, load.item.attestation, f"{number:02d}", day))
        for student in _roster(college, load, day):
            value = statement_mark(student.profile, load.discipline_id, load.item.attestation,
                                   rng)
            rows.append((statement_id, student.person_id, value))
    return rows
