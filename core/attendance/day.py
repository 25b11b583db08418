"""A group's attendance by day (R2): the curator marks who missed which пара.

One group and one date: students down, the day's пары across. A пара is either a lesson
held (a row of ``journal.lesson``) or a timetable slot whose lesson the teacher has not
recorded yet. Lessons belong to teachers' loads; row-level security lets the group's curator
(and the office, the admin) create only an empty lesson of the group's load, taught by the
load's own teacher. So the first attendance typed into a slot without a lesson creates that
empty lesson (:func:`create_lesson`), and the teacher later fills its topic and homework; a
person who may not create it sees the slot greyed as «занятие не записано» (see
``docs/curator.md``).

The day is plain data (:class:`AttendanceDay`) around a :class:`core.journal.page.JournalPage`
whose columns are the пары; edits are pure functions that compute
:class:`core.journal.page.Change` records for attendance only, skipping cells that cannot
be filled (a student outside the пара's subgroup, a lesson not recorded, a closed period).
Changes are saved by the journal page's saver and outbox (:mod:`core.journal.sync`) on the
:data:`DAY_CHANNEL` of the outbox, and end up in the same ``journal.attendance`` rows (with
the same history) as a teacher's corrections on their own page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Any, Literal

from core.calendar.lessons import DateRange, Parity, TimetableSlot, generate_lessons, public_holidays
from core.grading.performance import HOURS_PER_PAIR
from core.journal.page import Cell, Change, JournalPage, LessonColumn, StudentRow, set_attendance
from core.journal.sync import PageListener
from core.people.forms import GroupInfo
from core.session import UserSession
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

CREATED_REASON = "занятие создано при отметке посещаемости куратором"
"""The reason written into the history of a lesson created for attendance."""

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


def whole_day(day: AttendanceDay, student_id: int, key: int | None = None) -> list[Change]:
    """The student absent at every пара of the day (a sick student: one key).

    The absence copied is :func:`absence_of` the cell at ``key``.
    """
    code = absence_of(day, student_id, key)
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


# --- building a day from database rows ---------------------------------------------------


@dataclass(frozen=True)
class _Load:
    load_id: int
    subgroup_id: int | None
    subgroup_name: str
    discipline: str
    short_title: str
    teacher: str
    starts_on: date
    ends_on: date
    year_id: int
    closed: bool


def _planned(rows: dict[str, list[tuple[Any, ...]]], loads: dict[int, _Load],
             breaks: list[DateRange], first: date, last: date
             ) -> dict[date, dict[tuple[int, int], str]]:
    """(load, пара) → room of the timetable's lessons per day between two dates."""
    by_period: dict[tuple[date, date], list[TimetableSlot]] = {}
    for load_id, weekday, pair_no, parity, room in rows["slots"]:
        load = loads.get(load_id)
        if load is not None:
            by_period.setdefault((load.starts_on, load.ends_on), []).append(
                TimetableSlot(weekday, pair_no, Parity(parity), load_id, room))
    result: dict[date, dict[tuple[int, int], str]] = {}
    for (start, end), slots in by_period.items():
        for lesson in generate_lessons(slots, start, end, breaks):
            if first <= lesson.date <= last:
                result.setdefault(lesson.date, {})[(lesson.load_id, lesson.pair_no)] = lesson.room
    return result


def _day_pairs(day: date, loads: dict[int, _Load], planned: dict[tuple[int, int], str],
               lessons: list[tuple[Any, ...]], bells: dict[int, tuple[time, time, int]]
               ) -> list[Pair]:
    held = {(row[1], row[3]): row for row in lessons if row[2] == day}
    pairs: list[Pair] = []
    for load_id, pair_no in sorted(set(planned) | set(held), key=lambda k: k[1]):
        load = loads.get(load_id)
        if load is None:
            continue
        bell = bells.get(pair_no)
        base = Pair(-1 - len(pairs), pair_no, load_id, load.discipline, load.short_title,
                    load.teacher, load.subgroup_id, load.subgroup_name,
                    hours=bell[2] if bell else HOURS_PER_PAIR, room=planned.get((load_id, pair_no), ""),
                    closed=load.closed, starts_at=bell[0] if bell else None,
                    ends_at=bell[1] if bell else None)
        row = held.get((load_id, pair_no))
        if row is not None:
            lid, _load, _day, _pair, short, hours, topic, taught_by, substitute = row
            base = Pair(lid, base.pair_no, base.load_id, base.discipline, base.short_title,
                        base.teacher, base.subgroup_id, base.subgroup_name, lid, short, hours,
                        base.room, topic, taught_by if substitute else "", base.closed,
                        base.starts_at, base.ends_at)
        pairs.append(base)
    pairs.sort(key=lambda p: (p.pair_no, p.subgroup_name, p.discipline))
    return pairs


def _attends(day: date, pairs: list[Pair], students: list[Student],
             cells: dict[tuple[int, int], Cell]) -> dict[int, frozenset[int]]:
    result: dict[int, frozenset[int]] = {}
    for pair in pairs:
        result[pair.key] = frozenset(
            s.student_id for s in students
            if (s.attends_on(day) and (pair.subgroup_id is None or s.subgroup_id == pair.subgroup_id))
            or (s.student_id, pair.key) in cells)
    return result


