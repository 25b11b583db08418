"""A group's attendance by day (R2): the curator marks who missed which пара.

One group and one date: students down, the day's пары across. A пара is either a lesson
held (a row of ``journal.lesson``) or a timetable slot whose lesson the teacher has not
recorded yet. Lessons belong to teachers' loads; row-level security lets the group's curator
(and the office, the admin) create only an empty lesson of the group's load, taught by the
load's own teacher. So the first attendance typed into a slot without a lesson creates that
empty lesson (:func:`core.attendance.load.create_lesson`), and the teacher later fills its
topic and homework; a person who may not create it sees the slot greyed as «занятие не
записано» (see ``docs/curator.md``).

The day is plain data (:class:`AttendanceDay`) around a :class:`core.journal.page.JournalPage`
whose columns are the пары; edits are pure functions that compute
:class:`core.journal.page.Change` records for attendance only, skipping cells that cannot
be filled (a student outside the пара's subgroup, a lesson not recorded, a closed period).
This module is pure; the day is read, its lessons created and its cells re-read by
:mod:`core.attendance.load`.
Changes are saved by the journal page's saver and outbox (:mod:`core.journal.sync`) on the
:data:`DAY_CHANNEL` of the outbox, and end up in the same ``journal.attendance`` rows (with
the same history) as a teacher's corrections on their own page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Literal

from core.grading.performance import HOURS_PER_PAIR
from core.journal.page import Cell, Change, JournalPage, set_attendance
from core.people.forms import GroupInfo
from kernel.marks import Attendance

DAY_CHANNEL = 0
"""The outbox key under which the attendance day queues its changes (no load has id 0).

