"""Where the embedded server keeps its files, and the text of those it writes itself.

Layout of the data directory (``Settings.data_dir``)::

    superuser.pass   password of the bootstrap superuser (mode 0600, the program's user)
    pgdata/          the cluster (PGDATA), owned by the server's account, mode 0700
    socket/          the Unix socket, mode 0755; the socket itself is 0777
    log/             server logs and ``launcher.log`` (details of every start and stop)
    .server.lock     serialises start and stop of this data directory
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kernel.settings import Settings

SUPERUSER = "ejournal_su"
CONF_NAME = "ejournal.conf"
SOCKET_PATH_MAX = 107


@dataclass(frozen=True)
class Layout:
    """Paths of one embedded server."""

    data_dir: Path
    cluster_dir: Path
    socket_dir: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> Layout:
        """The layout under ``settings.data_dir``."""
        return cls(
            Path(settings.data_dir).absolute(),
            Path(settings.cluster_dir).absolute(),
            Path(settings.socket_dir).absolute(),
        )

    @property
    def log_dir(self) -> Path:
        """Server logs and the launcher's log."""
        return self.data_dir / "log"

    @property
    def password_file(self) -> Path:
        """The bootstrap superuser's password."""
        return self.data_dir / "superuser.pass"

    @property
    def lock_file(self) -> Path:
        """Lock held while starting or stopping."""
        return self.data_dir / ".server.lock"

    @property
    def startup_log(self) -> Path:
        """Output of the server before its log collector takes over."""
        return self.log_dir / "startup.log"

    @property
    def pid_file(self) -> Path:
        """PostgreSQL's own lock file of the cluster."""
        return self.cluster_dir / "postmaster.pid"

    def socket_file(self, port: int) -> Path:
        """The Unix socket of ``port``."""
        return self.socket_dir / f".s.PGSQL.{port}"


class LaunchLog:
    """Appends details (commands, their output, tracebacks) to ``log/launcher.log``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, text: str) -> None:
        """Append one timestamped entry; a log that cannot be written is skipped."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n")
            self.path.chmod(0o600)
        except OSError:
            return

    def tail_of(self, path: Path, lines: int = 40) -> None:
        """Copy the last lines of another log (the server's) into this one."""
        try:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        except OSError:
            return
        self.write(f"--- tail of {path} ---\n" + "\n".join(text))


@dataclass(frozen=True)
class PidInfo:
    """What ``postmaster.pid`` says about a (maybe stale) server."""

    pid: int
    port: int | None
    socket_dir: str
    state: str


def read_pidfile(path: Path) -> PidInfo | None:
    """Parse ``postmaster.pid``; None when absent or unreadable."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        pid = int(lines[0])
    except (OSError, IndexError, ValueError):
        return None
    fields = [*lines, "", "", "", "", "", "", "", ""]
    port = int(fields[3]) if fields[3].strip().isdigit() else None
    return PidInfo(pid, port, fields[4].strip(), fields[7].strip())


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def server_conf(layout: Layout, port: int, overrides: Mapping[str, str]) -> str:
    """Text of ``ejournal.conf``, included from ``postgresql.conf`` and rewritten each start."""
    values = {
        "listen_addresses": "127.0.0.1",
        "port": str(port),
        "unix_socket_directories": str(layout.socket_dir),
        "unix_socket_permissions": "0777",
        "password_encryption": "scram-sha-256",
        "max_connections": "200",
        "shared_buffers": "128MB",
        "fsync": "on",
        "logging_collector": "on",
        "log_directory": str(layout.log_dir),
        "log_filename": "postgresql-%a.log",
        "log_file_mode": "0600",
        "log_truncate_on_rotation": "on",
        "log_rotation_age": "1d",
        "log_rotation_size": "0",
        # The login guard (migration 0009) reads failed logins from the JSON log, and
        # auth_delay slows every failed attempt: together they stop password guessing.
        "log_destination": "stderr,jsonlog",
        "shared_preload_libraries": "auth_delay",
        "auth_delay.milliseconds": "500",
        # A person holding a table lock others wait for is named in the log (issue 10).
        "log_lock_waits": "on",
        "log_connections": "off",
        "log_disconnections": "off",
        "log_line_prefix": "%m [%p] %q%u@%d ",
        "lc_messages": "C",
        **overrides,
    }
    lines = ["# Written by ejournal at every start; edit the program's settings instead."]
    lines += [f"{key} = {_quote(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _hba_word(name: str) -> str:
    """A database name as pg_hba.conf writes it (quoted unless plain lowercase)."""
    if name == "all" or (name.replace("_", "").isalnum() and name.isascii() and name.islower()):
        return name
    return '"' + name.replace('"', '""') + '"'


def hba_conf(person_databases: Sequence[str]) -> str:
    """Text of ``pg_hba.conf``: SCRAM for every connection; only the server's superuser
    reaches every database, everyone else (persons, the backup role) only the journal's
    (``person_databases``; ``all`` for the test servers, whose databases come and go).
    A person is refused before any password check anywhere else: no guessing there, no
    login that the journal's login guard does not see. The superuser may also replicate
    (``pg_basebackup``, a standby's ``primary_conninfo``)."""
    databases = ",".join(_hba_word(name) for name in person_databases) or "all"
    width = max(len(databases), len("replication"))
    rows = [("local", "all", SUPERUSER, ""), ("host", "all", SUPERUSER, "127.0.0.1/32"),
            ("host", "all", SUPERUSER, "::1/128"), ("local", databases, "all", ""),
            ("host", databases, "all", "127.0.0.1/32"), ("host", databases, "all", "::1/128"),
            # a streaming standby for reports (docs/scaling.md) copies and follows as the superuser
            ("local", "replication", SUPERUSER, ""),
            ("host", "replication", SUPERUSER, "127.0.0.1/32")]
    lines = [
        "# Written by ejournal at every start. Every connection needs its password",
        "# (SCRAM-SHA-256): row-level security is only as strong as this file. No trust, no",
        "# peer; persons reach the journal's database only.",
        f"# {'TYPE':<6}{'DATABASE':<{width + 2}}{'USER':<13}{'ADDRESS':<15}METHOD",
    ]
    lines += [f"{kind:<8}{db:<{width + 2}}{user:<13}{address:<15}scram-sha-256"
              for kind, db, user, address in rows]
    return "\n".join(lines) + "\n"


INCLUDE_LINE = f"\n# ejournal's own settings (port, socket, logging) follow.\ninclude '{CONF_NAME}'\n"
