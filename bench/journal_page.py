"""The journal page on the college-scale demo (issue 4): load, open, type, scroll, save.

Run ``python bench/journal_page.py`` (``--smoke`` for the small demo, a fast check;
``--data-dir DIR --keep`` builds the college once and reuses it). Prints one figure a line::

    start_to_login_ms      a fresh process to the login screen drawn (headless), median of 5
    page_load_rls_ms       median of reading one page's data as its teacher (row-level security on)
    page_load_owner_ms     the same as the superuser (row-level security bypassed), interleaved
    rls_ratio              the two above: the median of 200 interleaved pairs' ratios
                           after a warm-up (bench/common.py interleaved_ratio); both sides
                           read through journal.page_rows (migration 0077)
    rls_ratio_vs_statements  the teacher's read against the owner's seven plain statements
    rls_ratio_statements   the seven statements under RLS against the owner's (before 0077)
    page_open_ms           push of the page screen to the grid drawn, median of 5
    key_to_screen_p95_ms   a mark key to the frame that shows it, typing 200 marks (35 × 120)
    scroll_key_p95_ms      an arrow key that scrolls to its frame, walking across all lessons
    wide_ratio             median key-to-screen on 35 × 600 over that on 35 × 120
    commit_p95_ms          a mark key to its change committed, typing continuously
    bulk_1000_ms           1,000 marks saved in one set-based transaction (as the teacher)
    bulk_fill_safe_ms      an F7 column of 35 values written to the outbox (one write, one
                           fsync) before the grid shows it, p95 (target ≤ 20)
    peak_rss_mb            a teacher's program with the page open after typing (own process)

Key-to-frame is measured inside the app (bench/grid_keys.py explains how), not through
Pilot round trips.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import account, add_server_options, demo_server, interleaved_ratio
from grid_keys import BenchApp, FrameProbe, ProbedGrid, make_page, p95, type_marks, walk_right

from core.journal.cell_save import save_changes
from core.journal.outbox import Outbox
from core.journal.outbox_format import CellKey, cell_key
from core.journal.page import Change
from core.journal.queries import read_page
from core.journal.saver import Saver, SaveReport
from core.journal.service import load_page
from core.session import UserSession, log_in
from db.server.launcher import EmbeddedServer
from kernel.marks import MarkValue
from kernel.settings import Settings

HERE = Path(__file__).resolve().parent
BIGGEST = """
SELECT t.id FROM journal.teaching_load t JOIN journal.lesson l ON l.load_id = t.id
 WHERE t.teacher_id = %s AND t.subgroup_id IS NULL
 GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1
"""


def start_to_login(settings: Settings, runs: int) -> float:
    """Median ms from spawning ``ejournal`` to its login screen drawn."""
    env = {**os.environ, "EJOURNAL_DATA_DIR": settings.data_dir, "EJOURNAL_PORT": str(settings.port),
           "EJOURNAL_DBNAME": settings.dbname}
    times = []
    for _ in range(runs):
        env["EJOURNAL_BENCH_T0"] = repr(time.time())
        out = subprocess.run([sys.executable, str(HERE / "login_probe.py")], env=env,
                             capture_output=True, text=True, timeout=60, check=True).stdout
        times.append(float(out.strip().split(": ")[1]))
    return statistics.median(times)


def rls_figures(settings: Settings, session: UserSession, load_id: int, rounds: int,
                label: str = "rls_ratio") -> None:
    """One page read as its teacher against the superuser, interleaved (bench/common.py).

    The page is read by journal.page_rows (0077) on both sides; two more ratios compare the
    teacher's read with the owner's seven plain statements (what the function's reading
    itself costs, on top of the check), and the seven statements under row-level security
    with the owner's (the page's reading before 0077)."""
    with EmbeddedServer(settings).connect_superuser(settings.dbname) as owner:
        found = interleaved_ratio(lambda: read_page(session.conn, load_id),
                                  lambda: read_page(owner, load_id), rounds)
        plain = interleaved_ratio(lambda: read_page(session.conn, load_id),
                                  lambda: read_page(owner, load_id, whole=False), rounds)
        before = interleaved_ratio(lambda: read_page(session.conn, load_id, whole=False),
                                   lambda: read_page(owner, load_id, whole=False), rounds)
    print(f"page_load_rls_ms: {found.role_ms:.2f}\npage_load_owner_ms: {found.owner_ms:.2f}\n"
          f"{label}: {found.ratio:.2f}", flush=True)
    print(f"{label}_vs_statements: {plain.ratio:.2f}\n{label}_statements: {before.ratio:.2f}",
          flush=True)
    print(f"  # owner's statements {plain.owner_ms:.2f} ms; the statements under RLS "
          f"{before.role_ms:.2f} ms against {before.owner_ms:.2f} ms", file=sys.stderr, flush=True)


async def page_open(session: UserSession, load_id: int, runs: int) -> float:
    """Median ms from pushing the journal screen to its grid's first frame."""
    from tui.app import EJournalApp
    from tui.screens.journal.page import JournalScreen

    app = EJournalApp(session.settings, session=session)
    times = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for _ in range(runs):
            drawn = asyncio.Event()
            screen = JournalScreen(session, load_id)
            started = time.perf_counter()
            await app.push_screen(screen)
            while screen.grid is None:
                await asyncio.sleep(0.001)
            screen.grid.call_after_refresh(drawn.set)
            await drawn.wait()
            times.append((time.perf_counter() - started) * 1000)
            for worker in (screen.saver, screen.listener):
                if worker is not None:
                    worker.stop()
            app.pop_screen()
            await pilot.pause()
    return statistics.median(times)


