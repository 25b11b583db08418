"""The year's lessons generated from the timetable (R12), previewed before anything is written.

:func:`plan_year` reads the year's calendar (periods, breaks of the college and of each group,
working days by transfer, bells), the timetable with its one-off changes and the planned
substitutions, and computes every lesson without writing anything: a :class:`YearPlan` with
counts per load and group, first dates, the lessons already there and the conflicts (a teacher,
a room or a group in two places at one пара). :func:`write_plan` then inserts the new lessons
in one statement; lessons already there are left as they are, so running it again adds
nothing. A generated lesson is taught by the load's teacher, or by the substitute the office
planned; it is planned with the load's next unused КТП topic in date order (``ktp_topic_id``
and its lesson type; the topic text stays empty until the teacher records the lesson, so
"filled" keeps meaning filled, R8).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from core.calendar.lessons import (
    DateRange,
    Parity,
    PlannedLesson,
    TimetableSlot,
    study_days,
    week_parity,
)
from core.calendar.year import rows

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class LoadRow:
    """A teaching load as generation sees it."""

    load_id: int
    period_id: int
    group_id: int
    subgroup_id: int | None
    teacher_id: int
    group: str
    discipline: str
    teacher: str
    planned_hours: int
    starts_on: date
    ends_on: date


class NewLesson(NamedTuple):
    """A lesson the plan would write (a named tuple, like :class:`PlannedLesson`)."""

    lesson: PlannedLesson
    taught_by: int
    hours: int


@dataclass
class LoadSummary:
    """What the plan gives one load."""

    load: LoadRow
    lessons: int = 0
    hours: int = 0
    new: int = 0
    first: date | None = None

    @property
    def text(self) -> str:
        """``ИС-25-1 · Математика · Иванов И.: 68 занятий (136 ч из 136), с 01.09.2026``."""
        first = f", с {self.first:%d.%m.%Y}" if self.first else ""
        return (f"{self.load.group} · {self.load.discipline} · {self.load.teacher}: {self.lessons} "
                f"занятий ({self.hours} ч из {self.load.planned_hours}){first}; новых {self.new}")


@dataclass(frozen=True)
class Conflict:
    """Two lessons at one date and пара that cannot both happen."""

    day: date
    pair_no: int
    what: str
    load_ids: tuple[int, ...]

    @property
    def text(self) -> str:
        """``12.09.2026, 2 пара: преподаватель Иванов И. — в двух местах (ИС-25-1, ИС-25-2)``."""
        return f"{self.day:%d.%m.%Y}, {self.pair_no} пара: {self.what}"


@dataclass
class YearPlan:
    """Every lesson of the year, computed and not yet written."""

    year_id: int
    from_date: date | None = None
    loads: dict[int, LoadSummary] = field(default_factory=dict)
    lessons: list[NewLesson] = field(default_factory=list)
    existing: set[tuple[int, date, int]] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def new_lessons(self) -> list[NewLesson]:
        """The lessons not in the journal yet."""
        return [n for n in self.lessons
                if (n.lesson.load_id, n.lesson.date, n.lesson.pair_no) not in self.existing]

    def by_group(self) -> dict[str, tuple[int, int]]:
        """Group name → (lessons, new lessons)."""
        result: dict[str, tuple[int, int]] = {}
        for summary in self.loads.values():
            total, new = result.get(summary.load.group, (0, 0))
            result[summary.load.group] = (total + summary.lessons, new + summary.new)
        return dict(sorted(result.items()))

    def lines(self) -> list[str]:
        """The preview as Russian lines: totals, groups, loads, conflicts."""
        new = len(self.new_lessons)
        since = f" с {self.from_date:%d.%m.%Y}" if self.from_date else ""
        out = [f"Занятий по расписанию{since}: {len(self.lessons)}; уже в журнале: "
               f"{len(self.lessons) - new}; будет создано: {new}.", "", "По группам:"]
        out += [f"  {g}: {t} занятий, новых {n}" for g, (t, n) in self.by_group().items()]
        out += ["", "По нагрузкам:"]
        out += [f"  {s.text}" for s in sorted(self.loads.values(),
                                              key=lambda s: (s.load.group, s.load.discipline))]
        missing = [s for s in self.loads.values() if s.lessons == 0]
        if missing:
            out += ["", f"Нагрузок без занятий в расписании: {len(missing)}."]
        if self.conflicts:
            out += ["", f"Накладки ({len(self.conflicts)}):"] + [f"  {c.text}" for c in self.conflicts]
        else:
            out += ["", "Накладок нет."]
        return out


LOADS = """
SELECT t.id, t.period_id, t.group_id, t.subgroup_id, t.teacher_id,
       g.name || coalesce(' (' || sg.name || ')', ''), d.title,
       tp.surname || ' ' || left(tp.name, 1) || '.', t.planned_hours, p.starts_on, p.ends_on
  FROM journal.teaching_load t
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  JOIN journal.person tp ON tp.id = t.teacher_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE p.year_id = %(year)s AND p.closed_at IS NULL AND g.graduated_at IS NULL
   AND (%(groups)s::int[] IS NULL OR t.group_id = ANY (%(groups)s::int[]))
