"""Programs started ahead of the visitors (``cli.web.pool``) as rules, with real processes
(``sleep`` after the line a program started ahead writes once ready) standing in for the
program: how many wait, which one a tab takes, when one is replaced, that one not ready is
never handed out, and that none outlives the pool."""

from __future__ import annotations

import asyncio
import os
from asyncio.subprocess import Process

from textual_serve.download_manager import DownloadManager

from cli.web.pool import TabProgram, WarmPrograms, start_program

SLEEPER = "sh -c 'echo ready; exec sleep 60'"
"""A program started ahead: it says it is ready, then waits."""


def _sleepers(now: list[float] | None = None) -> WarmPrograms:
    """Two ``sleep`` programs ahead, replaced after 100 s of the clock ``now[0]``."""
    clock = now if now is not None else [0.0]
    return WarmPrograms(lambda: start_program(SLEEPER, dict(os.environ)), size=2,
                        max_age_s=100.0, refill_after_s=0.3, clock=lambda: clock[0])


async def _settle(programs: WarmPrograms) -> None:
    for _ in range(100):
        if len(programs.waiting) == programs.size:
            return
        await asyncio.sleep(0.02)


def test_a_tab_takes_the_oldest_and_another_is_started_behind_it() -> None:
    async def scenario() -> None:
        programs = _sleepers()
        assert programs.take() is None  # none started yet: the tab starts its own
        await _settle(programs)
        first, second = programs.waiting
        taken = programs.take()
        assert taken is first
        await asyncio.sleep(0.1)
        assert programs.waiting == [second]  # the replacement starts after the login's moment
        await _settle(programs)
        assert programs.waiting[0] is second and len(programs.waiting) == 2
        await _finish(programs, taken)

    asyncio.run(scenario())


def test_the_last_program_taken_is_replaced_at_once() -> None:
    """Visitors coming faster than the replacements: the next one does not wait for a whole
    start while the replacement waits for its ten seconds."""
    async def scenario() -> None:
        programs = WarmPrograms(lambda: start_program(SLEEPER, dict(os.environ)), size=2,
                                refill_after_s=60.0)
        programs.fill()
        await _settle(programs)
        first, second = programs.take(), programs.take()
        assert first is not None and second is not None
        for _ in range(100):
            if programs.waiting:
                break
            await asyncio.sleep(0.02)
        assert len(programs.waiting) == 1, "no program started for the next visitor"
        third = programs.take()
        assert third is not None and third not in (first, second)
        await _finish(programs, first, second, third)

    asyncio.run(scenario())


def test_a_program_that_waited_too_long_or_ended_is_never_handed_out() -> None:
    async def scenario() -> None:
        now = [0.0]
        programs = _sleepers(now)
        programs.fill()
        await _settle(programs)
        old, ended = programs.waiting
        ended.kill()
        await ended.wait()
        now[0] = 50.0
        fresh = programs.take()
        assert fresh is old  # 50 s is young enough; the ended one is dropped
        await _settle(programs)
        now[0] = 500.0
        waiting = programs.waiting
        taken = programs.take()  # all too old now: none is handed out, new ones start
        assert taken is None
        await asyncio.sleep(0.2)
        assert all(p.returncode is not None for p in waiting)
        assert fresh is not None
        await _finish(programs, fresh)

    asyncio.run(scenario())


def test_a_program_still_importing_is_not_handed_out() -> None:
    """A visitor given a program still importing would wait for the rest of its start (at its
    low priority): it is handed out once it says it is ready, and ended if it never does."""
    async def scenario() -> None:
        slow = "sh -c 'sleep 0.5; echo ready; exec sleep 60'"
        programs = WarmPrograms(lambda: start_program(slow, dict(os.environ)), size=1)
        programs.fill()
        await asyncio.sleep(0.2)
        assert programs.waiting == []
        await _settle(programs)
        assert len(programs.waiting) == 1
        await programs.close()
        silent = WarmPrograms(lambda: start_program("sleep 60", dict(os.environ)), size=1)
        silent.ready_within_s = 0.3
        silent.fill()
        await asyncio.sleep(0.1)
        assert silent._starting == 1
        await asyncio.sleep(0.5)
        assert silent.waiting == [] and silent._starting == 0
        await silent.close()

    asyncio.run(scenario())


def test_closing_ends_every_waiting_program() -> None:
    async def scenario() -> None:
        programs = _sleepers()
        programs.fill()
        await _settle(programs)
        waiting = programs.waiting
        await programs.close()
        assert all(p.returncode is not None for p in waiting)
        programs.fill()
        assert programs.waiting == [] and programs.take() is None

    asyncio.run(scenario())


def test_a_tab_whose_program_cannot_take_its_size_starts_its_own() -> None:
    """The program taken no longer reads (it was ending): the tab is not lost."""
    async def scenario() -> None:
        deaf = "sh -c 'echo ready; exec 0<&- sleep 30'"  # alive, its input closed
        programs = WarmPrograms(lambda: start_program(deaf, dict(os.environ)), size=1,
                                refill_after_s=60.0)
        programs.fill()
        await _settle(programs)
        await asyncio.sleep(0.3)
        taken = programs.waiting[0]
        tab = TabProgram(programs, "exec cat", write_bytes=_nowhere, write_str=_nowhere,
                         close=_nowhere, download_manager=DownloadManager())
        process = await asyncio.wait_for(tab._open_app_process(40, 10), 10)
        assert process is not taken and process.returncode is None
        await _finish(programs, process, taken)

    asyncio.run(scenario())


async def _finish(programs: WarmPrograms, *taken: Process) -> None:
    """End the programs a test took, then the pool."""
    for process in taken:
        process.kill()
        await process.wait()
    await programs.close()


async def _nowhere(*data: object) -> None:
    """A websocket's writers and closer that nobody reads."""
