"""Change notifications cannot be forged or replayed (issue 10, item 11).

The attack: anyone could `SELECT pg_notify('journal_changes', '37')` (or NOTIFY) and make
every open page of load 37 reload. A note is now "load:stamp:mac", signed by the database;
the page's listener asks journal.verified_changes() and ignores a note it has already seen.
"""

from __future__ import annotations

import threading
import time

import psycopg

from core.journal.sync import PageListener
from tests.security.conftest import connect_as
from tests.security.world import World


def _wait_listening(su: psycopg.Connection, login: str) -> None:
    deadline = time.monotonic() + 10
    while su.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s "
                     "AND query = 'LISTEN journal_changes'", (login,)).fetchone() == (0,):
        assert time.monotonic() < deadline, "the listener did not start"
        time.sleep(0.05)


def test_forged_and_replayed_notes_reload_nothing(world: World, sec_db, su, login_as) -> None:
    la = world.load["la"]
    changes: list[float] = []
    changed = threading.Event()

    def on_change() -> None:
        changes.append(time.monotonic())
        changed.set()

    listener = PageListener(lambda: connect_as(sec_db, world.login["teacher"]), la, on_change)
    spy = login_as("student")                       # a student listens and forges
    spy.execute("LISTEN journal_changes")
    listener.start()
    try:
        _wait_listening(su, world.login["teacher"])
        stamp = int(time.time() * 1_000_000)
        for note in (str(la), f"{la}:{stamp}:{'0' * 32}", f"{la}:{stamp}:forged"):
            spy.execute("SELECT pg_notify('journal_changes', %s)", (note,))
        spy.execute(f"NOTIFY journal_changes, '{la}'")
        assert not changed.wait(1.5), "a forged note reloaded the page"

        login_as("office").execute(                  # a genuine change by another session
            "UPDATE journal.attendance SET code = 'НУ' WHERE lesson_id = %s",
            (world.lesson["la1"],))
        assert changed.wait(5), "a genuine change went unnoticed"
        genuine = [n.payload for n in spy.notifies(timeout=1, stop_after=6)
                   if n.pid != spy.info.backend_pid]
        assert genuine and genuine[0].startswith(f"{la}:")
        assert spy.execute("SELECT journal.verified_changes(%s)",
                           (genuine,)).fetchone() == ([la],)
        changed.clear()
        spy.execute("SELECT pg_notify('journal_changes', %s)", (genuine[0],))   # a replay
        assert not changed.wait(1.5), "a replayed note reloaded the page"
        assert len(changes) == 1
    finally:
        listener.stop()
    assert spy.execute("SELECT journal.verified_changes(ARRAY[%s, %s])",
                       (f"{la}:{stamp}:{'0' * 32}", str(la))).fetchone() == ([],)
