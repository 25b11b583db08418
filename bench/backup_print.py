"""Printing and backup on the college-scale demo (issue 6; R15, R22).

Run ``python bench/backup_print.py`` (``--smoke`` for the small demo, a fast check). The demo
is built into an isolated embedded server in a new temporary folder (a person's own demo is
never touched) and removed afterwards; ``--data-dir DIR --keep`` builds it once and reuses
it on later runs. Prints, one per line::

    summary_all_groups_s: X   summary statements of every group for the year (PDF), as admin
    group_year_journal_s: X   the year's journal of the group with the most lessons (PDF)
    backup_two_dest_s: X      one backup written to two destinations (core.backup.run)
    verify_s: X               checksums and trial restore of that copy (core.backup.verify)

The prints run through the demo administrator's own login, so row-level security applies
as it does in the program. Targets: summary ≤ 30 s, journal ≤ 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import account, add_server_options, demo_server, timed

from core.printouts.jobs import PrintKind, PrintRequest, print_job
from demo.setup import DemoAccount
from kernel.settings import Settings
from printing.registry import printing_renderers

BIGGEST_GROUP = """
SELECT g.name FROM journal.lesson l
  JOIN journal.teaching_load t ON t.id = l.load_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.study_group g ON g.id = t.group_id
 WHERE p.year_id = (SELECT id FROM journal.academic_year
                     ORDER BY (current_date BETWEEN starts_on AND ends_on) DESC, starts_on DESC
                     LIMIT 1)
 GROUP BY g.name ORDER BY count(*) DESC, g.name LIMIT 1
"""


def _prints(settings: Settings, accounts: list[DemoAccount], out: Path) -> None:
    from core.session import log_in

    admin = account(accounts, "заведующий")
    session = log_in(settings, admin.login, admin.password)
    renderers = printing_renderers()
    try:
        conn = session.conn
        row = conn.execute(BIGGEST_GROUP).fetchone()
        summary = PrintRequest(PrintKind.SUMMARY, all_groups=True)
        files = timed("summary_all_groups_s",
                       lambda: print_job(conn, summary, out / "summary", renderers=renderers))
        print(f"  # {len(files)} files, {sum(f.pages for f in files)} pages", file=sys.stderr)
        if row is not None:
            journal = PrintRequest(PrintKind.JOURNAL, groups=(row[0],))
            files = timed("group_year_journal_s",
                           lambda: print_job(conn, journal, out / "journal", renderers=renderers))
            print(f"  # {row[0]}: {files[0].pages} pages", file=sys.stderr)
    finally:
        session.close()


def _backup(settings: Settings, work: Path) -> None:
    try:
        from core.backup.auth import setup_credentials
        from core.backup.config import BackupPolicy, BackupSetup
        from core.backup.run import run_backup
        from core.backup.verify import verify_copy
    except ImportError:
        print("  # core.backup.run is not there yet: backup not measured", file=sys.stderr)
        return
    dirs = (work / "disk-a", work / "disk-b")
    for folder in dirs:
        folder.mkdir(parents=True, exist_ok=True)
    settings = replace(settings, backup_dirs=tuple(str(d) for d in dirs))
    group = "root" if os.geteuid() == 0 else ""
    policy = BackupPolicy(home=str(work / "backup-home"), group=group)
    setup_credentials(BackupSetup(settings, policy))
    run = timed("backup_two_dest_s", lambda: run_backup(settings, policy=policy, rotate=False))
    if run.copies:
        timed("verify_s", lambda: verify_copy(settings, run.copies[0], policy=policy))


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the demo, then time printing and backup."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_options(parser)
    parser.add_argument("--no-backup", action="store_true", help="measure printing only")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ejournal-bench-out-"))
    try:
        with demo_server(args) as (settings, accounts):
            _prints(settings, accounts, work)
            if not args.no_backup:
                _backup(settings, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
