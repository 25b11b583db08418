"""Filling control and remarks on the hand-made college (figures worked out in college.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import psycopg
import pytest

from core.reports import queries
from core.reports.control import count_by_kind, gaps_table
from tests.core.reports.college import add_gaps


def _dates(world: Any) -> tuple[dt.date, dt.date]:
    return world.today - dt.timedelta(days=13), world.today


def test_office_finds_every_gap(su: Any, world: Any, login_as: Any) -> None:
    ids = add_gaps(su, world)
    found = queries.gaps(login_as("office"), *_dates(world), no_marks=2)
    kinds = Counter((g.kind, g.lesson_id, g.student_id) for g in found)
    la_a = ids["A"]
    assert kinds == Counter({("topic", la_a, None): 1, ("attendance", la_a, None): 1,
                             ("homework", la_a, None): 1, ("homework", ids["C"], None): 1,
                             ("late", ids["B"], None): 1,
                             ("no_marks", la_a,
                              world.person["sa3"]): 1,
                             ("statement", None, None): 1})
    late = next(g for g in found if g.kind == "late")
    assert late.detail.endswith("через 5 дн.")
    table = gaps_table(found, *_dates(world))
    assert len(table.rows) == 7
    assert table.notes[0].startswith("Всего: 7 (нет темы: 1, нет посещаемости: 1, "
                                     "нет задания: 2, заполнено поздно: 1, нет отметок: 1")


def test_a_teacher_and_a_curator_see_only_their_part(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    la, lb = world.load["la"], world.load["lb"]
    mine = queries.gaps(login_as("teacher"), *_dates(world))
    assert {g.load_id for g in mine} == {la}
    assert count_by_kind(mine) == {"topic": 1, "attendance": 1, "homework": 1, "late": 1,
                                   "statement": 1}
    assert {g.load_id for g in queries.gaps(login_as("curator"), *_dates(world))} == {la}
    assert {g.load_id for g in queries.gaps(login_as("curator2"), *_dates(world))} == {lb}
    for who in ("student", "parent", "support"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            queries.gaps(login_as(who), *_dates(world))


def test_remarks_are_raised_shown_and_closed_when_filled(su: Any, world: Any,
                                                         login_as: Any) -> None:
    ids = add_gaps(su, world)
    office = login_as("office")
    assert queries.raise_remarks(office, *_dates(world)) == (6, 0)
    assert queries.raise_remarks(office, *_dates(world)) == (0, 0)  # nothing twice
    teacher = login_as("teacher")
    assert len(queries.open_remarks(teacher)) == 5
    assert len(queries.open_remarks(login_as("teacher2"))) == 1
    teacher.execute("UPDATE journal.lesson SET topic = 'Тема А' WHERE id = %s", (ids["A"],))
    left = queries.open_remarks(teacher)
    assert sorted(r[1] for r in left) == ["attendance", "homework", "late", "statement"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        queries.raise_remarks(teacher, *_dates(world))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        teacher.execute("UPDATE journal.remark SET closed_at = now()")


def test_the_office_control_is_recorded(su: Any, world: Any, login_as: Any) -> None:
    add_gaps(su, world)
    office = login_as("office")
    found = count_by_kind(queries.gaps(office, *_dates(world)))
    queries.record_control(office, *_dates(world), found, "проверено")
    history = queries.control_history(office)
    assert len(history) == 1
    assert history[0][1].startswith("Сотрудник-office")
    assert history[0][4] == {"topic": 1, "attendance": 1, "homework": 2, "late": 1,
                             "statement": 1}
    assert queries.control_history(login_as("teacher")) == []
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        queries.record_control(login_as("teacher"), *_dates(world), {}, "")