async def keys(page: Any, marks: int) -> tuple[list[float], list[float]]:
    """Typing and scrolling latencies on a page, inside the app."""
    probe = FrameProbe()
    app = BenchApp(page, probe)
    async with app.run_test(size=(160, 48)) as pilot:
        grid = app.query_one(ProbedGrid)
        grid.select_lesson(grid.page.lessons[len(grid.page.lessons) // 2].lesson_id)
        await pilot.pause()
        await type_marks(app, grid, probe, 20)
        typing = await type_marks(app, grid, probe, marks)
        scrolling = await walk_right(app, grid, probe)
    return typing, scrolling


def free_cells(page: Any, kind: str, count: int) -> list[tuple[int, int]]:
    """(student, lesson) cells that can take a mark of ``kind`` now."""
    cells = [(s.student_id, lesson.lesson_id) for lesson in page.lessons for s in page.students
             if _takes_a_mark(page, s.student_id, lesson.lesson_id, kind)]
    return cells[:count]


def _takes_a_mark(page: Any, student_id: int, lesson_id: int, kind: str) -> bool:
    """No mark of the kind yet, the student present and studying that day (the database
    refuses marks of absent students and of those on leave or not enrolled)."""
    cell = page.cell(student_id, lesson_id)
    absent = cell.attendance is not None and cell.attendance.is_absent
    return (cell.mark_for(kind) is None and not absent
            and page.away_sign(student_id, lesson_id) is None)


def commit_latency(session: UserSession, load_id: int, page: Any, count: int) -> float:
    """p95 ms from a key's change handed to the saver (safe on disk) to its transaction committed."""
    done: dict[CellKey, float] = {}

    def on_report(report: SaveReport) -> None:
        now = time.perf_counter()
        for result in report.results:
            done.setdefault(result.edit.key, now)

    saver = Saver(session.new_connection, Outbox.open(session.person.login, session.database_id))
    saver.subscribe(on_report)
    saver.start()
    sent: dict[CellKey, float] = {}
    for student_id, lesson_id in free_cells(page, "test", count):
        change = Change(student_id, lesson_id, "test", None, MarkValue.FOUR)
        sent[cell_key(change)] = time.perf_counter()
        saver.submit(load_id, [change])
        time.sleep(0.04)  # 25 keys a second
    saver.wait_idle(30)
    saver.stop()
    return p95([(done[key] - started) * 1000 for key, started in sent.items() if key in done])


def bulk_fill_safe(session: UserSession, load_id: int, page: Any, count: int = 35) -> float:
    """p95 ms from an F7 column of ``count`` values to all of them safe on disk (one write,
    one fsync in the outbox), measured over 20 columns."""
    box = Outbox.open(session.person.login, session.database_id)
    cells = free_cells(page, "test", count * 20)
    times = []
    for start in range(0, len(cells) - count + 1, count):
        changes = [Change(s, lesson, "test", None, MarkValue.FIVE)
                   for s, lesson in cells[start:start + count]]
        began = time.perf_counter()
        box.add(load_id, changes)
        times.append((time.perf_counter() - began) * 1000)
    box.ack([p.seq for p in box.pending()])
    box.close()
    return p95(times)


def bulk(session: UserSession, page: Any) -> float:
    """ms to save 1,000 marks in one transaction as the teacher."""
    changes = [Change(s, lesson, "independent", None, MarkValue.FIVE)
               for s, lesson in free_cells(page, "independent", 1000)]
    conn = session.new_connection()
    started = time.perf_counter()
    outcomes = save_changes(conn, changes)
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    assert sum(o.status == "applied" for o in outcomes) == len(changes), "bulk changes refused"
    print(f"  # bulk: {len(changes)} marks", file=sys.stderr)
    return elapsed


def page_rss(settings: Settings, teacher: Any, load_id: int, marks: int) -> str:
    """``peak_rss_mb: X`` of a separate program that opened the page and typed ``marks``."""
    env = {**os.environ, "EJOURNAL_DATA_DIR": settings.data_dir, "EJOURNAL_PORT": str(settings.port),
           "EJOURNAL_DBNAME": settings.dbname}
    out = subprocess.run([sys.executable, str(HERE / "page_rss_probe.py"), teacher.login,
                          teacher.password, str(load_id), str(marks)], env=env,
                         capture_output=True, text=True, timeout=300, check=True)
    print(out.stderr.strip(), file=sys.stderr)
    return out.stdout.strip().splitlines()[-1]


def measure(settings: Settings, teacher: Any, smoke: bool) -> None:
    """Every figure, printed as it is measured."""
    runs = 2 if smoke else 5
    print(f"start_to_login_ms: {start_to_login(settings, runs):.1f}", flush=True)
    session = log_in(settings, teacher.login, teacher.password)
    load_id = session.conn.execute(BIGGEST, (session.person.person_id,)).fetchone()[0]
    rls_figures(settings, session, load_id, 20 if smoke else 200)
    print(f"page_open_ms: {asyncio.run(page_open(session, load_id, runs)):.1f}", flush=True)
    page = load_page(session, load_id).page
    print(f"  # page {len(page.students)} x {len(page.lessons)} (load {load_id})", file=sys.stderr)
    typing, scrolling = asyncio.run(keys(page, 20 if smoke else 200))
    wide_typing, wide_scrolling = asyncio.run(keys(make_page(len(page.students), 600),
                                                   20 if smoke else 200))
    print(f"key_to_screen_p95_ms: {p95(typing):.2f}", flush=True)
    print(f"scroll_key_p95_ms: {max(p95(scrolling), p95(wide_scrolling)):.2f}", flush=True)
    print(f"wide_ratio: {statistics.median(wide_typing) / statistics.median(typing):.2f}")
    print(f"commit_p95_ms: {commit_latency(session, load_id, page, 20 if smoke else 200):.2f}",
          flush=True)
    print(f"bulk_1000_ms: {bulk(session, page):.1f}", flush=True)
    print(f"bulk_fill_safe_ms: {bulk_fill_safe(session, load_id, page):.2f}", flush=True)
    print(page_rss(settings, teacher, load_id, 20 if smoke else 200), flush=True)
    print(f"  # load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", file=sys.stderr)
    session.close()


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the demo and measure the journal page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_options(parser)
    parser.add_argument("--rls-only", action="store_true",
                        help="only page_load_rls_ms, page_load_owner_ms and rls_ratio")
    args = parser.parse_args(argv)
    with demo_server(args) as (settings, accounts):
        teacher = account(accounts, "преподаватель")
        if args.rls_only:
            session = log_in(settings, teacher.login, teacher.password)
            load_id = session.conn.execute(BIGGEST, (session.person.person_id,)).fetchone()[0]
            rls_figures(settings, session, load_id, 20 if args.smoke else 200)
            session.close()
        else:
            measure(settings, teacher, args.smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
