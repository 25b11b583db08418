"""``bench/backup_print.py --smoke`` runs and prints its figures as ``name: value`` lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ("summary_all_groups_s", "group_year_journal_s", "backup_two_dest_s", "verify_s")


def test_bench_smoke() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "backup_print.py"), "--smoke"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    values = dict(re.findall(r"^(\w+): ([0-9.]+)$", done.stdout, flags=re.MULTILINE))
    assert set(FIGURES) <= set(values), done.stdout
    assert all(float(values[name]) > 0 for name in FIGURES)
