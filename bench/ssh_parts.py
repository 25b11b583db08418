"""The parts of ``ssh_load.py`` that need no sshd, no OS users and no database (tested on
tiny data in tests/bench/test_ssh_parts.py): the typing plan, the figures, the sshd
configuration, memory of processes, the check of typed marks against the database, and the
pseudo-terminal that runs ``ssh`` with a pyte screen."""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import pty
import random
import select
import signal
import struct
import termios
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyte

COLS, ROWS = 160, 48
MARKS = ("5", "4", "3", "2")


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Column:
    """One column the session fills: its lesson, the values from the top down, and how.

    ``rows`` are the page's rows (from 0) of the students who study on the lesson's date,
    top down; ``values[i]`` goes to ``rows[i]``. A student enrolled late, on leave or expelled
    is greyed on that date and the program refuses a mark there: the grid passes over such
    rows after a mark, and F7 counts only the studying rows below the cursor."""

    lesson_id: int
    values: tuple[str, ...]
    by_f7: bool
    rows: tuple[int, ...]

    @property
    def lead_in(self) -> int:
        """Arrow-down presses from the top row to the first studying row (0 when none)."""
        return self.rows[0] if self.rows else 0


def studying_rows(page: Any, lesson_ids: Sequence[int]) -> dict[int, list[int]]:
    """Lesson → the rows of ``page`` (a ``JournalPage`` as the program reads it for the
    teacher) whose students study on that lesson's date (no greyed sign in the cell)."""
    return {lesson: [row for row, student in enumerate(page.students)
                     if page.away_sign(student.student_id, lesson) is None]
            for lesson in lesson_ids}


def typing_plan(lesson_ids: Sequence[int], studying: Mapping[int, Sequence[int]], seed: int,
                f7_share: float = 0.25) -> list[Column]:
    """Columns to fill, left to right from the page's open lesson: random marks 2–5 in every
    studying row (``studying``: lesson → rows, :func:`studying_rows`); about ``f7_share`` of
    them typed as one F7 line («5 4 4 3 …») of as many values as rows study that day."""
    rng = random.Random(seed)
    plan = []
    for lesson in lesson_ids:
        rows = tuple(studying[lesson])
        plan.append(Column(lesson, tuple(rng.choice(MARKS) for _ in rows),
                           rng.random() < f7_share, rows))
    return plan


def pauses(seed: int, low: float = 0.5, high: float = 2.0) -> Iterable[float]:
    """A teacher's pace: seconds between keys, uniformly ``low``–``high``."""
    rng = random.Random(seed)
    while True:
        yield rng.uniform(low, high)


def expected_marks(plan: Sequence[Column], students: Sequence[int], typed: dict[int, int]
                   ) -> dict[tuple[int, int], str]:
    """(student, lesson) → value of what was typed: the first ``typed[lesson]`` studying rows
    of each column (``students``: the page's student ids, row by row)."""
    result = {}
    for column in plan:
        done = typed.get(column.lesson_id, 0)
        for row, value in list(zip(column.rows, column.values, strict=True))[:done]:
            result[(students[row], column.lesson_id)] = value
    return result


def compare_marks(expected: dict[tuple[int, int], str], in_db: dict[tuple[int, int], str],
                  history: dict[tuple[int, int], int]) -> list[str]:
    """What is wrong: a typed mark missing or different in the database, one that was never
    typed, or a mark without exactly one history row."""
    problems = []
    for key, value in sorted(expected.items()):
        if in_db.get(key) != value:
            problems.append(f"{key}: typed {value}, database {in_db.get(key)}")
        elif history.get(key, 0) != 1:
            problems.append(f"{key}: {history.get(key, 0)} history rows")
    problems += [f"{key}: in the database, never typed" for key in sorted(set(in_db) - set(expected))]
    return problems


