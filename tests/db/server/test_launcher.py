"""The embedded server: life cycle, crash recovery and the authentication boundary."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from db.server.launcher import EmbeddedServer
from kernel.errors import ServerError
from kernel.settings import Settings
from tests.conftest import FreshDb, temp_root, throwaway_server

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def own_server() -> Iterator[EmbeddedServer]:
    """A server of this module alone: these tests stop and kill it."""
    with throwaway_server() as server:
        yield server


def _wait_stopped(server: EmbeddedServer, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while server.status().running and time.monotonic() < deadline:
        time.sleep(0.05)


def _conninfo(server: EmbeddedServer, via: str, **params: str) -> str:
    state = server.status()
    host = str(state.socket_dir) if via == "socket" else "127.0.0.1"
    return make_conninfo(
        "", host=host, port=str(state.port), user=server.superuser, dbname="postgres",
        passfile="/nonexistent", gssencmode="disable", sslmode="disable", **params,
    )


def test_start_is_idempotent(own_server: EmbeddedServer) -> None:
    first = own_server.start()
    second = EmbeddedServer(own_server.settings).start()
    assert first.running and second.running
    assert first.pid == second.pid
    assert first.superuser == "ejournal_su"
    assert first.socket_dir == own_server.layout.socket_dir
    assert first.version.startswith("18")


def test_stop_then_start(own_server: EmbeddedServer) -> None:
    old = own_server.start().pid
    stopped = own_server.stop()
    assert not stopped.running and stopped.pid is None
    assert own_server.stop() == stopped
    started = own_server.start()
    assert started.running and started.pid != old
    with own_server.connect_superuser() as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_recovers_from_killed_postmaster(own_server: EmbeddedServer) -> None:
    pid = own_server.start().pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    _wait_stopped(own_server)
    assert not own_server.status().running
    assert own_server.layout.pid_file.exists()
    restarted = own_server.start()
    assert restarted.running and restarted.pid != pid
    with own_server.connect_superuser() as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_server_outlives_killed_parent(own_server: EmbeddedServer) -> None:
    own_server.stop()
    script = (
        "import os, signal\n"
        "from kernel.settings import Settings\n"
        "from db.server.launcher import EmbeddedServer\n"
        f"s = EmbeddedServer(Settings(data_dir={str(own_server.layout.data_dir)!r},"
        f" port={own_server.settings.port}), durable=False)\n"
        "print(s.start().pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    reused = EmbeddedServer(own_server.settings).start()
    assert reused.pid == int(child.stdout.split()[0])


def test_busy_port_is_a_plain_error(own_server: EmbeddedServer) -> None:
    own_server.stop()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", own_server.settings.port))
        squatter.listen()
        with pytest.raises(ServerError, match=r"Порт .* занят"):
            own_server.start()
    assert own_server.start().running


@pytest.mark.parametrize("via", ["socket", "tcp"])
@pytest.mark.parametrize("password", [None, "wrong-password"])
def test_connection_without_right_password_is_refused(
    pg_server: EmbeddedServer, via: str, password: str | None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Security acceptance: no trust, no peer; only the password lets one in."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    extra = {} if password is None else {"password": password}
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(_conninfo(pg_server, via, **extra), connect_timeout=5).close()


@pytest.mark.parametrize("via", ["socket", "tcp"])
def test_superuser_password_connects(pg_server: EmbeddedServer, via: str) -> None:
    password = pg_server.superuser_password()
    with psycopg.connect(_conninfo(pg_server, via, password=password)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("ejournal_su",)


def test_authentication_rules(pg_server: EmbeddedServer) -> None:
    with pg_server.connect_superuser() as conn:
        methods = {row[0] for row in conn.execute("SELECT auth_method FROM pg_hba_file_rules")}
        settings: dict[str, str] = dict(conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN "
            "('listen_addresses', 'password_encryption', 'unix_socket_permissions', 'fsync')"
        ).fetchall())
        verifier = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'ejournal_su'").fetchone()
    assert methods == {"scram-sha-256"}
    assert settings["listen_addresses"] == "127.0.0.1"
    assert settings["password_encryption"] == "scram-sha-256"
    assert settings["unix_socket_permissions"] == "0777"
    assert verifier is not None and verifier[0].startswith("SCRAM-SHA-256$")


def test_password_file_is_private(pg_server: EmbeddedServer) -> None:
    info = pg_server.layout.password_file.stat()
    assert info.st_mode & 0o777 == 0o600
    assert info.st_uid == os.geteuid()


@pytest.mark.skipif(os.geteuid() != 0, reason="other OS accounts exist only for root")
@pytest.mark.parametrize("account", ["ejournal-pg", "nobody"])
def test_other_os_accounts_need_the_password(pg_server: EmbeddedServer, account: str) -> None:
    """Even the server's own account gets no peer login over the socket."""
    state = pg_server.status()
    result = subprocess.run(
        [pg_server.bin_path("psql"), "-w", "-h", str(state.socket_dir), "-p", str(state.port),
         "-U", "ejournal_su", "-d", "postgres", "-c", "SELECT 1"],
        user=account, env={"PATH": "/usr/bin:/bin", "PGPASSFILE": "/nonexistent"},
        cwd="/", capture_output=True, text=True, timeout=30,
    )
    assert result.returncode != 0
    assert "password" in result.stderr


def test_missing_binaries_are_a_plain_error() -> None:
    with tempfile.TemporaryDirectory(dir=temp_root()) as folder:
        Path(folder).chmod(0o755)
        server = EmbeddedServer(Settings(data_dir=folder, pg_bin="/nonexistent/bin"))
        with pytest.raises(ServerError, match="Не найдены программы PostgreSQL"):
            server.start()


def test_unwritable_data_dir_is_a_plain_error() -> None:
    server = EmbeddedServer(Settings(data_dir="/proc/ejournal-test"))
    with pytest.raises(ServerError, match="Нет прав на запись"):
        server.start()


def test_fresh_db_is_a_migrated_copy(fresh_db: FreshDb) -> None:
    with psycopg.connect(fresh_db.conninfo) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == (fresh_db.dbname,)
        ledger = conn.execute("SELECT to_regclass('public.ejournal_migration')").fetchone()
    assert ledger == ("ejournal_migration",)


def test_fresh_db_is_dropped_afterwards(pg_server: EmbeddedServer, fresh_db: FreshDb) -> None:
    with pg_server.connect_superuser() as conn:
        names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
    assert {name for name in names if name.startswith("test_")} == {fresh_db.dbname}
