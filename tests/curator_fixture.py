"""Helpers of the curator's tests: demo sessions, a study day to work on, an isolated outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from core.attendance.day import AttendanceDay
from core.attendance.load import load_day
from core.people.forms import GroupInfo
from core.people.roster import list_groups


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox and preferences of each test in its own folder (never the real user's)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def curator_group(session: Any) -> GroupInfo:
    """The demo curator's own group."""
    return next(g for g in list_groups(session) if g.is_mine)


def recent_day(session: Any, group: GroupInfo, weekday: int, *, pairs: int = 2,
               before: date | None = None, recorded: bool = True) -> AttendanceDay:
    """The latest day with that weekday (0 Monday) before today with at least ``pairs``
    пары, at least one of them recorded (unless ``recorded`` is False)."""
    day = (before or date.today()) - timedelta(days=1)
    for _ in range(400):
        if day.weekday() == weekday:
            data = load_day(session, group, day)
            if len(data.pairs) >= pairs and (data.lesson_ids or not recorded):
                return data
        day -= timedelta(days=1)
    raise AssertionError("no such study day in the demo")


def wipe_attendance(demo_db: Any, lesson_ids: list[int]) -> None:
    """Remove the attendance of some lessons (as the superuser), to take it again."""
    with demo_db.connect() as conn:
        conn.execute("DELETE FROM journal.attendance WHERE lesson_id = ANY(%s)", (lesson_ids,))


def attendance(demo_db: Any, lesson_ids: list[int]) -> dict[tuple[int, int], str]:
    """(student, lesson) → code, read as the superuser."""
    with demo_db.connect() as conn:
        rows = conn.execute("SELECT student_id, lesson_id, code FROM journal.attendance"
                            " WHERE lesson_id = ANY(%s)", (lesson_ids,)).fetchall()
    return {(sid, lid): code for sid, lid, code in rows}


def run(settings: Any, session: Any, screen: Any,
        scenario: Callable[[Pilot[None], Any], Awaitable[None]]) -> None:
    """Open ``screen`` in an app logged in as ``session`` and play the scenario."""
    from tui.app import EJournalApp

    async def main() -> None:
        app = EJournalApp(settings, session=session)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            app.push_screen(screen)
            await settle(pilot)
            await scenario(pilot, screen)

    asyncio.run(main())


async def settle(pilot: Pilot[None], saver: Any = None) -> None:
    """Let the workers (and the background saver, if given) finish; never sleep blindly."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(400):
        if saver is None or not saver.has_pending():
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
