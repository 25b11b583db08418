"""bench/web_start.py on one run: a browser tab's program and the terminal program reach the
login screen in a pseudo-terminal, and nothing heavy is imported before the first frame."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_web_start_probe_runs_and_finds_a_light_start() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "web_start.py"), "--runs", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    values = dict(re.findall(r"^(\w+): (\S+)$", done.stdout, flags=re.MULTILINE))
    for name in ("tab_to_login_ms", "terminal_to_login_ms", "start_cpu_ms"):
        assert float(values[name]) > 0, done.stdout
    assert float(values["argon2_ms"]) >= 0   # the tests' environment uses a cheap argon2 profile
    assert values["heavy_before_login"] == "-", done.stdout