A day spans several loads, so its changes are kept under this one key; each change still
names its lesson, and saving finds the load from the lesson."""

WEEKDAYS_SHORT = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
SUNDAY = 6
ATTENDING_STATUSES = ("обучается",)
LEFT_STATUSES = ("отчислен", "выпущен")

DayState = Literal["filled", "unfilled", "free", "holiday"]


@dataclass(frozen=True)
class Pair:
    """One пара of the day: a lesson held, or a timetable slot not recorded yet.

    Attributes:
        key: The column's id on the page: the lesson id, or a negative number for a slot.
        pair_no: Number of the пара in the bell schedule.
        load_id: The teaching load (group × discipline × teacher).
        discipline: The discipline's title.
        short_title: The discipline's short title (the column header).
        teacher: The load's teacher, «Фамилия И. О.».
        subgroup_id: The subgroup the load teaches, None for the whole group.
        subgroup_name: Its name, empty for the whole group.
        lesson_id: The lesson, None while the teacher has not recorded it.
        lesson_type: Short letter of the lesson type.
        hours: Academic hours of the пара.
        room: Classroom from the timetable.
        topic: The lesson's topic.
        taught_by: Who taught it, when that is a substitute.
        closed: The period is closed or the year archived: read only.
        starts_at: Bell time of the start.
        ends_at: Bell time of the end.
    """

    key: int
    pair_no: int
    load_id: int
    discipline: str
    short_title: str
    teacher: str
    subgroup_id: int | None = None
    subgroup_name: str = ""
    lesson_id: int | None = None
    lesson_type: str = ""
    hours: int = HOURS_PER_PAIR
    room: str = ""
    topic: str = ""
    taught_by: str = ""
    closed: bool = False
    starts_at: time | None = None
    ends_at: time | None = None

    @property
    def recorded(self) -> bool:
        """The teacher has recorded the lesson (attendance can be taken)."""
        return self.lesson_id is not None

    @property
    def fillable(self) -> bool:
        """Attendance can be written here now."""
        return self.recorded and not self.closed

    @property
    def time_text(self) -> str:
        """«08:30–10:00», or empty when the bell schedule has no such пара."""
        if self.starts_at is None or self.ends_at is None:
            return ""
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def who(self) -> str:
        """The teacher, and the substitute when someone else taught."""
        return f"{self.teacher}, замена: {self.taught_by}" if self.taught_by else self.teacher


@dataclass(frozen=True)
class Student:
    """A student of the group, as far as attendance needs.

    Attributes:
        student_id: The person's id.
        surname: Фамилия.
        name: Имя.
        patronymic: Отчество.
        subgroup_id: The student's subgroup, None when the group is not split.
        subgroup_name: Its name.
        status: обучается, академический отпуск, отчислен, выпущен.
        enrolled_on: First day in the group.
        left_on: Last day, for those who left.
    """

    student_id: int
    surname: str
    name: str
    patronymic: str
    subgroup_id: int | None
    subgroup_name: str
    status: str
    enrolled_on: date
    left_on: date | None

    def attends_on(self, day: date) -> bool:
        """Expected at lessons on ``day``: studying and enrolled by then (those who left,
        up to their last day; a student on academic leave is not expected)."""
        if day < self.enrolled_on:
            return False
        if self.status in ATTENDING_STATUSES:
            return self.left_on is None or day <= self.left_on
        return self.status in LEFT_STATUSES and self.left_on is not None and day <= self.left_on


@dataclass(frozen=True)
class DayStatus:
    """Whether one day's attendance is filled in.

    A day is filled when every пара of it is a recorded lesson with attendance for every
    student expected there.

    Attributes:
        day: The date.
        state: filled, unfilled, free (no пары) or holiday (a break or public holiday).
        pairs: Пары planned or held.
        unrecorded: Пары of the timetable whose lesson is not recorded.
        missing: Recorded lessons where someone's attendance is not taken.
        note: The name of the break or holiday.
    """

    day: date
    state: DayState
    pairs: int = 0
    unrecorded: int = 0
    missing: int = 0
    note: str = ""

    @property
    def label(self) -> str:
        """«Пн 07.09»."""
        return f"{WEEKDAYS_SHORT[self.day.weekday()]} {self.day:%d.%m}"

    @property
    def filled(self) -> bool:
        """Every пара has attendance for everyone."""
        return self.state == "filled"

    @property
    def explanation(self) -> str:
        """What is left to do, in Russian: «не отмечено пар: 2; занятий не записано: 1»."""
        if self.state == "filled":
            return "посещаемость отмечена"
        if self.state == "holiday":
            return self.note or "выходной"
        if self.state == "free":
            return "пар нет"
        parts = []
        if self.missing:
            parts.append(f"не отмечено пар: {self.missing}")
        if self.unrecorded:
            parts.append(f"занятий не записано: {self.unrecorded}")
        return "; ".join(parts)


@dataclass
class AttendanceDay:
    """One group's day: the page (students × пары), the пары and the week around it.

    Attributes:
        group: The group.
        day: The date.
        page: Students down, пары across; its cells hold attendance only.
        pairs: The пары, in the page's column order.
        attends: For each column key, the students expected at that пара.
        week: Monday…Saturday of the day's week.
        note: The break or holiday the day falls on, if any.
    """

    group: GroupInfo
    day: date
    page: JournalPage
    pairs: tuple[Pair, ...]
    attends: dict[int, frozenset[int]] = field(default_factory=dict)
    week: tuple[DayStatus, ...] = ()
    note: str = ""
    may_create: bool = False

    def pair(self, key: int) -> Pair:
        """The пара of a column key."""
        return self.pairs[self.page.col_of[key]]

    def takes_attendance(self, key: int) -> bool:
        """Attendance can be typed into this пара: its lesson is recorded, or the person may
        create the empty lesson (:attr:`may_create`); and the period is not closed."""
        pair = self.pair(key)
        return pair.fillable or (self.may_create and not pair.recorded and not pair.closed)

    def can_fill(self, student_id: int, key: int) -> bool:
        """Attendance of this student at this пара can be typed now."""
        return self.takes_attendance(key) and student_id in self.attends.get(key, frozenset())

    def expected(self, student_id: int, key: int) -> bool:
        """The student is expected at this пара (in its subgroup, studying that day)."""
        return student_id in self.attends.get(key, frozenset())

    @property
    def lesson_ids(self) -> list[int]:
        """The recorded lessons of the day."""
        return [p.lesson_id for p in self.pairs if p.lesson_id is not None]

    @property
    def load_ids(self) -> set[int]:
        """The loads taught this day (to listen for others' changes)."""
        return {p.load_id for p in self.pairs}

    @property
    def status(self) -> DayStatus:
        """The day's own status, recomputed from the page as it is now."""
        return day_status(self.day, self.pairs, self.attends, self.page.cells, self.note)

    def missed_hours(self, student_id: int) -> tuple[int, int]:
        """Hours missed this day: (НУ, НН)."""
        excused = unexcused = 0
        for pair in self.pairs:
            code = self.page.cell(student_id, pair.key).attendance
            if code is Attendance.EXCUSED:
                excused += pair.hours
            elif code is Attendance.UNEXCUSED:
                unexcused += pair.hours
        return excused, unexcused

    def refresh_week(self) -> None:
        """Recompute this day's entry of the week strip after edits."""
        self.week = tuple(self.status if s.day == self.day else s for s in self.week)


# --- pure edits ------------------------------------------------------------------------


def mark(day: AttendanceDay, student_id: int, key: int, code: Attendance) -> list[Change]:
    """The change recording attendance (none where the cell cannot be filled)."""
    if not day.can_fill(student_id, key):
        return []
    return set_attendance(day.page, student_id, key, code)


def clear(day: AttendanceDay, student_id: int, key: int) -> list[Change]:
    """The change removing the attendance of a cell."""
    old = day.page.cell(student_id, key).attendance
    if old is None or not day.takes_attendance(key):
        return []
    return [Change(student_id, key, None, old, None)]


def fill_present(day: AttendanceDay, key: int) -> list[Change]:
    """Present for everyone expected at the пара whose attendance is not taken yet."""
    return [change for student in day.page.students
            if day.page.cell(student.student_id, key).attendance is None
            for change in mark(day, student.student_id, key, Attendance.PRESENT)]


def absence_of(day: AttendanceDay, student_id: int, key: int | None = None) -> Attendance:
    """The absence a whole-day key copies: the cell's at ``key``, else the first in the row,
    else НН (absent for a reason not yet known)."""
    codes = [day.page.cell(student_id, key).attendance] if key is not None else []
    codes += [day.page.cell(student_id, p.key).attendance for p in day.pairs]
    return next((c for c in codes if c is not None and c.is_absent), Attendance.UNEXCUSED)


def whole_day(day: AttendanceDay, student_id: int, key: int | None = None,
              code: Attendance | None = None) -> list[Change]:
    """The student absent at every пара of the day (a sick student: one key).

    The absence is ``code`` (`б`: НУ for the whole day) or else :func:`absence_of` the cell
    at ``key`` (`д`).
    """
    code = code or absence_of(day, student_id, key)
    return [change for pair in day.pairs for change in mark(day, student_id, pair.key, code)]


def adopt_lesson(day: AttendanceDay, key: int, lesson_id: int) -> None:
    """The lesson of a timetable пара now exists: its column takes the lesson's id (the cells
    typed meanwhile move with it)."""
    index = day.page.col_of[key]
    pair = day.pairs[index]
    recorded = replace(pair, key=lesson_id, lesson_id=lesson_id)
    day.pairs = (*day.pairs[:index], recorded, *day.pairs[index + 1:])
    page = day.page
    column = replace(page.lessons[index], lesson_id=lesson_id)
    page.lessons = (*page.lessons[:index], column, *page.lessons[index + 1:])
    page.col_of = {lesson.lesson_id: i for i, lesson in enumerate(page.lessons)}
    page.cells = {(sid, lesson_id if lid == key else lid): cell for (sid, lid), cell in page.cells.items()}
    page.away = {(sid, lesson_id if lid == key else lid): sign for (sid, lid), sign in page.away.items()}
    day.attends[lesson_id] = day.attends.pop(key, frozenset())


def for_lesson(changes: Iterable[Change], lesson_id: int) -> list[Change]:
    """Changes typed into a пара before its lesson existed, addressed to the lesson."""
    return [replace(change, lesson_id=lesson_id) for change in changes]


def day_status(day: date, pairs: Iterable[Pair], attends: dict[int, frozenset[int]],
               cells: dict[tuple[int, int], Cell], note: str = "") -> DayStatus:
    """Whether a day is filled: every пара recorded, everyone expected has attendance."""
    pairs = list(pairs)
    if not pairs:
        return DayStatus(day, "holiday" if note else "free", note=note)
    unrecorded = sum(1 for p in pairs if not p.recorded)
    missing = sum(1 for p in pairs if p.recorded and any(
        (sid, p.key) not in cells or cells[(sid, p.key)].attendance is None
        for sid in attends.get(p.key, frozenset())))
    state: DayState = "filled" if not unrecorded and not missing else "unfilled"
    return DayStatus(day, state, len(pairs), unrecorded, missing, note)


# --- dates -------------------------------------------------------------------------------


def step_day(day: date, step: int) -> date:
    """The study day ``step`` days away, skipping Sundays (a six-day week)."""
    direction = 1 if step >= 0 else -1
    for _ in range(abs(step)):
        day += timedelta(days=direction)
        if day.weekday() == SUNDAY:
            day += timedelta(days=direction)
    return day


def week_of(day: date) -> tuple[date, date]:
    """Monday and Saturday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=5)


def day_title(day: date) -> str:
    """«понедельник, 07.09.2026»."""
    return f"{WEEKDAYS[day.weekday()]}, {day:%d.%m.%Y}"