"""
SLOTS = """
SELECT s.load_id, s.weekday, s.pair_no, s.week_parity, s.room
  FROM journal.timetable_slot s JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.period p ON p.id = t.period_id WHERE p.year_id = %(year)s
"""
BREAKS = "SELECT starts_on, ends_on, title, group_id FROM journal.holiday WHERE year_id = %(year)s"
TRANSFERS = "SELECT work_date, as_weekday FROM journal.workday_transfer WHERE year_id = %(year)s"
BELLS = "SELECT pair_no, hours FROM journal.bell WHERE year_id = %(year)s"
CHANGES = """
SELECT c.load_id, c.on_date, c.pair_no, c.kind, c.room FROM journal.timetable_change c
  JOIN journal.teaching_load t ON t.id = c.load_id JOIN journal.period p ON p.id = t.period_id
 WHERE p.year_id = %(year)s
"""
SUBSTITUTIONS = """
SELECT x.load_id, x.on_date, x.pair_no, x.substitute_id FROM journal.substitution x
  JOIN journal.teaching_load t ON t.id = x.load_id JOIN journal.period p ON p.id = t.period_id
 WHERE p.year_id = %(year)s
"""
EXISTING = """
SELECT l.load_id, l.lesson_date, l.pair_no FROM journal.lesson l
  JOIN journal.teaching_load t ON t.id = l.load_id JOIN journal.period p ON p.id = t.period_id
 WHERE p.year_id = %(year)s
