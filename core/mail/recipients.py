"""Who gets the weekly letter and what it says about each child (issue 16.2, R20).

Read through the database's own functions (migration 0100): ``journal.mail_recipients`` gives
the parents who agreed and have an address, each with their children studying in the groups
the caller may send for (every group for the mail role, the office and the admin; a curator's
own groups); ``journal.mail_week`` gives the children's marks, absences and homework of the
week. The rows become one :class:`Letter` per parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import psycopg

from core.journal.lesson_record import homework_text

RECIPIENTS = "SELECT * FROM journal.mail_recipients(%(group)s)"
WEEK = "SELECT * FROM journal.mail_week(%(week)s, %(group)s)"


@dataclass(frozen=True)
class Item:
    """One line of a child's week: a mark, an absence or a homework."""

    day: date
    pair_no: int
    discipline: str
    text: str
    hours: int = 0


@dataclass
class ChildWeek:
    """One child's week in a letter."""

    student_id: int
    name: str
    group: str
    marks: list[Item] = field(default_factory=list)
    absences: list[Item] = field(default_factory=list)
    homework: list[Item] = field(default_factory=list)

    def missed_hours(self, code: str) -> int:
        """Hours missed this week with this code (НУ or НН)."""
        return sum(item.hours for item in self.absences if item.text == code)


@dataclass
class Letter:
    """The week's letter to one parent."""

    parent_id: int
    parent_name: str
    email: str
    week: date
    children: list[ChildWeek] = field(default_factory=list)


def mark_text(value: str, kind: Sequence[str]) -> str:
    """«4 (практическая работа)»: the mark with its kind of work spelled out for a parent."""
    title = kind[-1] if kind else ""
    return f"{value} ({title[:1].lower()}{title[1:]})" if title else value


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def letters(conn: psycopg.Connection, week: date, group: str | None = None) -> list[Letter]:
    """The letters of the week beginning on Monday ``week`` (of one group, or every allowed)."""
    params = {"week": week, "group": group}
    found = conn.execute(RECIPIENTS, params).fetchall()
    items = conn.execute(WEEK, params).fetchall()
    return build_letters(week, found, items)


def build_letters(week: date, recipients: Sequence[tuple[Any, ...]],
                  items: Iterable[tuple[Any, ...]]) -> list[Letter]:
    """Group the rows of the two functions into letters, in the order of the recipients."""
    by_parent: dict[int, Letter] = {}
    children: dict[int, ChildWeek] = {}
    for parent_id, parent_name, email, student_id, student_name, group_name in recipients:
        letter = by_parent.setdefault(parent_id, Letter(parent_id, parent_name, email, week))
        child = children.setdefault(student_id, ChildWeek(student_id, student_name, group_name))
        letter.children.append(child)
    for student_id, kind, day, pair_no, discipline, value, hours, extra in items:
        found = children.get(student_id)
        if found is None:
            continue
        if kind == "mark":
            found.marks.append(Item(day, pair_no, discipline, mark_text(value, extra)))
        elif kind == "absence":
            found.absences.append(Item(day, pair_no, discipline, value, hours))
        else:
            found.homework.append(Item(day, pair_no, discipline, homework_text(value, *extra)))
    return list(by_parent.values())
