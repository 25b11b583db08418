"""What a tab's program started ahead does first: end with the web server that started it.

Kept apart from the server's modules: every browser tab imports it before its login screen.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal

SERVER_VARIABLE = "EJOURNAL_WEB_SERVER_PID"
"""The web server's process id, given to the programs it starts ahead."""

PR_SET_PDEATHSIG = 1


def end_with_server() -> None:
    """A hang-up when the web server ends, whatever way it ends (Linux's PR_SET_PDEATHSIG;
    elsewhere nothing), since the program's screen then has nowhere to go; the program ends
    on a hang-up as on a dropped SSH line. A server already gone: end now. Set in the
    program, not between fork and exec: the server has threads, and a child of a threaded
    process may hang in anything but exec."""
    server = os.environ.pop(SERVER_VARIABLE, "")
    if not server.isdigit():
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGHUP)
    if os.getppid() != int(server):
        raise SystemExit(0)
