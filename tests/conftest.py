"""Fixtures shared by every test: a throwaway PostgreSQL server and fresh databases.

- ``pg_server`` (session): an :class:`EmbeddedServer` in a new temporary folder that the
  server's unprivileged account can reach, on a free port, without fsync. While it runs,
  ``EJOURNAL_DATA_DIR``, ``EJOURNAL_PORT``, ``EJOURNAL_HOST`` (empty), ``EJOURNAL_CONFIG`` and
  ``EJOURNAL_SYSTEM_CONFIG`` (missing files) point ``load_settings()`` at it, so code under
  test never touches a real installation.
- ``template_db`` (session): database ``ej_template`` migrated by ``db.migrate.upgrade``.
- ``fresh_db`` (function): ``test_<n>`` copied from the template, dropped afterwards together
  with the roles the test created.

Clusters left behind by a killed session are removed at the start of the next one.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ["EJOURNAL_ARGON2_PROFILE"] = "test"
# Outboxes, preferences and logs of the tests never mix with a real user's.
_STATE = tempfile.mkdtemp(prefix="ejournal-test-state-")
os.environ["XDG_STATE_HOME"] = _STATE
os.environ["EJOURNAL_LOG"] = os.path.join(_STATE, "ejournal.log")

from db import migrate  # noqa: E402
from db.server.account import pid_alive  # noqa: E402
from db.server.launcher import EmbeddedServer  # noqa: E402
from kernel.errors import ServerError  # noqa: E402
from kernel.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    import psycopg

TEMP_PREFIX = "ejournal-test-"
OWNER_FILE = "owner.pid"
STALE_AFTER_S = 24 * 3600
TEMPLATE = "ej_template"
TEST_CONF = {"shared_buffers": "32MB", "max_connections": "60", "auth_delay.milliseconds": "50"}
_numbers = itertools.count(1)
_cleaned: list[bool] = []


def _reachable_by_all(folder: Path) -> bool:
    chain = [*reversed(folder.absolute().parents), folder.absolute()]
    return all(p.is_dir() and p.stat().st_mode & stat.S_IXOTH for p in chain)


def temp_root() -> Path:
    """A temporary folder every OS account may enter (pytest's own is mode 700)."""
    for candidate in (tempfile.gettempdir(), "/tmp", "/var/tmp"):
        if _reachable_by_all(Path(candidate)):
            return Path(candidate)
    raise RuntimeError("no temporary folder reachable by the server's account")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _owner_alive(folder: Path) -> bool:
    try:
        pid = int((folder / OWNER_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return False
    return pid_alive(pid)


def _is_stale(folder: Path) -> bool:
    age = time.time() - folder.stat().st_mtime
    if age > STALE_AFTER_S:
        return True
    has_owner = (folder / OWNER_FILE).exists()
    return (has_owner and not _owner_alive(folder)) or (not has_owner and age > 3600)


def discard_cluster(folder: Path) -> None:
    """Stop a throwaway server (if it runs) and delete its folder."""
    with contextlib.suppress(ServerError, OSError):
        EmbeddedServer(Settings(data_dir=str(folder)), durable=False).stop("immediate")
    shutil.rmtree(folder, ignore_errors=True)


def clean_stale_clusters() -> None:
    """Remove this user's throwaway clusters whose session died or that are over a day old."""
    _cleaned.append(True)
    for folder in temp_root().glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_uid == os.geteuid() and _is_stale(folder):
                discard_cluster(folder)


def _start_on_free_port(folder: Path, attempts: int = 3) -> EmbeddedServer:
    for attempt in range(attempts):
        server = EmbeddedServer(
            Settings(data_dir=str(folder), port=free_port()), durable=False, conf=TEST_CONF,
            person_databases=("all",),   # each test has its own database
        )
        try:
            server.start()
            return server
        except ServerError as exc:
            if "Порт" not in str(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def throwaway_server() -> Iterator[EmbeddedServer]:
    """A new embedded server in a fresh temporary folder, removed afterwards."""
    if not _cleaned:
        clean_stale_clusters()
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=temp_root()))
    try:
        folder.chmod(0o755)
        (folder / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        yield _start_on_free_port(folder)
    finally:
        discard_cluster(folder)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[EmbeddedServer]:
    """The session's throwaway PostgreSQL server (superuser: ``pg_server.connect_superuser``)."""
    with throwaway_server() as server, pytest.MonkeyPatch.context() as patch:
        patch.setenv("EJOURNAL_HOST", "")
        patch.setenv("EJOURNAL_DATA_DIR", str(server.layout.data_dir))
        patch.setenv("EJOURNAL_PORT", str(server.status().port))
        patch.setenv("EJOURNAL_CONFIG", str(server.layout.data_dir / "ejournal.toml"))
        patch.setenv("EJOURNAL_SYSTEM_CONFIG", str(server.layout.data_dir / "system.toml"))
        yield server


def _migrate(server: EmbeddedServer, dbname: str) -> None:
    with server.connect_superuser(dbname, autocommit=True) as conn:
        migrate.upgrade(conn)


@pytest.fixture(scope="session")
def template_db(pg_server: EmbeddedServer) -> str:
    """Name of the migrated template database every ``fresh_db`` is copied from."""
    with pg_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
        conn.execute(f"REVOKE ALL ON DATABASE {TEMPLATE} FROM PUBLIC")
    _migrate(pg_server, TEMPLATE)
    with pg_server.connect_superuser(autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
    return TEMPLATE


@dataclass(frozen=True)
class FreshDb:
    """A database of one test: its name, the superuser's conninfo and the server."""

    dbname: str
    conninfo: str
    server: EmbeddedServer

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection:
        """A superuser connection to this database."""
        return self.server.connect_superuser(self.dbname, autocommit=autocommit)


def _role_names(conn: psycopg.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT rolname FROM pg_roles").fetchall()}


def _copy_database_acl(conn: psycopg.Connection, source: str, target: str) -> None:
    """Database grants are not copied with a template; repeat the template's on the copy."""
    from psycopg import sql

    rows = conn.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END,"
        " a.privilege_type FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = %s",
        (source,),
    ).fetchall()
    if not rows:
        return
    name = sql.Identifier(target)
    conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(name))
    for grantee, privilege in rows:
        role = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.SQL(grantee)
        conn.execute(sql.SQL("GRANT {} ON DATABASE {} TO {}").format(
            sql.SQL(privilege), name, role))


def _drop_new_roles(conn: psycopg.Connection, before: set[str]) -> None:
    import psycopg
    from psycopg import sql

    for role in sorted(_role_names(conn) - before):
        with contextlib.suppress(psycopg.Error):
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@contextlib.contextmanager
def clone_database(server: EmbeddedServer, template: str) -> Iterator[str]:
    """A new database copied from ``template``; dropped (with new roles) afterwards."""
    from psycopg import sql

    dbname = f"test_{os.getpid()}_{next(_numbers)}"
    name = sql.Identifier(dbname)
    with server.connect_superuser(autocommit=True) as conn:
        roles = _role_names(conn)
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            name, sql.Identifier(template)))
        _copy_database_acl(conn, template, dbname)
    try:
        yield dbname
    finally:
        with server.connect_superuser(autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            _drop_new_roles(conn, roles)


@pytest.fixture
def fresh_db(pg_server: EmbeddedServer, template_db: str) -> Iterator[FreshDb]:
    """A new database copied from the template; dropped (with new roles) after the test."""
    with clone_database(pg_server, template_db) as dbname:
        yield FreshDb(dbname, pg_server.superuser_conninfo(dbname), pg_server)


from tests.demo_fixture import demo_db, demo_template  # noqa: E402,F401  (fixtures)
