"""What the benchmarks share: an isolated embedded server with the demo college.

A person's own demo is never touched: the server lives in a new temporary folder (removed
afterwards), or in ``--data-dir DIR`` which, with ``--keep``, is built once and reused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Outboxes and preferences written while measuring never land in the user's own state.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="ejournal-bench-state-")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.server.launcher import EmbeddedServer  # noqa: E402
from demo.setup import DemoAccount, prepare_demo  # noqa: E402
from kernel.settings import Settings  # noqa: E402

DBNAME = "ejournal_bench"


def timed(label: str, action: Callable[[], Any]) -> Any:
    """Run ``action`` and print ``label: seconds``."""
    started = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - started:.2f}", flush=True)
    return result


@dataclass(frozen=True)
class Ratio:
    """Medians of two interleaved measurements and the median of their paired ratios."""

    role_ms: float
    owner_ms: float
    ratio: float


def interleaved_ratio(role: Callable[[], Any], owner: Callable[[], Any], rounds: int,
                      warm_up: int = 5) -> Ratio:
    """What ``role`` costs against ``owner``, robust to the noise of a shared machine.

    Both are warmed up (caches, plans), then run in ``rounds`` pairs, the order alternating
    from pair to pair, so a burst of another program or a slow drift hits both sides alike.
    The ratio is the median of the pairs' ratios (each pair ran at nearly the same moment);
    the times are each side's median.
    """
    for _ in range(warm_up):
        role()
        owner()
    mine: list[float] = []
    theirs: list[float] = []
    for index in range(rounds):
        pair = (role, owner) if index % 2 == 0 else (owner, role)
        took = []
        for action in pair:
            started = time.perf_counter()
            action()
            took.append((time.perf_counter() - started) * 1000)
        mine.append(took[0] if index % 2 == 0 else took[1])
        theirs.append(took[1] if index % 2 == 0 else took[0])
    ratios = [a / b for a, b in zip(mine, theirs, strict=True)]
    return Ratio(statistics.median(mine), statistics.median(theirs), statistics.median(ratios))


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """--smoke, --data-dir and --keep."""
    parser.add_argument("--smoke", action="store_true", help="the small demo: a fast check")
    parser.add_argument("--data-dir", help="keep the demo's server here (reused when built)")
    parser.add_argument("--keep", action="store_true", help="leave the server and its folder")


def _folder(given: str | None) -> tuple[Path, bool]:
    """The server's data folder, and whether it is ours to delete afterwards."""
    if given:
        path = Path(given).absolute()
        path.mkdir(parents=True, exist_ok=True)
        return path, False
    base = next((Path(p) for p in (tempfile.gettempdir(), "/tmp", "/var/tmp")
                 if os.access(p, os.W_OK)), Path.cwd())
    return Path(tempfile.mkdtemp(prefix="ejournal-bench-", dir=base)), True


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def account(accounts: list[DemoAccount], role: str) -> DemoAccount:
    """The demo account whose role label contains ``role``."""
    return next(a for a in accounts if role in a.role)


@contextmanager
def demo_server(args: argparse.Namespace) -> Iterator[tuple[Settings, list[DemoAccount]]]:
    """Start an isolated server with the demo (small for --smoke, else college scale)."""
    folder, ours = _folder(args.data_dir)
    folder.chmod(0o755)
    running = EmbeddedServer(Settings(data_dir=str(folder))).status()
    port = running.port if running.running else free_port()
    settings = Settings(data_dir=str(folder), port=port, dbname=DBNAME)
    server = EmbeddedServer(settings)
    try:
        scale = "small" if args.smoke else "college"
        print(f"  # demo scale {scale} in {folder}", file=sys.stderr)
        accounts = timed("demo_ready_s", lambda: prepare_demo(settings, scale=scale, seed=2026))
        yield settings, accounts
    finally:
        if not args.keep:
            server.stop("fast")
            if ours:
                shutil.rmtree(folder, ignore_errors=True)
