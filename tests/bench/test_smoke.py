"""Every benchmark runs on tiny data (``--smoke``) and prints its figures as ``name: value``.

The figures themselves are measured by running the benchmarks by hand (docs/performance.md);
this only keeps them from rotting.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "grid_keys.py": ("key_to_screen_p95_ms", "scroll_key_p95_ms", "wide_ratio", "peak_rss_mb"),
    "journal_page.py": ("start_to_login_ms", "page_load_rls_ms", "page_load_owner_ms", "rls_ratio",
                        "page_open_ms", "key_to_screen_p95_ms", "scroll_key_p95_ms", "wide_ratio",
                        "commit_p95_ms", "bulk_1000_ms", "peak_rss_mb"),
    "setup_import.py": ("import_college_s", "reimport_s"),
    "backup_print.py": ("summary_all_groups_s", "group_year_journal_s", "backup_two_dest_s",
                        "verify_s"),
    "setup_year.py": ("calendar_year_s", "preview_s", "rerun_s", "lessons_generated"),
    "reports.py": ("report_year_college_ms", "report_owner_ms", "report_rls_ratio",
                   "report_teacher_ms", "monitoring_all_ms", "group_forecast_ms", "report_xlsx_s",
                   "page_load_rls_ms", "page_load_owner_ms", "page_rls_ratio"),
}


@pytest.mark.parametrize("bench", sorted(FIGURES))
def test_bench_smoke(bench: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / bench), "--smoke"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    values = dict(re.findall(r"^(\w+): ([0-9.]+)$", done.stdout, flags=re.MULTILINE))
    assert set(FIGURES[bench]) <= set(values), done.stdout
    assert all(float(values[name]) > 0 for name in FIGURES[bench])
