"""Where a browser tab's wait before the login screen goes (issue 16, ``web_login_p95_s``).

Each browser tab of ``ejournal web`` starts a program, ``ejournal web --tab``; the parent
waits for it before the login screen, then for argon2 and the first page. This runs the real
commands in a pseudo-terminal (as textual-serve does) and prints the medians of ``--runs``:

    tab_to_login_ms        ``python -m cli web --tab`` started → the login screen written
    terminal_to_login_ms   ``python -m cli`` (the terminal and SSH program) → the same
    argon2_ms              one password derivation of the login (RFC 9106 low-memory, 64 MiB)
    start_cpu_ms           CPU time (user + system) of what the tab does before its first frame
                           (imports, the parser, the ``[web]`` settings), in a child process:
                           far steadier than the wall times on a loaded machine
    heavy_before_login     the heavy libraries the tab's start imports before its first frame

``--source DIR`` runs another checkout's code with this venv (to compare with main: ``git
archive main | tar -x -C DIR``). Runs of the two alternate, so the machine's load hits both.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ssh_parts import Terminal

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("psycopg", "argon2", "holidays", "sqlmodel", "sqlalchemy", "reportlab", "openpyxl")
BEFORE_FRAME = """
import sys
import cli
from printing.registry import install_renderers
install_renderers()
try:
    parser = cli.build_parser("web")
except TypeError:       # a checkout whose parser always registers every command
    parser = cli.build_parser()
from core.web.config import load_web_policy
load_web_policy()
from tui.run import run_program
import tui.app
print(" ".join(m for m in {heavy!r} if m in sys.modules) or "-")
"""


def start_cpu_ms(source: Path) -> float:
    """CPU seconds (as ms) of a child that does what a tab does before its first frame."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    heavy_before_login(source)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000


def to_login_ms(source: Path, argv: list[str], data_dir: str) -> float:
    """A fresh program in a 160×48 pseudo-terminal until «Пароль» is written."""
    env = {**os.environ, "TERM": "xterm-256color", "EJOURNAL_DATA_DIR": data_dir,
           "PYTHONPATH": str(source)}
    started = time.perf_counter()   # ``-m`` puts the working folder first on the path
    command = shlex.join([sys.executable, "-m", "cli", *argv])
    term = Terminal(["sh", "-c", f"cd {shlex.quote(str(source))} && exec {command}"], env)
    try:
        return (term.wait_for("Пароль", "the login screen", timeout=120) - started) * 1000
    finally:
        term.close(1)


def argon2_ms(runs: int = 3) -> float:
    from kernel.passwords import derive_password

    times = []
    for n in range(runs):
        started = time.perf_counter()
        derive_password(f"bench-{n}", "Bench-password-1", installation_salt="bench-salt")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def heavy_before_login(source: Path) -> str:
    done = subprocess.run([sys.executable, "-c", BEFORE_FRAME.format(heavy=HEAVY)], cwd=source,
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(source)})
    return done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--source", type=Path, action="append", default=[],
                        help="another checkout to measure beside this one")
    args = parser.parse_args()
    sources = [ROOT, *[s.resolve() for s in args.source]]
    with tempfile.TemporaryDirectory(prefix="ejournal-web-start-") as data_dir:
        print(f"  # load average before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
        tabs: dict[Path, list[float]] = {s: [] for s in sources}
        terms: dict[Path, list[float]] = {s: [] for s in sources}
        cpu: dict[Path, list[float]] = {s: [] for s in sources}
        for _ in range(args.runs):
            for source in sources:
                tabs[source].append(to_login_ms(source, ["web", "--tab"], data_dir))
                terms[source].append(to_login_ms(source, [], data_dir))
                cpu[source].append(start_cpu_ms(source))
        print(f"  # load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)
        for source in sources:
            suffix = "" if source == ROOT else f"  # {source}"
            print(f"tab_to_login_ms: {statistics.median(tabs[source]):.0f}{suffix}")
            print(f"terminal_to_login_ms: {statistics.median(terms[source]):.0f}{suffix}")
            print(f"start_cpu_ms: {statistics.median(cpu[source]):.0f}{suffix}")
            print(f"heavy_before_login: {heavy_before_login(source)}{suffix}")
        print(f"argon2_ms: {argon2_ms():.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
