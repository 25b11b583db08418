"""Setting up a college from the office's sheets: ``import_college_s`` (target ≤ 10 s).

Run ``python bench/setup_import.py`` (``--smoke`` for the small sample college, a fast
check). An isolated embedded server gets an empty migrated database and one administrator;
the demo builder writes the college-scale sheets (60 groups, 1,500 students, 3,000 parents,
120 staff, the load, its КТП and the timetable, as CSV) and the administrator imports them
all, under their own login and row-level security, list after list. A second import of the
same files must change nothing (``reimport_s``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from common import _folder, add_server_options, free_port, timed

from core.catalogue.importer import import_folder
from core.session import log_in
from db.accounts import create_account
from db.bootstrap import connect_admin, ensure_database
from db.server.launcher import EmbeddedServer
from demo.samples import write_samples
from kernel.settings import Settings

PASSWORD = "bench-admin-password"


def _admin(settings: Settings) -> str:
    with connect_admin(settings) as conn:
        row = conn.execute("INSERT INTO journal.person (surname, name) VALUES ('Юдина', "
                           "'Валентина') RETURNING id").fetchone()
        assert row is not None
        conn.execute("INSERT INTO journal.person_role VALUES (%s, 'admin')", (row[0],))
        create_account(conn, row[0], "bench.admin", PASSWORD, settings=settings,
                       must_change=False)
    return "bench.admin"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_server_options(parser)
    args = parser.parse_args()
    folder, ours = _folder(args.data_dir)
    folder.chmod(0o755)
    settings = Settings(data_dir=str(folder), port=free_port(), dbname="ejournal_setup_bench")
    server = EmbeddedServer(settings)
    sheets = Path(tempfile.mkdtemp(prefix="ejournal-bench-sheets-"))
    try:
        server.start()
        ensure_database(settings)
        login = _admin(settings)
        scale = "small" if args.smoke else "college"
        files = timed("write_sheets_s", lambda: write_samples(sheets, scale, fmt="csv"))
        print(f"  # {len(files)} files, scale {scale}", file=sys.stderr)
        session = log_in(settings, login, PASSWORD)
        try:
            done = timed("import_college_s", lambda: import_folder(session.conn, sheets))
            bad = [(p.name, [str(x) for x in r.preview.problems[:3]]) for p, r in done
                   if not r.written]
            top = [p for p in files if p.parent == sheets]
            if bad or len(done) != len(top):
                print(f"import failed: {bad}", file=sys.stderr)
                return 1
            print(f"rows_imported: {sum(len(r.preview.rows) for _, r in done)}")
            for path, result in done:
                print(f"  # {path.name}: {len(result.preview.rows)} rows, "
                      f"{result.seconds:.2f} s", file=sys.stderr)
            again = timed("reimport_s", lambda: import_folder(session.conn, sheets))
            if any(r.inserted or r.updated for _, r in again):
                print("the second import changed rows", file=sys.stderr)
                return 1
        finally:
            session.close()
    finally:
        shutil.rmtree(sheets, ignore_errors=True)
        if not args.keep:
            server.stop("fast")
            if ours:
                shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
