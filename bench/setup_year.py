"""Generating the year's lessons from the timetable for the whole college (issue 13).

Run ``python bench/setup_year.py`` (``--smoke`` for the small demo, a fast check). The demo
college (about sixty groups at college scale) gets a next academic year: its periods, bells,
public holidays and transfers, and the demo's teaching load, КТП and timetable copied into
it. Then the office, under its own login and row-level security, previews the year's lessons
and writes them; a second run must add nothing.

Prints ``name: value`` lines:

- ``calendar_year_s`` — preview and writing of every lesson of the year (target ≤ 5);
- ``preview_s`` — the preview alone (nothing written);
- ``rerun_s`` — the second run, which finds every lesson there;
- ``lessons_generated``, ``groups`` — what was generated.
"""

from __future__ import annotations

import argparse
import sys
import time

from common import account, add_server_options, demo_server, timed  # type: ignore[import-not-found]

from core.calendar.generate import plan_year, write_plan
from core.calendar.year import copy_bells, find_year, import_public_holidays
from core.session import log_in
from db.server.launcher import EmbeddedServer

COPY = """
WITH old AS (SELECT id, starts_on FROM journal.academic_year ORDER BY starts_on DESC LIMIT 1),
new_year AS (
    INSERT INTO journal.academic_year (title, starts_on, ends_on)
    SELECT (extract(year FROM y.starts_on)::int + 1) || '/' || (extract(year FROM y.starts_on)::int + 2),
           (y.starts_on + interval '1 year')::date, (y.ends_on + interval '1 year')::date
      FROM journal.academic_year y JOIN old ON old.id = y.id
    RETURNING id, title)
INSERT INTO journal.period (year_id, number, title, starts_on, ends_on)
SELECT n.id, p.number, p.title, (p.starts_on + interval '1 year')::date,
       (p.ends_on + interval '1 year')::date
  FROM journal.period p JOIN old ON old.id = p.year_id CROSS JOIN new_year n
RETURNING year_id
"""
LOADS = """
WITH pairs AS (
    SELECT o.id AS old_id, n.id AS new_id FROM journal.period o
      JOIN journal.period n ON n.number = o.number AND n.year_id = %(new)s
     WHERE o.year_id = %(old)s),
loads AS (
    INSERT INTO journal.teaching_load (period_id, group_id, subgroup_id, discipline_id,
                                       curriculum_item_id, teacher_id, planned_hours, pass_fail)
    SELECT p.new_id, t.group_id, t.subgroup_id, t.discipline_id, t.curriculum_item_id,
           t.teacher_id, t.planned_hours, t.pass_fail
      FROM journal.teaching_load t JOIN pairs p ON p.old_id = t.period_id
    RETURNING id, period_id, group_id, subgroup_id, discipline_id),
map AS (
    SELECT t.id AS old_id, l.id AS new_id FROM loads l JOIN pairs p ON p.new_id = l.period_id
      JOIN journal.teaching_load t ON t.period_id = p.old_id AND t.group_id = l.group_id
       AND t.discipline_id = l.discipline_id AND t.subgroup_id IS NOT DISTINCT FROM l.subgroup_id),
slots AS (
    INSERT INTO journal.timetable_slot (load_id, weekday, pair_no, week_parity, room)
    SELECT m.new_id, s.weekday, s.pair_no, s.week_parity, s.room
      FROM journal.timetable_slot s JOIN map m ON m.old_id = s.load_id RETURNING 1)
INSERT INTO journal.ktp_topic (load_id, position, title, lesson_type, hours, homework)
SELECT m.new_id, k.position, k.title, k.lesson_type, k.hours, k.homework
  FROM journal.ktp_topic k JOIN map m ON m.old_id = k.load_id
"""


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the demo, open the next year, time its lessons' generation."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_server_options(parser)
    args = parser.parse_args(argv)
    with demo_server(args) as (settings, accounts):
        with EmbeddedServer(settings).connect_superuser(settings.dbname) as su:
            old = su.execute("SELECT id FROM journal.academic_year ORDER BY starts_on DESC LIMIT 1"
                             ).fetchone()[0]
            new = su.execute(COPY).fetchone()[0]
            su.execute(LOADS, {"old": old, "new": new})
            copy_bells(su, old, new)
            title = su.execute("SELECT title FROM journal.academic_year WHERE id = %s", (new,)).fetchone()[0]
            import_public_holidays(su, find_year(su, title))
            groups = su.execute("SELECT count(DISTINCT group_id) FROM journal.teaching_load t "
                                "JOIN journal.period p ON p.id = t.period_id WHERE p.year_id = %s",
                                (new,)).fetchone()[0]
        office = account(accounts, "учебной части")
        session = log_in(settings, office.login, office.password)
        try:
            conn = session.conn
            timed("preview_s", lambda: plan_year(conn, new))
            started = time.perf_counter()
            written = write_plan(conn, plan_year(conn, new))
            print(f"calendar_year_s: {time.perf_counter() - started:.2f}")
            again = timed("rerun_s", lambda: write_plan(conn, plan_year(conn, new)))
        finally:
            session.close()
    print(f"lessons_generated: {written}")
    print(f"groups: {groups}")
    if again:
        print(f"the second run added {again} lessons", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
