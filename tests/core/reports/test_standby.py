"""Reports read on the ``report_host`` streaming standby (issue 14; docs/scaling.md), and on
the primary with a Russian note when the standby does not answer.

The proof that a report reads there: with the standby's replay paused, a check recorded on
the primary is not in the report; once replay resumes it is. Writes stay on the primary.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.reports import service, source
from core.session import log_in
from db.accounts import create_account
from db.server.launcher import EmbeddedServer
from db.server.standby import make_standby, wait_caught_up
from kernel.settings import Settings
from tests.conftest import TEST_CONF, free_port
from tests.db.server.test_standby import DB, primary, standby_folder  # noqa: F401  (fixtures)

OFFICE, OFFICE_PASSWORD = "office.t", "Office-pass-42"
DATES = service.Dates(dt.date(2026, 11, 23), dt.date(2026, 12, 6))


def _record_check(server: EmbeddedServer, office: int, note: str) -> None:
    with server.connect_superuser(DB) as conn:
        conn.execute("""INSERT INTO journal.control_check (checked_by, date_from, date_to, note)
                        VALUES (%s, %s, %s, %s)""", (office, DATES.first, DATES.last, note))


def test_reports_read_on_the_standby_and_fall_back(primary: tuple[EmbeddedServer, int],  # noqa: F811
                                                   standby_folder: Path) -> None:  # noqa: F811
    server, _teacher = primary
    base = Settings(data_dir=str(server.layout.data_dir), port=server.status().port, dbname=DB)
    with server.connect_superuser(DB) as conn:
        office = conn.execute("INSERT INTO journal.person (surname, name) VALUES "
                              "('Учебная', 'Часть') RETURNING id").fetchone()[0]
        conn.execute("INSERT INTO journal.person_role VALUES (%s, 'office')", (office,))
        create_account(conn, office, OFFICE, OFFICE_PASSWORD, settings=base, must_change=False)
    _record_check(server, office, "первая")
    standby = make_standby(server, Settings(data_dir=str(standby_folder), port=free_port()),
                           durable=False, conf=TEST_CONF, person_databases=("all",))
    wait_caught_up(server, standby)
    settings = Settings(**{**base.__dict__, "report_host": str(standby.layout.socket_dir),
                           "report_port": standby.status().port})
    session = log_in(settings, OFFICE, OFFICE_PASSWORD)
    try:
        assert source.read(session, lambda c: c.execute(
            "SELECT pg_is_in_recovery()").fetchone()[0]).value is True
        with standby.connect_superuser(DB) as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
        _record_check(server, office, "вторая")
        shown = service.control_history(session)
        assert [r[4] for r in shown.rows] == ["первая"] and source.STANDBY_DOWN not in shown.notes
        primary_only = log_in(base, OFFICE, OFFICE_PASSWORD)
        assert [r[4] for r in service.control_history(primary_only).rows] == ["вторая", "первая"]
        primary_only.close()
        assert service.control(session, DATES).rows == ()     # a set-based report works there
        with standby.connect_superuser(DB) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
        wait_caught_up(server, standby)
        assert [r[4] for r in service.control_history(session).rows] == ["вторая", "первая"]

        standby.stop("fast")
        fallen = service.control_history(session)
        assert [r[4] for r in fallen.rows] == ["вторая", "первая"]
        assert fallen.notes[-1] == source.STANDBY_DOWN
        assert source.read(session, lambda c: c.execute(
            "SELECT pg_is_in_recovery()").fetchone()[0]).value is False
        number, _found = service.record_control(session, DATES, "на основном")   # a write
        assert number > 0
    finally:
        session.close()
        standby.stop("fast")


def test_without_report_host_reports_read_on_the_session(primary: tuple[EmbeddedServer, int]  # noqa: F811
                                                         ) -> None:
    server, _teacher = primary
    settings = Settings(data_dir=str(server.layout.data_dir), port=server.status().port,
                        dbname=DB)
    with server.connect_superuser(DB) as conn:
        office = conn.execute("INSERT INTO journal.person (surname, name) VALUES "
                              "('Учебная', 'Часть') RETURNING id").fetchone()[0]
        conn.execute("INSERT INTO journal.person_role VALUES (%s, 'office')", (office,))
        create_account(conn, office, OFFICE, OFFICE_PASSWORD, settings=settings,
                       must_change=False)
    session = log_in(settings, OFFICE, OFFICE_PASSWORD)
    try:
        pid = session.conn.info.backend_pid
        assert source.read(session, lambda c: c.info.backend_pid).value == pid
        assert service.control_history(session).notes == ()
    finally:
        session.close()
