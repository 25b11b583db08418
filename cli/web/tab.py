"""What a tab's program started ahead does before its visitor comes (``cli.web.pool``).

It ends with the web server that started it, imports everything a tab needs up to the
family screen at a low priority (a second of the processor that should not slow the visitors
logging in meanwhile), says it is ready, then waits for one line from the server: the
visitor's screen size. Only then does the program start, so that its first frame is drawn
once, at the browser's size. Kept apart from the server's modules: every browser tab imports
it before its login screen.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from collections.abc import Callable

from kernel.settings import set_screen_size, take_web_server_pid

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
LONGEST_LINE = 32
READY = b"ready\n"
"""What a program started ahead writes once everything is imported (``cli.web.pool``)."""
IMPORT_NICENESS = 10
"""How much lower the importing thread runs: a tenth of the processor when it is contended."""


def wait_for_visitor(import_ahead: Callable[[], None]) -> None:
    """In a program started ahead (nothing otherwise): get ready (``import_ahead``), then
    wait for the visitor.

    Raises:
        SystemExit: the server ended before a visitor came.
    """
    server = take_web_server_pid()
    if not server.isdigit():
        return
    end_with_parent(int(server))
    import_quietly(import_ahead)
    meet_visitor()


def meet_visitor() -> None:
    """Say ready, then wait for the visitor's screen size (a program started ahead by the
    server, or forked from ``cli.web.zygote``).

    Raises:
        SystemExit: the server ended before a visitor came.
    """
    os.write(1, READY)
    width, height = _visitor_size(_read_line())
    set_screen_size(width, height)


def import_quietly(import_ahead: Callable[[], None]) -> None:
    """Run ``import_ahead`` in a thread of lower priority (Linux sets it per thread; the main
    thread, which will serve the visitor, keeps its own). On an idle server it runs at full
    speed; while others log in, they come first. Raises what ``import_ahead`` raised."""
    failed: list[BaseException] = []

    def imports() -> None:
        with contextlib.suppress(OSError, AttributeError):   # elsewhere: at the same priority
            me = threading.get_native_id()
            lower = min(19, os.getpriority(os.PRIO_PROCESS, me) + IMPORT_NICENESS)
            os.setpriority(os.PRIO_PROCESS, me, lower)
        try:
            import_ahead()
        except BaseException as error:   # raised again in the main thread
            failed.append(error)

    thread = threading.Thread(target=imports, name="import-ahead")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def size_line(width: int, height: int) -> bytes:
    """The line the server sends a program started ahead when a tab takes it."""
    return f"{width} {height}\n".encode()


def end_with_parent(parent: int) -> None:
    """A hang-up when the parent (the web server, or the zygote a tab was forked from) ends,
    whatever way it ends (Linux's PR_SET_PDEATHSIG; elsewhere nothing), since the program's
    screen then has nowhere to go; the program ends on a hang-up as on a dropped SSH line. A
    parent already gone: end now. Set here, not between fork and exec: the server has threads,
    and there a child may hang."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGHUP)
    if os.getppid() != parent:
        raise SystemExit(0)


def name_process(name: str) -> None:
    """The process's short name as ``ps -o comm`` and ``top`` show it (Linux; at most 15
    bytes): tabs forked from the zygote otherwise all show the zygote's command line."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode()[:15])


def _read_line() -> bytes:
    """One line of the program's input, read byte by byte: what follows it is the tab's
    (textual-serve's packets), left for the program."""
    line = b""
    while not line.endswith(b"\n") and len(line) < LONGEST_LINE:
        byte = os.read(0, 1)
        if not byte:
            raise SystemExit(0)
        line += byte
    return line


def _visitor_size(line: bytes) -> tuple[int, int]:
    try:
        width, height = (max(1, int(part)) for part in line.split())
    except ValueError:
        return 80, 24
    return width, height
