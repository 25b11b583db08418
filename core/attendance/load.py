"""Reading and writing a group's attendance day (R2): the day built from the database's rows,
the empty lesson created for attendance, the cells re-read, others' changes listened for.

The day as data and its pure edits are in :mod:`core.attendance.day`; the SQL is in
:mod:`core.attendance.queries`. Everything runs on the person's own connection, so
row-level security decides what is read and which lessons may be created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from core.attendance.day import AttendanceDay, DayStatus, Pair, Student, day_status, week_of
from core.calendar.lessons import DateRange, Parity, TimetableSlot, generate_lessons, public_holidays
from core.grading.performance import HOURS_PER_PAIR
from core.journal.page import Cell, JournalPage, LessonColumn, StudentRow
from core.journal.sync import PageListener
from core.people.forms import GroupInfo
from core.people.study import SIGNS, Movement, study_state
from core.session import UserSession
from kernel.marks import Attendance

CREATED_REASON = "занятие создано при отметке посещаемости куратором"
"""The reason written into the history of a lesson created for attendance."""


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


Studies = Callable[[Student, date], str | None]
"""Why a student does not study in the group on a day (None when they do)."""


def _studies(rows: dict[str, list[tuple[Any, ...]]], group_id: int) -> Studies:
    """The rule of :mod:`core.people.study` over the group's movements; a student whose
    movements cannot be read falls back to the card's status and dates."""
    movements: dict[int, list[Movement]] = {}
    for sid, kind, on_date, group, until_on in rows.get("movements", []):
        movements.setdefault(sid, []).append(Movement(kind, on_date, group, until_on))

    def state(student: Student, day: date) -> str | None:
        own = movements.get(student.student_id)
        if own is None:
            return None if student.attends_on(day) else "не зачислен"
        return study_state(own, group_id, day)

    return state


def _attends(day: date, pairs: list[Pair], students: list[Student], studies: Studies,
             former: set[tuple[int, int]]) -> dict[int, frozenset[int]]:
    """Who is expected at each пара; ``former``: (student, load) of a subgroup load that a
    student transferred out of the group studied in (their subgroup here is not recorded)."""
    result: dict[int, frozenset[int]] = {}
    for pair in pairs:
        result[pair.key] = frozenset(
            s.student_id for s in students
            if studies(s, day) is None
            and (pair.subgroup_id is None or s.subgroup_id == pair.subgroup_id
                 or (s.student_id, pair.load_id) in former))
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
    (read for Monday…Sunday of the day's week; Sunday joins the week strip only when it has
    lessons, such as a make-up lesson, or is the day shown)."""
    first, last = week_of(day)
    last += timedelta(days=1)
    loads = {row[0]: _Load(*row) for row in rows["loads"]}
    breaks = [DateRange(start, end, title) for start, end, title in rows["breaks"]]
    bells = {row[0]: (row[1], row[2], row[3]) for row in rows["bells"]}
    planned = _planned(rows, loads, breaks, first, last)
    students = [Student(*row) for row in rows["students"]]
    studies = _studies(rows, group.group_id)
    cells = _cells(rows["attendance"])
    former = {(sid, load_id) for sid, load_id in rows.get("former_loads", [])}
    notes = _notes(breaks, first, last)
    week: list[DayStatus] = []
    shown: tuple[list[Pair], dict[int, frozenset[int]]] = ([], {})
    for offset in range(7):
        current = first + timedelta(days=offset)
        pairs = _day_pairs(current, loads, planned.get(current, {}), rows["lessons"], bells)
        attends = _attends(current, pairs, students, studies, former)
        if offset < 6 or pairs or current == day:
            week.append(day_status(current, pairs, attends, cells, notes.get(current, "")))
        if current == day:
            shown = (pairs, attends)
    pairs, attends = shown
    page = _page(group, day, pairs, students, cells, studies)
    return AttendanceDay(group, day, page, tuple(pairs), attends, tuple(week), notes.get(day, ""))


def _page(group: GroupInfo, day: date, pairs: list[Pair], students: list[Student],
          cells: dict[tuple[int, int], Cell], studies: Studies) -> JournalPage:
    """Students who study that day, and those on academic leave or with attendance that
    day (greyed with their sign: :attr:`JournalPage.away`)."""
    keys = {p.key for p in pairs}
    marked = {sid for sid, key in cells if key in keys}
    states = {s.student_id: studies(s, day) for s in students}
    rows = tuple(StudentRow(s.student_id, s.surname, s.name, _subgroup_no(s.subgroup_name))
                 for s in students
                 if states[s.student_id] in (None, "академический отпуск") or s.student_id in marked)
    columns = tuple(LessonColumn(p.key, day, p.pair_no, p.lesson_type, p.topic, p.taught_by,
                                 bool(p.taught_by)) for p in pairs)
    page = JournalPage(f"{group.name} · {day:%d.%m.%Y}", rows, columns)
    page.cells = {k: c for k, c in cells.items() if k[1] in keys and k[0] in page.row_of}
    page.away = {(row.student_id, key): SIGNS[state] for row in rows
                 if (state := states[row.student_id]) is not None for key in keys}
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
        rows = read_range(cur.connection, group.group_id, first, last + timedelta(days=1))
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
    lessons of any load of the day shown (set them with :meth:`watch`); ``own_pids`` as for
    :class:`PageListener`."""

    def __init__(self, connect: Callable[[], Any], on_change: Callable[[], None], *,
                 own_pids: Callable[[], set[int]] = set) -> None:
        super().__init__(connect, None, on_change, own_pids=own_pids)
