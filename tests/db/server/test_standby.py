"""A streaming standby for reports (issue 15, item 5; docs/scaling.md): a second embedded
server copied from the first by pg_basebackup (standby.signal, primary_conninfo) follows its
writes, and a person's report connection reads there through ``report_host``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from db import migrate
from db.accounts import create_account
from db.connect import Credentials
from db.server.launcher import EmbeddedServer
from db.server.standby import make_standby, wait_caught_up
from kernel.settings import Settings
from tests.conftest import TEMP_PREFIX, TEST_CONF, discard_cluster, free_port, temp_root, throwaway_server

DB, LOGIN, PASSWORD = "ej_standby", "standby.t", "Standby-pass-42"


@pytest.fixture
def primary() -> Iterator[tuple[EmbeddedServer, int]]:
    """A throwaway server with a migrated journal and one teacher with an account."""
    with throwaway_server() as server:
        with server.connect_superuser() as conn:
            conn.execute(f"CREATE DATABASE {DB}")
        settings = Settings(data_dir=str(server.layout.data_dir), port=server.status().port,
                            dbname=DB)
        with server.connect_superuser(DB) as conn:
            migrate.upgrade(conn)
            person = conn.execute("INSERT INTO journal.person (surname, name) VALUES "
                                  "('Прежняя', 'Анна') RETURNING id").fetchone()[0]
            conn.execute("INSERT INTO journal.person_role VALUES (%s, 'teacher')", (person,))
            create_account(conn, person, LOGIN, PASSWORD, settings=settings, must_change=False)
        yield server, person


@pytest.fixture
def standby_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=temp_root()))
    folder.chmod(0o755)
    yield folder
    discard_cluster(folder)


def test_reports_read_on_a_streaming_standby(primary: tuple[EmbeddedServer, int],
                                             standby_folder: Path) -> None:
    server, person = primary
    standby = make_standby(server, Settings(data_dir=str(standby_folder), port=free_port()),
                           durable=False, conf=TEST_CONF, person_databases=("all",))
    assert (standby.layout.cluster_dir / "standby.signal").exists()
    assert "primary_conninfo" in (standby.layout.cluster_dir / "postgresql.auto.conf").read_text()
    with server.connect_superuser(DB) as conn:        # written after the copy was made
        conn.execute("UPDATE journal.person SET surname = 'Новая' WHERE id = %s", (person,))
    wait_caught_up(server, standby)

    base = Settings(data_dir=str(server.layout.data_dir), port=server.status().port, dbname=DB)
    settings = Settings(**{**base.__dict__, "report_host": str(standby.layout.socket_dir),
                           "report_port": standby.status().port})
    with Credentials.from_typed(settings, LOGIN, PASSWORD).connect_reports() as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
        row = conn.execute("SELECT surname FROM journal.person WHERE id = %s", (person,)).fetchone()
        assert row is not None and row[0] == "Новая"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("UPDATE journal.person SET surname = 'Иная' WHERE id = %s", (person,))
    with Credentials.from_typed(base, LOGIN, PASSWORD).connect_reports() as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is False
