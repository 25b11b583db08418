"""Settings of one installation: where the database is and how passwords are derived.

Read, in order of precedence, from ``EJOURNAL_*`` environment variables, from the TOML file
named by ``EJOURNAL_CONFIG`` (default: ``ejournal.toml`` in the user config directory), and
from the defaults below. Settings kept inside the database (college name, rounding rule, …)
live in the ``journal.setting`` table instead.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import platformdirs

from core.errors import ConfigError

APP_NAME = "ejournal"


def _default_data_dir() -> str:
    # root's home is closed to the unprivileged account that runs the server (PostgreSQL
    # refuses to run as root), so root's data lives in a system location instead.
    if os.name == "posix" and os.geteuid() == 0:
        return "/var/lib/ejournal"
    return str(Path(platformdirs.user_data_dir(APP_NAME)))


@dataclass(frozen=True)
class Settings:
    """Connection and installation settings.

    Attributes:
        host: Server host name, or a directory holding the Unix socket. Empty means the
            embedded server of this machine.
        port: TCP port of the server (also names the Unix socket file).
        dbname: Database name.
        data_dir: Where the embedded server keeps its cluster, logs and backups.
        pg_bin: A directory with PostgreSQL binaries to use instead of the embedded package.
        auth_salt: The installation's fixed part of the argon2 salt; changing it changes every
            derived password (a migration of every password).
        argon2_profile: ``rfc9106-low`` in production; ``test`` only for the test suite.
        sslmode: libpq ``sslmode`` used for TCP connections to a college server.
        idle_lock_minutes: Lock the screen after this many idle minutes (0: never).
        backup_dirs: Destinations of backups (at least two for R15).
        printer: ``lp`` destination for printouts; empty: only write PDFs.
    """

    host: str = ""
    port: int = 54329
    dbname: str = "ejournal"
    data_dir: str = field(default_factory=_default_data_dir)
    pg_bin: str = ""
    auth_salt: str = "ejournal-kkst"
    argon2_profile: str = "rfc9106-low"
    sslmode: str = "verify-full"
    idle_lock_minutes: int = 15
    backup_dirs: tuple[str, ...] = ()
    printer: str = ""

    @property
    def embedded(self) -> bool:
        """True when the program runs its own embedded PostgreSQL server."""
        return self.host == ""

    @property
    def socket_dir(self) -> str:
        """Directory of the embedded server's Unix socket."""
        return str(Path(self.data_dir) / "socket")

    @property
    def cluster_dir(self) -> str:
        """The embedded server's data directory (PGDATA)."""
        return str(Path(self.data_dir) / "pgdata")


def _coerce(name: str, raw: object, default: object) -> object:
    try:
        if isinstance(default, bool):
            return str(raw).lower() in ("1", "true", "yes", "да")
        if isinstance(default, int):
            return int(str(raw))
        if isinstance(default, tuple):
            items = raw if isinstance(raw, list) else str(raw).split(os.pathsep)
            return tuple(str(item) for item in items if str(item))
        return str(raw)
    except ValueError as exc:
        raise ConfigError(f"Параметр «{name}» задан неверно: {raw!r}.") from exc


def _config_file() -> Path:
    explicit = os.environ.get("EJOURNAL_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "ejournal.toml"


def _read_file(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Не удалось прочитать файл настроек {path}: {exc}.") from exc


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the file, the environment and keyword overrides."""
    base = Settings()
    values: dict[str, object] = {}
    from_file = _read_file(_config_file())
    for item in fields(Settings):
        default = getattr(base, item.name)
        env = os.environ.get(f"EJOURNAL_{item.name.upper()}")
        if item.name in overrides:
            values[item.name] = overrides[item.name]
        elif env is not None:
            values[item.name] = _coerce(item.name, env, default)
        elif item.name in from_file:
            values[item.name] = _coerce(item.name, from_file[item.name], default)
    return replace(base, **values)  # type: ignore[arg-type]
