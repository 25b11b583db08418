"""The zygote (``cli.web.zygote``, ``cli.web.forks``) with a small stand-in for the journal
(the same fork protocol, only no Textual): a forked tab talks to the server through its own
pipes, is the zygote's child, ends when the zygote is killed, and a zygote let go ends after
its last tab."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from cli.web.forks import ForkedProgram, Zygote
from cli.web.tab import READY, size_line
from cli.web.zygote import NAME, TAB_NAME

ROOT = Path(__file__).resolve().parents[3]
STAND_IN = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from cli.web.zygote import serve_forks
serve_forks(lambda: None)
line = sys.stdin.readline()
sys.stdout.write(f"{{os.environ['COLUMNS']}} {{os.environ['ROWS']}} {{line}}")
sys.stdout.flush()
if line.strip() == "wait":
    sys.stdin.readline()
"""
"""A tab that answers one line with the screen size it was given and that line ("wait":
then stays until its input ends)."""


def _command(script: str) -> str:
    return shlex.join([sys.executable, "-c", script])


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _gone(pid: int) -> bool:
    """Ended: no such process, or one waiting to be collected."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _name(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def _run(scenario: Callable[[Zygote], Awaitable[None]], script: str = STAND_IN) -> None:
    async def main() -> None:
        zygote = Zygote(_command(script), dict(os.environ), ready_within_s=30)
        try:
            await asyncio.wait_for(scenario(zygote), 60)
        finally:
            await zygote.close(wait_s=10)

    asyncio.run(main())


async def _talk(program: ForkedProgram, line: bytes, width: int = 100, height: int = 30) -> bytes:
    assert await program.stdout.readline() == READY
    program.stdin.write(size_line(width, height) + line)
    await program.stdin.drain()
    return await program.stdout.readline()


def test_forked_tabs_talk_through_their_own_pipes_and_are_the_zygotes_children() -> None:
    async def scenario(zygote: Zygote) -> None:
        first, second = await zygote.fork(), await zygote.fork()
        assert first.pid != second.pid
        assert _parent(first.pid) == _parent(second.pid) != os.getpid()
        assert await _talk(second, b"two\n", 120, 40) == b"120 40 two\n"
        assert await first.stdout.readline() == READY     # named by then
        assert _name(first.pid) == TAB_NAME and _name(_parent(first.pid)) == NAME
        first.stdin.write(size_line(100, 30) + b"one\n")
        assert await first.stdout.readline() == b"100 30 one\n"
        assert await asyncio.wait_for(first.wait(), 10) == 0
        await asyncio.wait_for(second.wait(), 10)
        assert first.returncode == second.returncode == 0

    _run(scenario)


def test_killing_the_zygote_hangs_up_its_tabs() -> None:
    async def scenario(zygote: Zygote) -> None:
        program = await zygote.fork()
        assert await program.stdout.readline() == READY
        os.kill(_parent(program.pid), signal.SIGKILL)
        await asyncio.wait_for(program.wait(), 10)
        assert _gone(program.pid)

    _run(scenario)


def test_a_zygote_let_go_ends_after_its_last_tab_and_a_new_one_serves() -> None:
    async def scenario(zygote: Zygote) -> None:
        program = await zygote.fork()
        assert await _talk(program, b"wait\n") == b"100 30 wait\n"
        old = _parent(program.pid)
        zygote.max_age_s = 0.0                  # the next fork lets this zygote go
        newer = await zygote.fork()
        assert _parent(newer.pid) != old
        await asyncio.sleep(1.5)
        assert not _gone(old)                  # still has a tab
        program.stdin.close()                  # the tab ends
        await asyncio.wait_for(program.wait(), 10)
        for _ in range(50):
            if _gone(old):
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("the zygote let go did not end after its last tab")
        newer.kill()

    _run(scenario)


def test_a_zygote_that_cannot_start_raises_oserror() -> None:
    async def scenario(zygote: Zygote) -> None:
        with pytest.raises(OSError, match="did not get ready"):
            await zygote.fork()

    _run(scenario, "raise SystemExit(3)")


def test_a_zygote_that_died_is_replaced_by_a_new_one() -> None:
    async def scenario(zygote: Zygote) -> None:
        first = await zygote.fork()
        assert await first.stdout.readline() == READY
        dead = _parent(first.pid)
        os.kill(dead, signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        try:                        # the death may not be seen yet: this one fork fails
            second = await zygote.fork()
        except OSError:
            second = await zygote.fork()
        assert _parent(second.pid) != dead
        assert await _talk(second, b"again\n") == b"100 30 again\n"

    _run(scenario)
