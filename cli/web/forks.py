"""The web server's side of ``cli.web.zygote``: tabs' programs forked instead of started.

:class:`Zygote` starts ``ejournal web --zygote`` once, and :meth:`Zygote.fork` asks it for a
tab's program: three new pipes, whose far ends go to the zygote over the control socket, and
whose near ends become the program's standard streams here, as asyncio would give them for a
program it started (:class:`ForkedProgram`). The forked program is the zygote's child, not
this server's: its end is seen through a pidfd. A zygote older than ``max_age_s`` is let go
(it ends after its tabs) and a new one started, so that an update on disk reaches the next
visitors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import signal
import socket
import time
from asyncio.subprocess import DEVNULL, Process

from cli.web.tab import READY
from cli.web.zygote import FORK, PID
from kernel.settings import WEB_SERVER_VARIABLE

log = logging.getLogger("ejournal.web")

STREAM_LIMIT = 2 ** 16
"""The read buffer asyncio gives a started program's output; the same here."""


class ForkedProgram:
    """A tab's program forked by the zygote, with what textual-serve and the pool use of an
    asyncio :class:`~asyncio.subprocess.Process`."""

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
                 stderr: asyncio.StreamReader) -> None:
        self.pid, self.stdin, self.stdout, self.stderr = pid, stdin, stdout, stderr
        self.returncode: int | None = None
        """0 once the program ended (its parent, the zygote, keeps the real status)."""
        self._ended = asyncio.Event()
        self._watch()

    def _watch(self) -> None:
        try:
            pidfd = os.pidfd_open(self.pid)
        except ProcessLookupError:     # it ended already
            self._mark_ended()
            return
        loop = asyncio.get_running_loop()

        def ended() -> None:
            loop.remove_reader(pidfd)
            os.close(pidfd)
            self._mark_ended()

        loop.add_reader(pidfd, ended)

    def _mark_ended(self) -> None:
        self.returncode = 0
        self._ended.set()
        self.stdin.close()

    def kill(self) -> None:
        """End the program at once."""
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    async def wait(self) -> int:
        """Until the program has ended."""
        await self._ended.wait()
        return 0


class Zygote:
    """The zygote, started on first use and again when it ended or grew old.

    Args:
        command: The shell command of the zygote (``ejournal web --zygote``).
        environment: A tab's environment (textual-serve's).
        ready_within_s: A zygote that has not imported everything by then is given up.
        max_age_s: A zygote older than this is let go and a new one started.
    """

    def __init__(self, command: str, environment: dict[str, str], ready_within_s: float = 120.0,
                 max_age_s: float = 1800.0) -> None:
        self.argv = shlex.split(command)
        self.environment, self.ready_within_s, self.max_age_s = (
            environment, ready_within_s, max_age_s)
        self._control: socket.socket | None = None
        self._process: Process | None = None
        self._let_go_of: list[Process] = []
        """Zygotes let go that still have tabs (kept until they end, for asyncio's sake)."""
        self._started = 0.0
        self._lock = asyncio.Lock()

    async def fork(self) -> ForkedProgram:
        """A new tab's program, forked (raises OSError when the zygote cannot give one)."""
        async with self._lock:
            control = await self._current()
            try:
                return await self._fork(control)
            except OSError:
                await self._let_go()
                raise

    async def close(self, wait_s: float = 0.0) -> None:
        """Let the zygote go: it forks no more and ends after its tabs. ``wait_s``: wait that
        long at most for every zygote let go to have ended."""
        async with self._lock:
            await self._let_go()
        ending = [p for p in self._let_go_of if p.returncode is None]
        if ending and wait_s:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(p.wait() for p in ending)), wait_s)

    async def _current(self) -> socket.socket:
        too_old = time.monotonic() - self._started > self.max_age_s
        if self._control is None or self._ended() or too_old:
            await self._let_go()
            self._control = await self._start()
        return self._control

    def _ended(self) -> bool:
        return self._process is None or self._process.returncode is not None

    async def _start(self) -> socket.socket:
        ours, theirs = socket.socketpair()
        try:
            self._process = await asyncio.create_subprocess_exec(
                *self.argv, stdin=theirs.fileno(), stdout=DEVNULL, stderr=DEVNULL,
                env={**self.environment, WEB_SERVER_VARIABLE: str(os.getpid())})
        finally:
            theirs.close()
        ours.setblocking(False)
        self._started = time.monotonic()
        loop = asyncio.get_running_loop()
        try:
            said = await asyncio.wait_for(_read_exactly(loop, ours, len(READY)),
                                          self.ready_within_s)
        except (TimeoutError, OSError) as error:
            ours.close()
            raise OSError(f"the zygote did not get ready: {error}") from error
        if said != READY:
            ours.close()
            raise OSError(f"the zygote said {said!r} instead of ready")
        log.info("web: the zygote (pid %s) is ready", self._process.pid)
        return ours

    async def _fork(self, control: socket.socket) -> ForkedProgram:
        loop = asyncio.get_running_loop()
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        try:
            socket.send_fds(control, [FORK], [stdin_r, stdout_w, stderr_w])
        except OSError:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            raise
        finally:   # the zygote holds its own copies now (or none was sent)
            for fd in (stdin_r, stdout_w, stderr_w):
                os.close(fd)
        try:
            reply = await asyncio.wait_for(_read_exactly(loop, control, PID.size), 30)
        except (TimeoutError, OSError) as error:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            raise OSError(f"the zygote did not fork: {error}") from error
        return ForkedProgram(PID.unpack(reply)[0], await _writer(loop, stdin_w),
                             await _reader(loop, stdout_r), await _reader(loop, stderr_r))

    async def _let_go(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            log.info("web: the zygote (pid %s) is let go; it ends after its tabs",
                     self._process.pid)
            self._let_go_of = [p for p in self._let_go_of if p.returncode is None]
            self._let_go_of.append(self._process)
            self._process = None


async def _read_exactly(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        part = await loop.sock_recv(sock, size - len(data))
        if not part:
            raise ConnectionResetError("the zygote ended")
        data += part
    return data


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=STREAM_LIMIT, loop=loop)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop),
                                 os.fdopen(fd, "rb", buffering=0))
    return reader


async def _writer(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamWriter:
    transport, protocol = await loop.connect_write_pipe(
        lambda: asyncio.streams.FlowControlMixin(loop=loop), os.fdopen(fd, "wb", buffering=0))
    return asyncio.StreamWriter(transport, protocol, None, loop)
