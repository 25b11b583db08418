"""An SVG snapshot at 80×24 of every screen and dialog, on the frozen demo college.

Each screen is opened as the role that uses it (``shots.SHOTS``) on a copy of the demo built
for 18.11.2026 with the program's clock frozen at 10:30 that day (``conftest``), so the
pictures change only when the look changes. A screen class added to ``tui/`` without a shot
fails ``test_every_screen_has_a_snapshot``. After an intended change of the look:
``pytest tests/tui/snapshots --snapshot-update``, then look at the SVGs before committing.
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from textual.worker import WorkerCancelled

from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import wait_until
from tests.tui.snapshots.shots import BASES, SHOTS
from tests.tui.test_help import screen_classes
from tui.app import EJournalApp

SIZE = (80, 24)


QUIET_ROUNDS = 3
"""Rounds in a row with no worker running before the screen counts as drawn."""


def running(pilot: Pilot[None]) -> bool:
    """Whether any worker of the program has not finished yet."""
    return any(not worker.is_finished for worker in pilot.app.workers)


async def settle(pilot: Pilot[None], most: int = 40) -> None:
    """Let the workers finish, and the ones their results start (one a newer read replaced
    counts as finished), until no worker has run for ``QUIET_ROUNDS`` short pauses in a row.

    A fixed number of rounds was not enough on a loaded machine: a read's result arriving
    after the last round changed the picture (seen once in CI).
    """
    quiet = 0
    for _ in range(most):
        busy = running(pilot)
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        quiet = 0 if busy or running(pilot) else quiet + 1
        if quiet >= QUIET_ROUNDS:
            return


def tables_measured(pilot: Pilot[None]) -> bool:
    """Every table of the screen has measured the rows put in it: a table sizes its columns
    when its queue is empty, and a picture taken before (seen once in CI, on a loaded
    machine) shows the rows cut to the width of the headers."""
    return not any(table._require_update_dimensions or table._updated_cells
                   for table in pilot.app.screen.query(DataTable))


def test_every_screen_has_a_snapshot() -> None:
    names = {cls.__name__ for cls in screen_classes()}
    assert sorted(names - set(SHOTS) - set(BASES)) == []
    assert sorted((set(SHOTS) | set(BASES)) - names) == []


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_snapshot_80x24(name: str, frozen_demo: DemoDb, snap_compare: Any) -> None:
    shot = SHOTS[name]
    session = frozen_demo.log_in(shot.role)
    app = EJournalApp(frozen_demo.settings, session=session)

    async def open_it(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(shot.open(frozen_demo, session))
        await settle(pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot)
        if shot.act is not None:
            await shot.act(pilot, frozen_demo)
            await settle(pilot)
        assert type(pilot.app.screen).__name__ == name, pilot.app.screen_stack
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False      # a blinking cursor is caught at either phase
        await wait_until(pilot, partial(tables_measured, pilot))
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=open_it)
    finally:
        for screen in app.screen_stack:
            for worker in (getattr(screen, "saver", None), getattr(screen, "listener", None)):
                if worker is not None and hasattr(worker, "stop"):
                    worker.stop()
