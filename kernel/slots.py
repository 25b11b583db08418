"""A few slots for the whole machine: at most ``count`` processes of every user at once.

The argon2 derivation of a login takes 64 MiB and a core for a quarter of a second. Thirty
teachers pressing Enter in the same minute on a two-core college server, all derived at once,
hold 30 × 64 MiB together and all finish at the end; with one slot a core they hold 2 × 64 MiB
and most are through long before the last (measured on two cores: 30 derivations took 3.8 s
all at once, 3.3 s two at a time, half of them done in the first half).

A slot is an abstract Unix socket name bound by the process holding it (Linux). The names are
one per machine (per network namespace) whoever the user, and the kernel frees a name the
moment its process ends, however it ends: no lock file to create with the right owner, none
left behind by a killed program to shut people out. A slot not had within ``wait_s`` is done
without (a stuck or hostile holder delays a login, never refuses it). Where there are no
abstract names (not Linux), nothing is limited.
"""

from __future__ import annotations

import os
import random
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

POLL_S = (0.01, 0.04)
"""How long a process waits before trying the slots again (drawn in this range, so that
thirty waiting processes do not all try in the same instant)."""


def cores() -> int:
    """The processor cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@contextmanager
def machine_slot(name: str, count: int, wait_s: float) -> Iterator[bool]:
    """Hold one of ``count`` slots called ``name`` while the block runs; yields whether one
    was had (False: none free within ``wait_s``, or the system has no abstract names)."""
    held = _take(name, count, wait_s)
    try:
        yield held is not None
    finally:
        if held is not None:
            held.close()


def _take(name: str, count: int, wait_s: float) -> socket.socket | None:
    if not sys.platform.startswith("linux"):
        return None
    deadline = time.monotonic() + wait_s
    while True:
        for slot in random.sample(range(count), count):
            held = _bind(f"\0ejournal-slot-{name}-{slot}")
            if held is not None:
                return held
        if time.monotonic() >= deadline:
            return None
        time.sleep(random.uniform(*POLL_S))


def _bind(address: str) -> socket.socket | None:
    """The socket bound to ``address``, or None when another process holds it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        return None
    return sock
