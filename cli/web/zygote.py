"""The program every browser tab's program is forked from (``ejournal web --zygote``).

Starting a tab's program costs about a second of the processor, most of it importing Python,
Textual and the journal's screens; on a small server that second competes with the visitors
logging in. The web server therefore starts this program once: it imports everything, says
it is ready on its control socket (its standard input, one end of a socket pair whose other
end the server keeps) and then, for each request, forks. The request carries the new tab's
standard input, output and error as file descriptors (SCM_RIGHTS); the child takes them as its
own and goes on as a tab's program started ahead (``cli.web.tab``), sharing the imported code
with the others until it writes over it. The reply is the child's process id.

When the server closes the control socket (it ends, or starts a newer zygote after an update)
this program forks no more and ends once its last tab has ended. When it is killed its tabs
get a hang-up, as on a dropped SSH line; it gets one itself when the web server dies.
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import select
import socket
import struct
import sys
from collections.abc import Callable

from cli.web.tab import READY, end_with_parent, import_quietly, meet_visitor, name_process
from kernel.settings import take_web_server_pid

FORK = b"f"
"""A request: fork a tab's program with the three descriptors that come with it."""
PID = struct.Struct("!i")
"""The reply: the forked program's process id."""
REAP_EVERY_S = 1.0
NAME, TAB_NAME = "ejournal-zygote", "ejournal-tab"
"""The short process names (``ps -o comm``) of this program and of the tabs forked from it."""


def serve_forks(import_ahead: Callable[[], None]) -> None:
    """Import, say ready, fork on request; returns only in a forked child, once that tab's
    visitor came (their screen size is set by then).

    Raises:
        SystemExit: not started by the web server, or the server closed the control socket
            and every tab forked from here has ended.
    """
    server = take_web_server_pid()
    if not server.isdigit():
        raise SystemExit("ejournal web --zygote: запускается только сервером ejournal web.")
    end_with_parent(int(server))
    name_process(NAME)
    import_quietly(import_ahead)
    gc.freeze()   # imported objects stay where they are: fewer pages copied into each child
    control = socket.socket(fileno=os.dup(0))
    control.sendall(READY)
    _fork_on_request(control)
    meet_visitor()


def _fork_on_request(control: socket.socket) -> None:
    """Fork a child per request until the server closes the socket; returns in each child."""
    while True:
        ready, _, _ = select.select([control], [], [], REAP_EVERY_S)
        _reap()
        if not ready:
            continue
        message, fds, _flags, _address = socket.recv_fds(control, len(FORK), 3)
        if message != FORK or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            if not message:
                _retire()
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        zygote = os.getpid()
        pid = os.fork()
        if pid == 0:
            _become_tab(control, fds, zygote)
            return
        for fd in fds:
            os.close(fd)
        control.sendall(PID.pack(pid))


def _become_tab(control: socket.socket, fds: list[int], zygote: int) -> None:
    """In the child: the request's descriptors become standard input, output and error."""
    control.close()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    random.seed()
    name_process(TAB_NAME)
    end_with_parent(zygote)


def _reap() -> None:
    """Collect the tabs that ended (they are this program's children)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _retire() -> None:
    """The server let go of this program: wait for the tabs forked from it, then end (a
    hang-up, when the server ends meanwhile, still ends it and so its tabs)."""
    with contextlib.suppress(ChildProcessError):
        while True:
            os.wait()
    raise SystemExit(0)