def sshd_config(folder: Path, port: int, snippet: str) -> str:
    """An sshd of the bench: its own port, host key and authorized keys; keys only.
    ``StrictModes no``: the bench's root-owned key files live under /tmp, which is
    world-writable (a real server keeps ~/.ssh/authorized_keys and the default)."""
    return (
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/host_ed25519\n"
        f"PidFile {folder}/sshd.pid\nAuthorizedKeysFile {folder}/keys/%u\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "PermitRootLogin no\nStrictModes no\nMaxStartups 200:30:400\nMaxSessions 10\n"
        "LoginGraceTime 60\n"
        "LogLevel ERROR\n" + snippet
    )


def pss_mb(pids: Iterable[int]) -> float:
    """Proportional set size of the processes in MB (shared pages counted once in total)."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total / 1024


def processes(match: Callable[[int, str], bool]) -> list[int]:
    """Pids whose (uid, command line) ``match``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            uid = entry.stat().st_uid
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if match(uid, cmdline):
            found.append(int(entry.name))
    return found


@dataclass
class Terminal:
    """A command in a pseudo-terminal of 160×48.

    Thirty of these share two cores with the programs they drive, so the output is not
    rendered as it comes (pyte is far slower than Textual writes): it is kept raw and searched
    for markers — texts the program writes in one run, such as «Все изменения сохранены» —
    and rendered with pyte only to show the screen when something fails.
    """

    argv: list[str]
    env: dict[str, str]
    pid: int = field(init=False)
    fd: int = field(init=False)
    raw: bytearray = field(init=False, default_factory=bytearray)
    reaped: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execvpe(self.argv[0], self.argv, self.env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def pump(self, timeout: float) -> float | None:
        """Take what arrived, waiting up to ``timeout``; the moment the first bytes came."""
        first = None
        ready, _, _ = select.select([self.fd], [], [], timeout)
        for _ in range(64):
            if not ready:
                break
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                return first
            if not data:
                return first
            first = first or time.perf_counter()
            self.raw += data
            ready, _, _ = select.select([self.fd], [], [], 0)
        return first

    @property
    def position(self) -> int:
        """How much output has arrived so far (for :meth:`wait_for` ``since``)."""
        return len(self.raw)

    def seen(self, marker: str, since: int = 0) -> bool:
        """The program wrote ``marker`` after ``since``."""
        return self.raw.find(marker.encode(), since) >= 0

    def text(self) -> str:
        """The screen as text (rendered now with pyte; for messages)."""
        screen = pyte.Screen(COLS, ROWS)
        pyte.ByteStream(screen).feed(bytes(self.raw))
        return "\n".join(line.rstrip() for line in screen.display)

    def wait_for(self, markers: str | Sequence[str], what: str, timeout: float = 60,
                 since: int = 0) -> float:
        """Wait until every marker was written after ``since``; the moment. Raises TimeoutError."""
        wanted = [markers] if isinstance(markers, str) else list(markers)
        deadline = time.monotonic() + timeout
        while True:
            if all(self.seen(m, since) for m in wanted):
                return time.perf_counter()
            if time.monotonic() > deadline or self.seen("Permission denied"):
                raise TimeoutError(f"{what}: not on the screen in {timeout:.0f} s:\n{self.text()}")
            self.pump(0.05)

    def send(self, keys: str | bytes) -> float:
        """Write keys; the moment they were written."""
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)
        return time.perf_counter()

    def keys(self, keys: Sequence[str], gap: float = 0.03) -> float:
        """Write keys one by one, ``gap`` apart, as fast fingers do (a burst of escape
        sequences can be split by a slow reader into Esc and literal text); the last moment."""
        sent = time.perf_counter()
        for key in keys:
            sent = self.send(key)
            time.sleep(gap)
        return sent

    def ended(self, timeout: float) -> bool:
        """Wait, reading its output, until the command ends by itself; False when it did not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    continue
            self.reaped = True
            return True
        return False

    def close(self, grace_s: float = 5.0) -> None:
        """Hang up and reap the child; killed when it outlives the hang-up by ``grace_s``
        (an ssh that ignored the SIGHUP kept a whole 30-user run waiting in waitpid)."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.reaped:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGHUP)
        deadline = time.monotonic() + grace_s
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    return
                time.sleep(0.1)
