"""The curator's day (issue 11): a Sunday make-up lesson is shown, «Сейчас» only for the
пара going on now, `б` for a whole day НУ, one cursor rule, a student on leave greyed and
skipped by `*` and `д`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from core.attendance.load import load_day
from tests.curator_fixture import attendance, curator_group, recent_day, run, settle, wipe_attendance
from tui.screens.curator.attendance_day import AttendanceDayScreen, _cursor_word


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox of each test in its own folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_a_sunday_make_up_lesson_is_in_the_day(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    saturday = recent_day(curator, group, 5, pairs=1)
    sunday = saturday.day + timedelta(days=1)
    with demo_db.connect() as conn:
        conn.execute("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by, topic) "
                     "SELECT t.id, %s, 2, t.teacher_id, 'Отработка' FROM journal.teaching_load t "
                     "WHERE t.id = %s", (sunday, saturday.pairs[0].load_id))
    day = load_day(curator, group, sunday)
    assert [p.pair_no for p in day.pairs] == [2] and day.lesson_ids
    assert day.week[-1].day == sunday            # Sunday joins the week strip
    screen = AttendanceDayScreen(curator, sunday)

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        assert "пар нет" not in text_of(screen, "#day-pairs")
        assert text_of(screen, "#day-lesson").startswith("Выбрана:")
        await pilot.press("asterisk")
        await settle(pilot, screen.saver)

    run(demo_db.settings, curator, screen, scenario)
    assert set(attendance(demo_db, day.lesson_ids).values()) == {"П"}


def test_now_only_for_the_pair_going_on_today() -> None:
    from core.attendance.day import Pair

    pair = Pair(1, 1, 1, "Математика", "Мат", "Иванов И. И.", starts_at=time(8, 30),
                ends_at=time(10, 0))
    monday = date(2026, 12, 7)
    assert _cursor_word(monday, pair, datetime(2026, 12, 7, 9, 0)) == "Сейчас"
    assert _cursor_word(monday, pair, datetime(2026, 12, 7, 11, 0)) == "Выбрана"
    assert _cursor_word(monday - timedelta(days=2), pair, datetime(2026, 12, 7, 9, 0)) == "Выбрана"


def test_one_key_for_a_whole_day_excused_and_the_cursor_goes_on(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    tuesday = recent_day(curator, group, 1)
    wipe_attendance(demo_db, tuesday.lesson_ids)
    screen = AttendanceDayScreen(curator, tuesday.day)
    sick: list[int] = []

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("down")
        student = grid.current_student
        assert student is not None
        sick.append(student.student_id)
        column = grid.cursor_col
        await pilot.press("б")
        await settle(pilot, screen.saver)
        assert (grid.cursor_row, grid.cursor_col) == (2, column)   # the next student, same пара
        await pilot.press("д")
        await settle(pilot, screen.saver)
        assert (grid.cursor_row, grid.cursor_col) == (3, column)

    run(demo_db.settings, curator, screen, scenario)
    day = load_day(curator, group, tuesday.day)
    stored = attendance(demo_db, day.lesson_ids)
    wanted = {p.lesson_id for p in day.pairs if day.expected(sick[0], p.key)}
    assert {lid: code for (sid, lid), code in stored.items() if sid == sick[0]} == dict.fromkeys(
        wanted, "НУ")


def test_a_student_on_leave_is_greyed_and_skipped(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    monday = recent_day(curator, group, 0)
    wipe_attendance(demo_db, monday.lesson_ids)
    studying = [s.student_id for s in monday.page.students]
    on_leave = studying[1]
    with demo_db.connect() as conn:
        conn.execute("INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, "
                     "order_no) VALUES (%s, 'академический отпуск', %s, %s, '3-к')",
                     (on_leave, monday.day - timedelta(days=1), group.group_id))
    day = load_day(curator, group, monday.day)
    assert on_leave in day.page.row_of                    # shown ...
    assert all(day.page.away_sign(on_leave, p.key) == "отп." for p in day.pairs)   # ... greyed
    assert not any(day.expected(on_leave, p.key) for p in day.pairs)
    screen = AttendanceDayScreen(curator, monday.day)

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("asterisk")
        await settle(pilot, screen.saver)
        grid.move_cursor(day.page.row_of[on_leave], 0)
        await pilot.press("д")
        await settle(pilot, screen.saver)
        assert "ак. отпуск" in text_of(screen, "#day-pairs")

    run(demo_db.settings, curator, screen, scenario)
    stored = attendance(demo_db, day.lesson_ids)
    assert not any(sid == on_leave for sid, _lid in stored)
    first = day.pairs[0].lesson_id
    assert sum(1 for (_sid, lid) in stored if lid == first) == len(
        [s for s in studying if s != on_leave and day.expected(s, day.pairs[0].key)])
