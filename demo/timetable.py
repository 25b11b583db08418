"""A timetable for one semester: weekday × пара × числитель/знаменатель per group.

A greedy placement that a dispatcher would accept: every teacher is in one place at a time,
a group has about three пары a day and lighter Saturdays, a discipline is spread over the
week, half-пары of two disciplines share a cell as числитель and знаменатель, and the two
subgroups of a split discipline sit at the same time with their own teachers and rooms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

DAYS = (1, 2, 3, 4, 5, 6)
PAIRS = (1, 2, 3, 4, 5, 6)
BOTH = frozenset({"odd", "even"})


@dataclass(frozen=True)
class Member:
    """One load taught in a unit: its id, teacher and room."""

    load_id: int
    teacher_id: int
    room: str


@dataclass(frozen=True)
class Unit:
    """What the timetable must place for one discipline of a group: ``halves`` half-пары a
    week, taught by one load or, for subgroups, by two loads at once."""

    halves: int
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Slot:
    """A placed timetable line (a row of ``journal.timetable_slot``)."""

    load_id: int
    weekday: int
    pair_no: int
    parity: str
    room: str


@dataclass
class Timetable:
    """Slots of a semester and who is busy when (to find substitutes)."""

    slots: list[Slot] = field(default_factory=list)
    teacher_busy: dict[tuple[int, int, int], set[str]] = field(default_factory=dict)

    def teacher_free(self, teacher: int, weekday: int, pair: int, parity: str) -> bool:
        """True when the teacher has no lesson in that cell in weeks of that parity."""
        used = self.teacher_busy.get((teacher, weekday, pair), set())
        wanted = BOTH if parity == "all" else {parity}
        return not (used & wanted)


class _GroupGrid:
    def __init__(self, shift_start: int, rotation: int) -> None:
        self.cells: dict[tuple[int, int], set[str]] = {}
        self.per_day: dict[int, int] = dict.fromkeys(DAYS, 0)
        self.unit_days: dict[tuple[int, int], int] = {}
        self.shift_start = shift_start
        self.rotation = rotation

    def free(self, weekday: int, pair: int, parity: str) -> bool:
        used = self.cells.get((weekday, pair), set())
        return not used if parity == "all" else parity not in used

    def pair_order(self) -> list[int]:
        after = [p for p in PAIRS if p >= self.shift_start]
        before = [p for p in reversed(PAIRS) if p < self.shift_start]
        return after + before

    def day_order(self, unit_no: int) -> list[int]:
        def key(day: int) -> tuple[int, int, int]:
            load = self.per_day[day] + (1 if day == 6 else 0)
            return (self.unit_days.get((unit_no, day), 0), load, (day + self.rotation) % 6)
        return sorted(DAYS, key=key)


def _place(grid: _GroupGrid, table: Timetable, unit_no: int,
           parts: list[tuple[Unit, str]]) -> bool:
    """Put one cell's content (a unit every week, or two units as числитель/знаменатель)."""
    for limit in (3, 4, 6):
        for day in grid.day_order(unit_no):
            if grid.per_day[day] >= limit:
                continue
            for pair in grid.pair_order():
                if not all(grid.free(day, pair, parity) for _, parity in parts):
                    continue
                if all(table.teacher_free(m.teacher_id, day, pair, parity)
                       for unit, parity in parts for m in unit.members):
                    _commit(grid, table, unit_no, day, pair, parts)
                    return True
    return False


def _commit(grid: _GroupGrid, table: Timetable, unit_no: int, day: int, pair: int,
            parts: list[tuple[Unit, str]]) -> None:
    cell = grid.cells.setdefault((day, pair), set())
    new_pair = not cell
    for unit, parity in parts:
        weeks = BOTH if parity == "all" else {parity}
        cell.update(weeks)
        for member in unit.members:
            table.teacher_busy.setdefault((member.teacher_id, day, pair), set()).update(weeks)
            table.slots.append(Slot(member.load_id, day, pair, parity, member.room))
    if new_pair:
        grid.per_day[day] += 1
    grid.unit_days[(unit_no, day)] = grid.unit_days.get((unit_no, day), 0) + 1


def schedule(groups: Iterable[tuple[int, int, list[Unit]]]) -> Timetable:
    """Place the units of every group: ``(rotation, shift_start, units)`` per group.

    A unit that finds no cell (a teacher busy all week) loses that cell; the demo's loads are
    small enough that this does not happen in practice.
    """
    table = Timetable()
    for rotation, shift_start, units in groups:
        grid = _GroupGrid(shift_start, rotation)
        order = sorted(range(len(units)), key=lambda i: (-units[i].halves, i))
        halves: list[int] = []
        for i in order:
            for _ in range(units[i].halves // 2):
                _place(grid, table, i, [(units[i], "all")])
            if units[i].halves % 2:
                halves.append(i)
        for a, b in zip(halves[0::2], halves[1::2], strict=False):
            _place(grid, table, a, [(units[a], "odd"), (units[b], "even")])
        if len(halves) % 2:
            last = halves[-1]
            _place(grid, table, last, [(units[last], "odd")])
    return table
