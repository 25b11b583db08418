"""Programs started ahead of the visitors, so that a browser tab does not wait for one to start.

textual-serve starts one program per websocket when the browser connects; starting Python,
Textual and the journal's login screen is then the largest wait a parent has before typing.
:class:`WarmPrograms` keeps a few programs already started (everything imported, at a low
priority so as not to slow the visitors logging in meanwhile, and waiting for a line with the
screen size: ``cli.web.tab``; one is handed out only once it said so). The server's programs
are forked from a zygote that imported everything once (``cli.web.forks``), which costs
milliseconds; started one by one, each costs a second of the processor. A new tab takes one
and sends it the browser's size, the program draws its login screen, and a new one is made
behind it: ``refill_after_s`` later, not to compete with the visitor's login for the
processor, or at once when the last one was taken, since a visitor who finds none waits.
A program that waited longer than ``max_age_s`` is replaced (so that an update of the program
on disk reaches the next visitor), and with no program ready the tab starts its own as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import time
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable, Coroutine

from textual_serve.app_service import AppService

from cli.web.tab import READY, size_line
from kernel.settings import WEB_SERVER_VARIABLE

log = logging.getLogger("ejournal.web")

Starter = Callable[[], Awaitable[Process]]


class _Warm:
    """One program waiting for a visitor."""

    def __init__(self, process: Process, started: float) -> None:
        self.process, self.started = process, started


class WarmPrograms:
    """Up to ``size`` programs started ahead (0: none, every tab starts its own).

    Args:
        start: Starts one program as a tab's would be started (its size set later).
        size: How many wait at once.
        max_age_s: A program that waited longer is replaced.
        refill_after_s: A taken program is replaced this much later: starting one costs about
            a second of CPU, which would otherwise compete with the visitor's login (argon2)
            and first screens.
        clock: Seconds (monotonic), for tests.
    """

    def __init__(self, start: Starter, size: int, max_age_s: float = 1800.0,
                 refill_after_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._start, self.size, self.max_age_s, self._clock = start, size, max_age_s, clock
        self.refill_after_s = refill_after_s
        self.ready_within_s = 120.0
        """A program started ahead that has not imported everything by then is ended."""
        self._ready: list[_Warm] = []
        self._starting = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def waiting(self) -> list[Process]:
        """The programs ready now (oldest first)."""
        return [warm.process for warm in self._ready]

    def fill(self) -> None:
        """Start programs until ``size`` are ready or starting."""
        while not self._closed and len(self._ready) + self._starting < self.size:
            self._start_now()

    async def _start_one(self) -> None:
        try:
            process = await self._start()
            ready = await _until_ready(process, self.ready_within_s)
        except OSError:
            log.exception("web: a program could not be started ahead")
            return
        finally:
            self._starting -= 1
        if not ready:
            log.error("web: a program started ahead (pid %s) did not get ready", process.pid)
        if self._closed or not ready:
            await _end(process)
            return
        log.info("web: a program started ahead (pid %s)", process.pid)
        self._ready.append(_Warm(process, self._clock()))

    def take(self) -> Process | None:
        """A program ready for a visitor (None when none is), replaced ``refill_after_s`` later;
        at once when none is left ready or starting, since the next visitor would otherwise
        wait for a whole start, which costs them more than the competition costs this one."""
        self._drop_stale()
        warm = self._ready.pop(0) if self._ready else None
        if not self._ready and not self._starting:
            self._start_now()
        asyncio.get_running_loop().call_later(self.refill_after_s, self.fill)
        return warm.process if warm is not None else None

    def _start_now(self) -> None:
        if not self._closed and self.size:
            self._starting += 1
            self._in_background(self._start_one())

    def _drop_stale(self) -> None:
        now = self._clock()
        stale = [w for w in self._ready if w.process.returncode is not None
                 or now - w.started > self.max_age_s]
        for warm in stale:
            self._ready.remove(warm)
            self._in_background(_end(warm.process))

    def _in_background(self, work: Coroutine[object, object, None]) -> None:
        """Run ``work`` as a task the pool keeps (until it ends, or the pool is closed)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def renew(self, every_s: float = 60.0) -> None:
        """Replace programs that waited too long or ended, until closed (a background task)."""
        while not self._closed:
            self._drop_stale()
            self.fill()
            await asyncio.sleep(every_s)

    async def close(self) -> None:
        """End the waiting programs and start no more."""
        self._closed = True
        ready, self._ready = self._ready, []
        await asyncio.gather(*(_end(w.process) for w in ready))
        for task in list(self._tasks):
            task.cancel()


async def start_program(command: str, environment: dict[str, str]) -> Process:
    """Start one tab's program ahead, without a shell (so that ending it ends the program).
    It is told the web server's process, to end with it (``cli.web.tab``)."""
    return await asyncio.create_subprocess_exec(
        *shlex.split(command), stdin=PIPE, stdout=PIPE, stderr=PIPE,
        env={**environment, WEB_SERVER_VARIABLE: str(os.getpid())})


async def _until_ready(process: Process, within_s: float) -> bool:
    """Wait until the program started ahead says it imported everything (``cli.web.tab``):
    only then is it handed to a visitor, who would otherwise wait for the rest of its start."""
    assert process.stdout is not None
    try:
        return await asyncio.wait_for(process.stdout.readline(), within_s) == READY
    except (TimeoutError, ValueError):
        return False


async def _end(process: Process) -> None:
    """End a program nobody used: it waits for its first line and nothing was typed in it."""
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    await process.wait()


class TabProgram(AppService):
    """textual-serve's service of one tab, taking a program started ahead when there is one."""

    def __init__(self, programs: WarmPrograms, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.programs = programs

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = self.programs.take()
        if process is None:
            if self.programs.size:
                log.info("web: no program started ahead was ready; the tab starts its own")
            return await super()._open_app_process(width, height)
        assert process.stdin is not None
        try:
            process.stdin.write(size_line(width, height))
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):  # it ended a moment ago
            log.warning("web: the program started ahead (pid %s) had ended; the tab starts its own",
                        process.pid)
            return await super()._open_app_process(width, height)
        log.info("web: the tab takes the program started ahead (pid %s)", process.pid)
        self._process, self._stdin = process, process.stdin
        return process
