"""What a student, or a parent about a child, reads in the journal (R10, R20).

Marks by discipline for a period with means and final marks (the statement's mark where there
is one, else R7's mean), attendance with hours missed (НУ/НН), homework for the coming days,
the timetable of the week, statement marks. Read-only. Every query runs on the person's own
connection: row-level security lets a parent see only their own children and a student only
themself, so nothing here filters "for security"; which children are *theirs* is asked of
``journal.guardian`` only to build the picker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from core.calendar.lessons import DateRange, Parity, TimetableSlot, generate_lessons
from core.grading.finals import DEFAULT_RULE, FinalMark, RoundingRule, final_mark
from core.grading.performance import HOURS_PER_PAIR, MissedHours, attendance_summary
from core.grading.performance import Absence as Missed
from core.journal.lesson_record import homework_text
from core.session import UserSession
from kernel import clock
from kernel.marks import Attendance, MarkValue, StatementValue
from kernel.text import short_name_sql

WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
SHORT_FORMS = {"дифференцированный зачёт": "диф. зачёт", "курсовая работа": "курсовая"}
HOMEWORK_DAYS_BACK = 14
HOMEWORK_DAYS_AHEAD = 7


@dataclass(frozen=True)
class Child:
    """A student the person may read about (a parent's child, or the student themself)."""

    student_id: int
    full_name: str
    group_name: str

    @property
    def label(self) -> str:
        """«Петров Иван Сергеевич, СЭЗ-24-1»."""
        return f"{self.full_name}, {self.group_name}"


@dataclass(frozen=True)
class Period:
    """A study period of the child's group."""

    period_id: int
    title: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class DatedMark:
    """A current mark with its lesson date and kind of work."""

    day: date
    value: MarkValue
    work_kind: str


@dataclass(frozen=True)
class DisciplineResult:
    """One discipline of the period for the child.

    Attributes:
        load_id: The teaching load.
        discipline: Title.
        teacher: «Фамилия И. О.».
        marks: Current marks in date order.
        final: The live final mark: the statement's where there is one, else R7's mean.
        fixed: The final mark fixed when the period was closed (``journal.final_mark``), if any.
        statement: (form, mark or None, date or None, closed) of the statement, if any.
        missed: Hours missed in this discipline.
    """

    load_id: int
    discipline: str
    teacher: str
    marks: tuple[DatedMark, ...]
    final: FinalMark
    fixed: str | None = None
    statement: tuple[str, StatementValue | None, date | None, bool] | None = None
    missed: MissedHours = field(default_factory=MissedHours)

    @property
    def final_text(self) -> str:
        """The fixed final mark, else the live one («4», «зачёт»), or empty."""
        return self.fixed if self.fixed is not None else self.final.text

    @property
    def shown_final(self) -> str:
        """:attr:`final_text` with «*» when it comes from the statement (as on the journal page)."""
        star = "*" if self.fixed is None and self.final.source == "statement" and self.final_text else ""
        return self.final_text + star

    @property
    def marks_text(self) -> str:
        """«5 4 4 з 3»."""
        return " ".join(m.value.short for m in self.marks)

    @property
    def statement_text(self) -> str:
        """«экзамен: 4», «диф. зачёт: 5» or «экзамен 20.12» (not yet marked), or empty."""
        if self.statement is None:
            return ""
        form, value, held_on, _closed = self.statement
        form = SHORT_FORMS.get(form, form)
        if value is not None:
            return f"{form}: {value.value}"
        return f"{form} {held_on:%d.%m}" if held_on else form


@dataclass(frozen=True)
class Absence:
    """A lesson missed."""

    load_id: int
    day: date
    pair_no: int
    discipline: str
    code: Attendance
    hours: int


@dataclass(frozen=True)
class Homework:
    """Homework given at a lesson, due at the discipline's next lesson."""

    given_on: date
    due_on: date | None
    discipline: str
    text: str


@dataclass(frozen=True)
class WeekLesson:
    """One пара of the week's timetable."""

    day: date
    pair_no: int
    starts_at: time | None
    discipline: str
    teacher: str
    room: str
    topic: str = ""


@dataclass(frozen=True)
class FamilyView:
    """Everything the family screen shows for one child and period."""

    child: Child
    period: Period
    disciplines: tuple[DisciplineResult, ...]
    absences: tuple[Absence, ...]
    homework: tuple[Homework, ...]
    week_start: date
    week: tuple[WeekLesson, ...]

    @property
    def missed(self) -> MissedHours:
        """Hours missed in the period, all disciplines."""
        return sum((d.missed for d in self.disciplines), MissedHours())


CHILDREN = """
SELECT s.person_id, p.surname || ' ' || p.name || coalesce(' ' || nullif(p.patronymic, ''), ''),
       g.name
  FROM journal.student s
  JOIN journal.person p ON p.id = s.person_id
  JOIN journal.study_group g ON g.id = s.group_id
 WHERE s.person_id = %(me)s
    OR s.person_id IN (SELECT student_id FROM journal.guardian WHERE parent_id = %(me)s)
 ORDER BY p.surname, p.name, p.patronymic
"""

PERIODS = """
SELECT DISTINCT p.id, p.title || ' ' || y.title, p.starts_on, p.ends_on
  FROM journal.period p
  JOIN journal.academic_year y ON y.id = p.year_id
  JOIN journal.teaching_load t ON t.period_id = p.id
  JOIN journal.student s ON s.person_id = %(student)s
 WHERE t.group_id = s.group_id
    OR EXISTS (SELECT FROM journal.mark m WHERE m.load_id = t.id AND m.student_id = s.person_id)
 ORDER BY p.starts_on DESC
"""


LOADS = f"""
SELECT t.id, d.title, coalesce({short_name_sql('tp')}, ''), t.pass_fail
  FROM journal.teaching_load t
  JOIN journal.student s ON s.person_id = %(student)s
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE t.period_id = %(period)s
   AND ((t.group_id = s.group_id AND (t.subgroup_id IS NULL OR t.subgroup_id = s.subgroup_id))
        OR EXISTS (SELECT FROM journal.mark m WHERE m.load_id = t.id AND m.student_id = s.person_id))
 ORDER BY d.title, t.id
"""

MARKS = """
SELECT m.load_id, l.lesson_date, m.value, wk.short
  FROM journal.mark m
  JOIN journal.lesson l ON l.id = m.lesson_id
  JOIN journal.work_kind wk ON wk.code = m.work_kind
 WHERE m.student_id = %(student)s AND m.load_id = ANY(%(loads)s)
 ORDER BY l.lesson_date, l.pair_no, m.id
"""

ABSENCES = """
SELECT a.load_id, l.lesson_date, l.pair_no, a.code, l.hours
  FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id
 WHERE a.student_id = %(student)s AND a.load_id = ANY(%(loads)s) AND a.code <> 'П'
 ORDER BY l.lesson_date DESC, l.pair_no
"""

STATEMENTS = """
SELECT s.load_id, s.form, sm.value, s.held_on, s.closed_at IS NOT NULL
  FROM journal.statement s
  LEFT JOIN journal.statement_mark sm ON sm.statement_id = s.id AND sm.student_id = %(student)s
 WHERE s.load_id = ANY(%(loads)s)
 ORDER BY s.created_at
"""

FIXED = """SELECT load_id, value, mean FROM journal.final_mark
            WHERE student_id = %(student)s AND load_id = ANY(%(loads)s)"""

HOMEWORK = """
SELECT l.load_id, l.lesson_date, l.homework, l.homework_pages, l.homework_tasks,
       l.homework_practical
  FROM journal.lesson l
 WHERE l.load_id = ANY(%(loads)s) AND l.lesson_date BETWEEN %(from)s AND %(to)s
   AND (l.homework <> '' OR l.homework_pages <> '' OR l.homework_tasks <> '' OR l.homework_practical <> '')
 ORDER BY l.lesson_date, l.pair_no
"""

LESSONS = """
SELECT l.load_id, l.lesson_date, l.pair_no, l.topic
  FROM journal.lesson l
 WHERE l.load_id = ANY(%(loads)s) AND l.lesson_date BETWEEN %(from)s AND %(to)s
"""

SLOTS = """SELECT load_id, weekday, pair_no, week_parity, room FROM journal.timetable_slot
            WHERE load_id = ANY(%(loads)s)"""

# Hours planned and given per load: a discipline whose hours are all given (one taught at
# double pace and finished in October) has no more lessons, though its timetable slots stay.
GIVEN = """
SELECT t.id, t.planned_hours, coalesce(sum(l.hours), 0), max(l.lesson_date)
  FROM journal.teaching_load t LEFT JOIN journal.lesson l ON l.load_id = t.id
 WHERE t.id = ANY(%(loads)s)
 GROUP BY t.id, t.planned_hours
"""

CALENDAR = """
SELECT b.pair_no, b.starts_at, NULL::date, NULL::date, ''
  FROM journal.bell b JOIN journal.period p ON p.year_id = b.year_id WHERE p.id = %(period)s
UNION ALL
SELECT NULL, NULL, h.starts_on, h.ends_on, h.title
  FROM journal.holiday h JOIN journal.period p ON p.year_id = h.year_id WHERE p.id = %(period)s
"""


def children(session: UserSession) -> list[Child]:
    """The person themself if a student, and their children if a parent."""
    with session.cursor() as cur:
        rows = cur.execute(CHILDREN, {"me": session.person.person_id}).fetchall()
    return [Child(*row) for row in rows]


def periods(session: UserSession, student_id: int) -> list[Period]:
    """Every study period of the child's journal, newest first (R10: the whole time)."""
    with session.cursor() as cur:
        rows = cur.execute(PERIODS, {"student": student_id}).fetchall()
    return [Period(*row) for row in rows]


def default_period(choices: Sequence[Period], today: date) -> Period | None:
    """The period holding ``today``, else the latest one that began before it, else the first."""
    for period in choices:
        if period.starts_on <= today <= period.ends_on:
            return period
    started = [p for p in choices if p.starts_on <= today]
    if started:
        return max(started, key=lambda p: p.starts_on)
    return min(choices, key=lambda p: p.starts_on) if choices else None


def week_of(day: date) -> date:
    """The Monday of the week shown for ``day`` (on Sunday: the coming week)."""
    monday = day - timedelta(days=day.weekday())
    return monday + timedelta(days=7) if day.weekday() == 6 else monday


def read_view(session: UserSession, child: Child, period: Period, today: date | None = None,
              week_start: date | None = None, rule: RoundingRule | None = None) -> FamilyView:
    """Read one child's period: marks, finals, statements, absences, homework, the week."""
    from core.journal.service import rounding_rule

    today = today or clock.today()
    week = week_start or week_of(today)
    args: dict[str, Any] = {"student": child.student_id, "period": period.period_id}
    with session.cursor() as cur:
        loads = cur.execute(LOADS, args).fetchall()
        args["loads"] = [row[0] for row in loads]
        rows = {key: cur.execute(sql, args).fetchall() for key, sql in
                (("marks", MARKS), ("absences", ABSENCES), ("statements", STATEMENTS),
                 ("fixed", FIXED), ("slots", SLOTS), ("calendar", CALENDAR), ("given", GIVEN))}
        span = {"from": today - timedelta(days=HOMEWORK_DAYS_BACK), "to": week + timedelta(days=6)}
        rows["homework"] = [(load_id, given_on, homework_text(*parts)) for load_id, given_on, *parts
                            in cur.execute(HOMEWORK, {**args, **span}).fetchall()]
        rows["lessons"] = cur.execute(LESSONS, {**args, "from": week, "to": week + timedelta(days=6)}
                                      ).fetchall()
    return build_view(child, period, loads, rows, today, week, rule or rounding_rule(session))


def build_view(child: Child, period: Period, loads: Sequence[tuple[Any, ...]],
               rows: dict[str, list[tuple[Any, ...]]], today: date, week: date,
               rule: RoundingRule = DEFAULT_RULE) -> FamilyView:
    """Assemble the view from the rows read (pure: tested without a database)."""
    titles = {load_id: title for load_id, title, _t, _pf in loads}
    teachers = {load_id: teacher for load_id, _d, teacher, _pf in loads}
    bells = {pair: starts for pair, starts, _s, _e, _n in rows["calendar"] if pair is not None}
    breaks = [DateRange(s, e, n) for pair, _t, s, e, n in rows["calendar"] if pair is None]
    planned = _planned(rows["slots"], period, breaks, rows.get("given", []))
    absences = tuple(Absence(lid, day, pair, titles.get(lid, ""), Attendance(code),
                             hours or HOURS_PER_PAIR)
                     for lid, day, pair, code, hours in rows["absences"])
    missed = attendance_summary(Missed(a.load_id, a.code, a.hours) for a in absences).by_student
    results = tuple(_discipline(load, rows, missed.get(load[0], MissedHours()), rule) for load in loads)
    homework = _homework(rows["homework"], planned, titles, today)
    lessons = _week(planned, rows["lessons"], week, titles, teachers, bells, rows["slots"])
    return FamilyView(child, period, results, absences, homework, week, lessons)


def _discipline(load: tuple[Any, ...], rows: dict[str, list[tuple[Any, ...]]], missed: MissedHours,
                rule: RoundingRule) -> DisciplineResult:
    load_id, title, teacher, pass_fail = load
    marks = tuple(DatedMark(day, MarkValue(v), kind) for lid, day, v, kind in rows["marks"] if lid == load_id)
    statements = [(form, StatementValue(v) if v else None, held, closed)
                  for lid, form, v, held, closed in rows["statements"] if lid == load_id]
    statement = statements[-1] if statements else None
    final = final_mark([m.value for m in marks], statement[1] if statement else None, bool(pass_fail), rule)
    fixed = next((value for lid, value, _mean in rows["fixed"] if lid == load_id), None)
    return DisciplineResult(load_id, title, teacher, marks, final, fixed, statement, missed)


def _planned(slots: Sequence[tuple[Any, ...]], period: Period, breaks: list[DateRange],
             given: Sequence[tuple[Any, ...]] = ()) -> list[Any]:
    """The timetable's lessons of the period; after a load's last lesson held, only as many
    as its hours not yet given (``given``: load, planned hours, hours given, last lesson)."""
    timetable = [TimetableSlot(weekday, pair, Parity(parity), load_id, room)
                 for load_id, weekday, pair, parity, room in slots]
    lessons = generate_lessons(timetable, period.starts_on, period.ends_on, breaks)
    left = {load_id: (planned - held, last) for load_id, planned, held, last in given}
    kept = []
    for lesson in lessons:
        hours, last = left.get(lesson.load_id, (None, None))
        if hours is None or (last is not None and lesson.date <= last):
            kept.append(lesson)
        elif hours > 0:
            kept.append(lesson)
            left[lesson.load_id] = (hours - HOURS_PER_PAIR, last)
    return kept


def _homework(rows: Sequence[tuple[Any, ...]], planned: Sequence[Any], titles: dict[int, str],
              today: date) -> tuple[Homework, ...]:
    items = []
    for load_id, given_on, text in rows:
        due = next((p.date for p in planned if p.load_id == load_id and p.date > given_on), None)
        if (due or given_on) >= today:
            items.append(Homework(given_on, due, titles.get(load_id, ""), text))
    return tuple(sorted(items, key=lambda h: (h.due_on or h.given_on, h.discipline)))


def _week(planned: Sequence[Any], held: Sequence[tuple[Any, ...]], week: date, titles: dict[int, str],
          teachers: dict[int, str], bells: dict[int, time], slots: Sequence[tuple[Any, ...]]
          ) -> tuple[WeekLesson, ...]:
    end = week + timedelta(days=6)
    rooms = {(lid, wd, pair): room for lid, wd, pair, _parity, room in slots}
    topics = {(day, pair, lid): topic for lid, day, pair, topic in held}
    keys = {(p.date, p.pair_no, p.load_id) for p in planned if week <= p.date <= end} | set(topics)
    return tuple(WeekLesson(day, pair, bells.get(pair), titles.get(lid, ""), teachers.get(lid, ""),
                            rooms.get((lid, day.isoweekday(), pair), ""), topics.get((day, pair, lid), ""))
                 for day, pair, lid in sorted(keys))
