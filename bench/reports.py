"""The office's reports on the college-scale demo (issue 14): how long they take and what the
rights check costs.

Run ``python bench/reports.py --scale college`` (``--smoke`` for the small demo; ``--data-dir DIR --keep``
builds the college once and reuses it). Prints one figure a line::

    report_year_college_ms   performance and attendance of every group for the year, as the
                             office (two set-based calls and the rules), median of 5
    report_owner_ms          the same statements as the superuser (no rights check at all),
                             interleaved with the office's runs (10 pairs, median)
    report_rls_ratio         the median of the pairs' ratios (target ≤ 1.3)
    report_teacher_ms        the same reports as a teacher (own loads), median of 5
    monitoring_all_ms        the filling control of the whole college for the year (≤ 2000)
    group_forecast_ms        forecast and students at risk of one group (≤ 200)
    report_xlsx_s            performance by group and attendance by student of all groups
                             written to one XLSX (≤ 10)
    page_rls_ratio           bench/journal_page.py's rls_ratio: one journal page read as its
                             teacher against the superuser, 200 interleaved pairs (≤ 1.3)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import account, add_server_options, demo_server, interleaved_ratio

from core.reports import queries
from core.reports.attendance import totals_table
from core.reports.performance import performance_table
from core.reports.risk import forecast_table, risk_table
from core.reports.service import Dates, school_year
from core.reports.table import to_xlsx
from core.session import log_in
from db.server.launcher import EmbeddedServer
from kernel.settings import Settings

BIGGEST_GROUP = """
SELECT t.group_id FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id
 GROUP BY t.group_id ORDER BY count(*) DESC, t.group_id LIMIT 1
"""


def median_ms(action: Callable[[], Any], runs: int) -> float:
    """Median milliseconds of ``action`` after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def attendance(conn: Any, dates: Dates, by: str) -> Any:
    """The attendance report as the program builds it (summed in the database)."""
    return totals_table(queries.attendance_totals(conn, dates.first, dates.last, by), by, "",
                        queries.attendance_totals(conn, dates.first, dates.last, "month"))


def year_reports(conn: Any, dates: Dates) -> None:
    """Performance and attendance of every group for the dates."""
    performance_table(queries.results(conn, dates.first, dates.last), "group", "")
    attendance(conn, dates, "group")


def measure(settings: Settings, office: Any, teacher: Any, smoke: bool) -> None:
    """Every figure, printed as it is measured."""
    runs = 2 if smoke else 5
    session = log_in(settings, office.login, office.password)
    dates = school_year(session)
    conn = session.conn
    with EmbeddedServer(settings).connect_superuser(settings.dbname) as owner:
        found = interleaved_ratio(lambda: year_reports(conn, dates),
                                  lambda: year_reports(owner, dates), 2 * runs, warm_up=1)
        group = owner.execute(BIGGEST_GROUP).fetchone()[0]
    print(f"report_year_college_ms: {found.role_ms:.1f}\nreport_owner_ms: {found.owner_ms:.1f}\n"
          f"report_rls_ratio: {found.ratio:.2f}", flush=True)
    teaching = log_in(settings, teacher.login, teacher.password)
    print(f"report_teacher_ms: {median_ms(lambda: year_reports(teaching.conn, dates), runs):.1f}",
          flush=True)
    teaching.close()
    gaps = median_ms(lambda: queries.gaps(conn, dates.first, dates.last), runs)
    print(f"monitoring_all_ms: {gaps:.1f}", flush=True)

    def forecast() -> None:
        rows = queries.forecast_rows(conn, dates.first, dates.last, group)
        forecast_table(rows, "")
        risk_table(rows, "", dates.last)

    print(f"group_forecast_ms: {median_ms(forecast, runs):.1f}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        tables = [performance_table(queries.results(conn, dates.first, dates.last), "group", ""),
                  attendance(conn, dates, "student")]
        to_xlsx(tables, Path(folder) / "reports.xlsx")
        print(f"report_xlsx_s: {time.perf_counter() - started:.2f}", flush=True)
        print(f"  # xlsx rows: {sum(len(t.rows) for t in tables)}", file=sys.stderr)
    session.close()
    page_ratio(settings, teacher, 20 if smoke else 200)


def page_ratio(settings: Settings, teacher: Any, rounds: int) -> None:
    """The journal page read as its teacher against the superuser (bench/journal_page.py)."""
    from journal_page import BIGGEST, rls_figures

    session = log_in(settings, teacher.login, teacher.password)
    load_id = session.conn.execute(BIGGEST, (session.person.person_id,)).fetchone()[0]
    rls_figures(settings, session, load_id, rounds, "page_rls_ratio")
    session.close()


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the demo and measure the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_options(parser)
    parser.add_argument("--scale", choices=("small", "college"), default="college",
                        help="the demo's size (small is --smoke)")
    args = parser.parse_args(argv)
    args.smoke = args.smoke or args.scale == "small"
    with demo_server(args) as (settings, accounts):
        measure(settings, account(accounts, "работник учебной части"),
                account(accounts, "преподаватель"), args.smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
