"""bench/web.py on tiny numbers (``--smoke``: 3 sessions of 3 parents given accounts by the
bench, 3 browser logins): it still runs and prints its figures. Skipped where Chromium is
absent (the login figure needs it)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.web_browser import chromium_path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ("web_sessions_100_mb", "web_session_mb", "web_programs_mb", "web_postgres_mb",
           "web_login_screen_median_s", "web_password_to_child_median_s", "web_login_p95_s")


@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (apt-get install chromium)")
def test_web_bench_smoke() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "web.py"), "--smoke"],
                          capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    values = dict(re.findall(r"^(\w+): ([0-9.]+)$", done.stdout, flags=re.MULTILINE))
    assert set(FIGURES) <= set(values), done.stdout
    assert all(float(values[name]) > 0 for name in FIGURES)
    assert values["web_sessions_n"] == "3"
    # each session is its own parent's login (one login may hold 20 connections)
    assert float(values["web_sessions_100_mb"]) == pytest.approx(
        float(values["web_programs_mb"]) + float(values["web_postgres_mb"]), abs=1.5)