"""


@dataclass
class _Inputs:
    loads: dict[int, LoadRow]
    slots: dict[int, list[TimetableSlot]]
    breaks: dict[int | None, list[DateRange]]
    transfers: dict[date, int]
    hours: dict[int, int]
    cancelled: set[tuple[int, date, int]]
    added: list[tuple[int, date, int, str]]
    substitutes: dict[tuple[int, date, int], int]


def _read(conn: psycopg.Connection, year_id: int, group_ids: list[int] | None) -> _Inputs:
    args = {"year": year_id, "groups": group_ids}
    loads = {r[0]: LoadRow(*r) for r in rows(conn, LOADS, args)}
    slots: dict[int, list[TimetableSlot]] = defaultdict(list)
    for load_id, weekday, pair_no, parity, room in rows(conn, SLOTS, args):
        if load_id in loads:
            slots[load_id].append(TimetableSlot(weekday, pair_no, Parity(parity), load_id, room))
    breaks: dict[int | None, list[DateRange]] = defaultdict(list)
    for first, last, title, group_id in rows(conn, BREAKS, args):
        breaks[group_id].append(DateRange(first, last, title))
    changes = rows(conn, CHANGES, args)
    return _Inputs(
        loads, slots, breaks, dict(rows(conn, TRANSFERS, args)), dict(rows(conn, BELLS, args)),
        {(load, d, p) for load, d, p, kind, _ in changes if kind == "cancel"},
        [(load, d, p, room) for load, d, p, kind, room in changes if kind == "add" and load in loads],
        {(load, d, p): who for load, d, p, who in rows(conn, SUBSTITUTIONS, args)})


def _load_lessons(load: LoadRow, data: _Inputs,
                  days_of: dict[tuple[int, date, date], dict[int, list[tuple[date, Parity]]]]
                  ) -> list[PlannedLesson]:
    """The lessons of one load: its slots over its period minus breaks, with one-off changes.

    The study days of a group's period, by timetable weekday and with their week parity, are
    computed once (``days_of``) for all the group's loads; a slot then walks only its weekday.
    """
    key = (load.group_id, load.starts_on, load.ends_on)
    if key not in days_of:
        breaks = data.breaks.get(None, []) + data.breaks.get(load.group_id, [])
        days = study_days(load.starts_on, load.ends_on, breaks, use_public_holidays=False,
                          working_as=data.transfers)
        by_weekday: dict[int, list[tuple[date, Parity]]] = defaultdict(list)
        for day, weekday in days.items():
            by_weekday[weekday].append((day, week_parity(day, load.starts_on)))
        days_of[key] = by_weekday
    cancelled, load_id = data.cancelled, load.load_id
    planned = {PlannedLesson(day, slot.pair_no, load_id, slot.room)
               for slot in data.slots.get(load_id, []) for day, parity in days_of[key].get(slot.weekday, ())
               if (slot.parity is Parity.ALL or slot.parity == parity)
               and (not cancelled or (load_id, day, slot.pair_no) not in cancelled)}
    planned |= {PlannedLesson(d, p, added_load, room) for added_load, d, p, room in data.added
                if added_load == load_id and load.starts_on <= d <= load.ends_on}
    return sorted(planned, key=_order)


def _order(lesson: PlannedLesson) -> tuple[date, int, int]:
    return lesson.date, lesson.pair_no, lesson.load_id


def plan_year(conn: psycopg.Connection, year_id: int, group_ids: list[int] | None = None,
              from_date: date | None = None) -> YearPlan:
    """Compute the year's lessons (of some groups only when ``group_ids``; from ``from_date``
    on when given — days already past are not filled with lessons nobody held); writes
    nothing."""
    data = _read(conn, year_id, group_ids)
    plan = YearPlan(year_id, from_date=from_date)
    plan.existing = {(load, d, p) for load, d, p in rows(conn, EXISTING, {"year": year_id})}
    days_of: dict[tuple[int, date, date], dict[int, list[tuple[date, Parity]]]] = {}
    for load in data.loads.values():
        summary = plan.loads[load.load_id] = LoadSummary(load)
        for lesson in _load_lessons(load, data, days_of):
            if from_date is not None and lesson.date < from_date:
                continue
            key = (lesson.load_id, lesson.date, lesson.pair_no)
            hours = data.hours.get(lesson.pair_no, 2)
            plan.lessons.append(NewLesson(lesson, data.substitutes.get(key, load.teacher_id), hours))
            summary.lessons += 1
            summary.hours += hours
            summary.new += key not in plan.existing
            summary.first = summary.first or lesson.date
    plan.lessons.sort(key=lambda n: _order(n.lesson))
    plan.conflicts = find_conflicts(plan.lessons, data.loads)
    return plan


def find_conflicts(lessons: Iterable[NewLesson], loads: dict[int, LoadRow]) -> list[Conflict]:
    """Teachers, rooms and groups (subgroups overlapping) in two places at one date and пара."""
    at: dict[tuple[date, int], list[NewLesson]] = defaultdict(list)
    for new in lessons:
        at[(new.lesson.date, new.lesson.pair_no)].append(new)
    found: list[Conflict] = []
    for (day, pair_no), here in sorted(at.items()):
        if len(here) > 1:
            found += _conflicts_at(day, pair_no, here, loads)
    return found


def _conflicts_at(day: date, pair_no: int, here: list[NewLesson],
                  loads: dict[int, LoadRow]) -> list[Conflict]:
    found = []
    teachers = [new.taught_by for new in here]
    if len(set(teachers)) < len(teachers):  # the usual пара has none: checked before grouping
        by_teacher: dict[int, list[int]] = defaultdict(list)
        for new in here:
            by_teacher[new.taught_by].append(new.lesson.load_id)
        for teacher_loads in by_teacher.values():
            if len(teacher_loads) > 1:
                first = loads[teacher_loads[0]]
                found.append(Conflict(day, pair_no, f"преподаватель {first.teacher} — в двух местах "
                                      f"({_names(teacher_loads, loads)})", tuple(teacher_loads)))
    rooms = [(new.lesson.room.strip(), new.lesson.load_id) for new in here if new.lesson.room.strip()]
    if len({room for room, _ in rooms}) < len(rooms):
        by_room: dict[str, list[int]] = defaultdict(list)
        for room, load_id in rooms:
            by_room[room].append(load_id)
        for room, room_loads in by_room.items():
            if len(room_loads) > 1:
                found.append(Conflict(day, pair_no, f"аудитория {room} занята дважды "
                                      f"({_names(room_loads, loads)})", tuple(room_loads)))
    here_loads = [loads[n.lesson.load_id] for n in here]
    if len({load.group_id for load in here_loads}) == len(here_loads):
        return found
    return found + _group_conflicts(day, pair_no, here_loads)


def _group_conflicts(day: date, pair_no: int, here: list[LoadRow]) -> list[Conflict]:
    """A group (or overlapping subgroups) with two lessons at one пара."""
    by_group: dict[int, list[LoadRow]] = defaultdict(list)
    for load in here:
        by_group[load.group_id].append(load)
    return [Conflict(day, pair_no, f"у группы {a.group} две пары сразу ({a.discipline}, {b.discipline})",
                     (a.load_id, b.load_id))
            for same in by_group.values() for i, a in enumerate(same) for b in same[i + 1:]
            if a.subgroup_id is None or b.subgroup_id is None or a.subgroup_id == b.subgroup_id]


def _names(load_ids: list[int], loads: dict[int, LoadRow]) -> str:
    return ", ".join(f"{loads[i].group} {loads[i].discipline}" for i in load_ids)


WRITE = """
WITH new AS (
    SELECT n.*, row_number() OVER (PARTITION BY n.load_id ORDER BY n.lesson_date, n.pair_no) AS k
      FROM unnest(%s::int[], %s::date[], %s::smallint[], %s::bigint[], %s::smallint[])
           AS n (load_id, lesson_date, pair_no, taught_by, hours)
     WHERE NOT EXISTS (SELECT FROM journal.lesson l WHERE l.load_id = n.load_id
                          AND l.lesson_date = n.lesson_date AND l.pair_no = n.pair_no)),
