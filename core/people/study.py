"""Whether a student studies in a group on a date: the rule of ``journal.study_state``.

A student's movements (enrolment, academic leave from–to, return, transfer, expulsion,
graduation) are dated; the latest movement on or before a day decides. The database applies
the same rule (migration 0030) and refuses marks and attendance where it says "not studying";
the program uses this copy to grey those cells and to skip them when filling a column, so
nothing is typed that the database would refuse. ``tests/core/people/test_study.py`` checks
both copies agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

KINDS = ("зачисление", "академический отпуск", "выход из отпуска", "перевод", "отчисление",
         "выпуск")
"""Kinds of movement, as ``journal.student_movement.kind``."""

SIGNS = {
    "не зачислен": "н/з",
    "академический отпуск": "отп.",
    "отчислен": "отч.",
    "выпущен": "вып.",
    "переведён": "пер.",
}
"""The short sign drawn (greyed) in a cell of a student who does not study that day; the
grid's cells are five characters wide."""

LEGEND = "отп. ак. отпуск · отч. отчислен · н/з не зачислен · пер. переведён · вып. выпущен"
"""What the signs mean, for legends and help."""

STATE_OF_SIGN = {sign: state for state, sign in SIGNS.items()}


@dataclass(frozen=True, slots=True)
class Movement:
    """One dated movement of a student (a row of ``journal.student_movement``)."""

    kind: str
    on_date: date
    group_id: int
    until_on: date | None = None
    order_no: str = ""
    reason: str = ""
    recorded_by: str = ""
    movement_id: int = 0

    @property
    def label(self) -> str:
        """«академический отпуск с 06.10.2026 по 20.12.2026, приказ 12-к»."""
        text = f"{self.kind} с {self.on_date:%d.%m.%Y}"
        if self.until_on is not None:
            text += f" по {self.until_on:%d.%m.%Y}"
        return f"{text}, приказ {self.order_no}" if self.order_no else text


def study_state(movements: Iterable[Movement], group_id: int, day: date) -> str | None:
    """Why the student does not study in the group on the day; None when they do.

    ``movements`` are the student's, in the order they were recorded.
    """
    ordered = sorted(enumerate(movements), key=lambda m: (m[1].on_date, m[0]))
    before = [m for _, m in ordered if m.on_date <= day]
    if not before:
        return "не зачислен"
    last = before[-1]
    if last.kind == "отчисление":
        return "отчислен"
    if last.kind == "выпуск":
        return "выпущен"
    if last.kind == "академический отпуск" and (last.until_on is None or day <= last.until_on):
        return "академический отпуск"
    if last.group_id == group_id:
        return None
    if any(m.group_id == group_id for m in before):
        return "переведён"
    return "не зачислен"


def away_cells(movements: Mapping[int, list[Movement]], group_id: int,
               lessons: Iterable[tuple[int, date]]) -> dict[tuple[int, int], str]:
    """(student, lesson) → short sign for every lesson a student does not study at.

    Students without movements (the program has no right to read them) are taken as
    studying: the database still has the last word.
    """
    lessons = list(lessons)
    away: dict[tuple[int, int], str] = {}
    for student_id, own in movements.items():
        for lesson_id, day in lessons:
            state = study_state(own, group_id, day)
            if state is not None:
                away[(student_id, lesson_id)] = SIGNS[state]
    return away




def left_group_on(movements: Iterable[Movement], group_id: int) -> date | None:
    """The day a student moved from the group to another one, when they study elsewhere now.

    The group's journal pages keep such a student (greyed from that day: the regulation
    keeps the marks they got there), with this date beside the name. None for a student still in the
    group (on leave or expelled ones included) and for one who never was in it.
    """
    ordered = [m for _, m in sorted(enumerate(movements), key=lambda m: (m[1].on_date, m[0]))]
    if not ordered or ordered[-1].group_id == group_id:
        return None
    left = None
    for before, after in pairwise(ordered):
        if before.group_id == group_id and after.group_id != group_id:
            left = after.on_date
    return left