def _cells(rows: list[tuple[Any, ...]]) -> dict[tuple[int, int], Cell]:
    return {(sid, lid): Cell(attendance=Attendance(code)) for sid, lid, code in rows}


def _notes(breaks: list[DateRange], first: date, last: date) -> dict[date, str]:
    notes = dict(public_holidays(first, last))
    for item in breaks:
        day = max(first, item.start)
        while day <= min(last, item.end):
            notes[day] = item.name
            day += timedelta(days=1)
    return notes


def build_day(group: GroupInfo, day: date, rows: dict[str, list[tuple[Any, ...]]]) -> AttendanceDay:
    """The day and its week from the rows of :func:`core.attendance.queries.read_range`
    (read for Monday…Saturday of the day's week)."""
    first, last = week_of(day)
    loads = {row[0]: _Load(*row) for row in rows["loads"]}
    breaks = [DateRange(start, end, title) for start, end, title in rows["breaks"]]
    bells = {row[0]: (row[1], row[2], row[3]) for row in rows["bells"]}
    planned = _planned(rows, loads, breaks, first, last)
    students = [Student(*row) for row in rows["students"]]
    cells = _cells(rows["attendance"])
    notes = _notes(breaks, first, last)
    week: list[DayStatus] = []
    shown: tuple[list[Pair], dict[int, frozenset[int]]] = ([], {})
    for offset in range(6):
        current = first + timedelta(days=offset)
        pairs = _day_pairs(current, loads, planned.get(current, {}), rows["lessons"], bells)
        attends = _attends(current, pairs, students, cells)
        week.append(day_status(current, pairs, attends, cells, notes.get(current, "")))
        if current == day:
            shown = (pairs, attends)
    pairs, attends = shown
    page = _page(group, day, pairs, students, attends, cells)
    return AttendanceDay(group, day, page, tuple(pairs), attends, tuple(week), notes.get(day, ""))


def _page(group: GroupInfo, day: date, pairs: list[Pair], students: list[Student],
          attends: dict[int, frozenset[int]], cells: dict[tuple[int, int], Cell]) -> JournalPage:
    present = set().union(*attends.values()) if attends else set()
    rows = tuple(StudentRow(s.student_id, s.surname, s.name, _subgroup_no(s.subgroup_name))
                 for s in students if s.attends_on(day) or s.student_id in present)
    columns = tuple(LessonColumn(p.key, day, p.pair_no, p.lesson_type, p.topic, p.taught_by,
                                 bool(p.taught_by)) for p in pairs)
    keys = {p.key for p in pairs}
    page = JournalPage(f"{group.name} · {day:%d.%m.%Y}", rows, columns)
    page.cells = {k: c for k, c in cells.items() if k[1] in keys and k[0] in page.row_of}
    return page


def _subgroup_no(name: str) -> int | None:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else None


# --- use-cases -----------------------------------------------------------------------------


def may_create_lessons(session: UserSession, group: GroupInfo) -> bool:
    """The person may create an empty lesson of the group's load: its curator, the office,
    the admin (what row-level security allows; the database still decides)."""
    return session.person.has("office", "admin") or (group.is_mine and session.person.has("curator"))


def load_day(session: UserSession, group: GroupInfo, day: date) -> AttendanceDay:
    """Read one group's day (and the status of its week) through the person's connection."""
    from core.attendance.queries import read_range

    first, last = week_of(day)
    with session.cursor() as cur:
        rows = read_range(cur.connection, group.group_id, first, last)
    result = build_day(group, day, rows)
    result.may_create = may_create_lessons(session, group)
    return result


def create_lesson(session: UserSession, day: AttendanceDay, key: int) -> int:
    """Create the empty lesson of a timetable пара, taught by the load's teacher, so that
    attendance can be written; return its id (the teacher's, if they have just created it).

    Raises:
        EJournalError: refused by the database (no right, closed period).
    """
    import psycopg

    from core.attendance.queries import insert_lesson
    from db.connect import transaction
    from db.errors import translate

    pair = day.pair(key)
    try:
        with session.cursor() as cur, transaction(cur.connection, CREATED_REASON):
            return insert_lesson(cur.connection, pair.load_id, day.day, pair.pair_no, pair.hours)
    except psycopg.Error as exc:
        raise translate(exc) from exc


def read_cells(session: UserSession, day: AttendanceDay) -> dict[tuple[int, int], Cell]:
    """The attendance of the day's lessons as the database holds it now.

    Raises:
        ServerError: the server cannot be reached (a refresh may then simply wait).
    """
    import psycopg

    from core.attendance.queries import read_attendance
    from db.errors import translate

    try:
        with session.cursor() as cur:
            rows = read_attendance(cur.connection, day.lesson_ids)
    except psycopg.Error as exc:
        raise translate(exc) from exc
    return _cells(rows)


class DayListener(PageListener):
    """Calls ``on_change`` (from its thread) when another session changes attendance or
    lessons of any load of the day shown (set them with :meth:`watch`)."""

    def __init__(self, connect: Callable[[], Any], on_change: Callable[[], None]) -> None:
        super().__init__(connect, None, on_change)
