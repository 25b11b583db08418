"""The attendance day screen driven by keys through Pilot, as the demo curator."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from core.attendance.day import step_day
from core.attendance.load import load_day
from tests.curator_fixture import attendance, curator_group, recent_day, run, settle, wipe_attendance
from tui.screens.curator.attendance_day import AttendanceDayScreen


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_curator_fills_monday_in_one_pass(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    monday = recent_day(curator, group, 0).day
    before = load_day(curator, group, monday)
    wipe_attendance(demo_db, before.lesson_ids)
    screen = AttendanceDayScreen(curator, monday)
    columns = len(before.pairs)

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        assert screen.data is not None and screen.data.day == monday
        assert "✗" in text_of(screen, "#day-week")
        # First пара: present, present, НН, then «*» for everyone else (and on to the next).
        await pilot.press("п", "p", "н", "asterisk")
        # Second пара: НУ for the first student, the rest present; then the others.
        await pilot.press("у", *["asterisk"] * (columns - 1))
        await settle(pilot, screen.saver)
        assert "Все изменения сохранены" in text_of(screen, "#day-status")
        assert "Пн" in text_of(screen, "#day-week") and "посещаемость отмечена" in text_of(
            screen, "#day-week")

    run(demo_db.settings, curator, screen, scenario)
    day = load_day(curator, group, monday)
    assert day.status.filled and len(day.lesson_ids) == columns  # unrecorded пары were created
    stored = attendance(demo_db, day.lesson_ids)
    first, second = day.pairs[0], day.pairs[1]
    expected = [s.student_id for s in day.page.students if day.expected(s.student_id, first.key)]
    assert [stored[(sid, first.lesson_id)] for sid in expected[:3]] == ["П", "П", "НН"]
    assert all(stored[(sid, first.lesson_id)] == "П" for sid in expected[3:])
    top = next(s.student_id for s in day.page.students if day.expected(s.student_id, second.key))
    assert stored[(top, second.lesson_id)] == "НУ"


def test_sick_student_absent_all_day_with_one_key(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    tuesday = recent_day(curator, group, 1)
    wipe_attendance(demo_db, tuesday.lesson_ids)
    screen = AttendanceDayScreen(curator, tuesday.day)
    sick: list[int] = []

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        grid = screen.grid
        assert grid is not None
        await pilot.press("down", "down", "down")
        student = grid.current_student
        assert student is not None
        sick.append(student.student_id)
        await pilot.press("д")
        await settle(pilot, screen.saver)
        assert grid.cursor_row == 4  # on to the next student
        assert screen.data is not None and screen.data.missed_hours(student.student_id)[1] > 0

    run(demo_db.settings, curator, screen, scenario)
    day = load_day(curator, group, tuesday.day)
    stored = attendance(demo_db, day.lesson_ids)
    mine = {lid: code for (sid, lid), code in stored.items() if sid == sick[0]}
    wanted = {p.lesson_id for p in day.pairs if day.expected(sick[0], p.key)}
    assert mine == dict.fromkeys(wanted, "НН")
    assert len(stored) == len(wanted)  # nobody else was touched


def test_days_move_with_brackets_and_unfilled_days_show(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    monday = recent_day(curator, group, 0)
    wipe_attendance(demo_db, monday.lesson_ids)
    screen = AttendanceDayScreen(curator, monday.day)
    seen: list[date] = []

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        week = text_of(screen, "#day-week")
        assert f"Пн {monday.day:%d.%m} ✗" in week
        assert "не отмечено пар" in week
        await pilot.press("right_square_bracket")
        await settle(pilot)
        seen.append(screen.data.day if screen.data else date.min)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        seen.append(screen.data.day if screen.data else date.min)
        await pilot.press("ctrl+right")
        await settle(pilot)
        seen.append(screen.data.day if screen.data else date.min)
        await pilot.press("ъ")  # ] on a Russian keyboard layout
        await settle(pilot)
        seen.append(screen.data.day if screen.data else date.min)
        assert screen.query_one("#day-title", Static).render()

    run(demo_db.settings, curator, screen, scenario)
    saturday = step_day(monday.day, -1)
    assert seen == [step_day(monday.day, 1), saturday, monday.day, step_day(monday.day, 1)]
    assert saturday.weekday() == 5  # Sunday skipped


def test_office_picks_any_group_by_typing(demo_db: Any) -> None:
    office = demo_db.log_in("учебной части")
    from core.people.roster import list_groups

    groups = list_groups(office)
    target = groups[-1]
    typed = target.name.lower().replace("-", "")  # «эбу261» finds ЭБУ-26-1
    screen = AttendanceDayScreen(office)

    async def scenario(pilot: Pilot[None], screen: AttendanceDayScreen) -> None:
        from tui.screens.curator.group_pick import GroupPickScreen

        picker = pilot.app.screen
        assert isinstance(picker, GroupPickScreen) and len(picker.shown) == len(groups) > 1
        await pilot.press(*typed)
        assert picker.shown == [target]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.group == target and screen.data is not None
        assert screen.data.may_create  # the office may create empty lessons of any group

    run(demo_db.settings, office, screen, scenario)