free AS (
    SELECT k.*, row_number() OVER (PARTITION BY k.load_id ORDER BY k.position) AS k
      FROM journal.ktp_topic k
     WHERE k.load_id IN (SELECT load_id FROM new)
       AND NOT EXISTS (SELECT FROM journal.lesson l WHERE l.ktp_topic_id = k.id))
INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, hours, lesson_type,
                            ktp_topic_id)
SELECT n.load_id, n.lesson_date, n.pair_no, n.taught_by, n.hours,
       coalesce(f.lesson_type, 'theory'), f.id
  FROM new n LEFT JOIN free f ON f.load_id = n.load_id AND f.k = n.k
"""
# The lessons another session wrote after this statement's snapshot are skipped, not refused.
WRITE_SKIPPING = WRITE + "ON CONFLICT (load_id, lesson_date, pair_no) DO NOTHING\n"
# Enough memory for a year's sorts and for the inserted rows that the statement triggers
# (history, locks, notifications, checks) read: at the default 4 MB they spill to disk.
WORK_MEM = "SET LOCAL work_mem = '64MB'"


def write_plan(conn: psycopg.Connection, plan: YearPlan) -> int:
    """Insert the plan's lessons not in the journal yet (one transaction); returns how many.

    Raises:
        EJournalError: refused by the database (no right, a closed period), translated.
    """
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    new = plan.new_lessons
    if not new:
        return 0
    args = ([n.lesson.load_id for n in new], [n.lesson.date for n in new],
            [n.lesson.pair_no for n in new], [n.taught_by for n in new], [n.hours for n in new])
    try:
        with transaction(conn):
            conn.execute(WORK_MEM)
            try:
                # A plain INSERT: the statement already leaves out the lessons in the journal,
                # and ON CONFLICT would cost a speculative insertion (an index probe, a lock
                # and a confirmation record) for each of ~50,000 lessons.
                with conn.transaction():
                    return conn.execute(WRITE, args).rowcount
            except psycopg.errors.UniqueViolation:
                # someone wrote one of these lessons meanwhile: skip the ones now there
                return conn.execute(WRITE_SKIPPING, args).rowcount
    except psycopg.Error as exc:
        raise translate(exc) from exc
