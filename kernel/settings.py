"""Settings of one installation: where the database is and how passwords are derived.

Read, in order of precedence, from ``EJOURNAL_*`` environment variables, from the user's TOML
file named by ``EJOURNAL_CONFIG`` (default: ``ejournal.toml`` in the user config directory),
from the system-wide file ``/etc/ejournal/ejournal.toml`` (``EJOURNAL_SYSTEM_CONFIG`` names
another; written by ``ejournal server install`` so that every OS account of the college server
just types ``ejournal``), and from the defaults below. Later sources win per key; the nested
sections (``[backup]``) are merged per key too. Settings kept inside the database (college
name, rounding rule, …) live in the ``journal.setting`` table instead.

Nothing wrong is taken silently: a key of the file the program does not know is named with
the nearest known one (``backup_dirz`` → ``backup_dirs``), a value of the wrong kind or out
of range (ports 1–65535) is named with where it was typed, and an ``EJOURNAL_*`` variable
that is a near miss of a known one (``EJOURNAL_PROT``) is refused. Each is one Russian
sentence (:class:`ConfigError`); the command line exits with code 2 on it.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from kernel.errors import ConfigError
from kernel.paths import config_folder, data_folder
from kernel.setting_values import coerce, nearest, unknown_key_error

APP_NAME = "ejournal"


def _default_data_dir() -> str:
    # root's home is closed to the unprivileged account that runs the server (PostgreSQL
    # refuses to run as root), so root's data lives in a system location instead.
    if os.name == "posix" and os.geteuid() == 0:
        return "/var/lib/ejournal"
    return str(data_folder())


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
        report_host: A streaming standby that reports read from (host name or socket folder;
            empty: the main server). See docs/scaling.md.
        report_port: Port of that standby (0: the same as ``port``).
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
    report_host: str = ""
    report_port: int = 0

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


SECTIONS = ("backup", "mail", "web")
"""Nested tables of the settings file, each read by :func:`load_section` into its module's
dataclass (``[backup]``: ``core.backup.config.BackupPolicy``; ``[mail]``:
``core.mail.config.MailPolicy``; ``[web]``: ``core.web.config.WebPolicy``)."""

OTHER_VARIABLES = frozenset({"EJOURNAL_CONFIG", "EJOURNAL_SYSTEM_CONFIG", "EJOURNAL_LOG",
                             "EJOURNAL_PASSWORD", "EJOURNAL_ADMIN_DSN", "EJOURNAL_ARGON2_PROFILE",
                             "EJOURNAL_TODAY"})
"""``EJOURNAL_*`` variables the program reads that are not settings of :class:`Settings`."""

VARIABLE_FAMILIES = tuple(f"EJOURNAL_{name.upper()}_" for name in SECTIONS)
"""Prefixes of the sections' variables, checked by :func:`load_section`."""

def password_or_ask(prompt: str = "Пароль: ") -> str:
    """The person's password from ``EJOURNAL_PASSWORD`` (scripts), else asked on the terminal,
    else (input from a pipe) the first line of the input, with no English warning about echo."""
    given = os.environ.get("EJOURNAL_PASSWORD")
    if given:
        return given
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def argon2_profile_name() -> str:
    """``EJOURNAL_ARGON2_PROFILE``: the argon2 cost profile (``test`` in the test suite; empty
    when not set)."""
    return os.environ.get("EJOURNAL_ARGON2_PROFILE", "")


def frozen_today_variable() -> str:
    """``EJOURNAL_TODAY``: the program's frozen today (``2026-11-18`` or ``2026-11-18T10:15``),
    for tests and demonstrations only (empty when not set); see :mod:`kernel.clock`."""
    return os.environ.get("EJOURNAL_TODAY", "")


def log_file_variable() -> str:
    """``EJOURNAL_LOG``: a log file chosen instead of the user's log folder (empty when not set)."""
    return os.environ.get("EJOURNAL_LOG", "")


def program_variables() -> dict[str, str]:
    """Every ``EJOURNAL_*`` variable set now but the password: what a scheduled run inherits."""
    return {k: v for k, v in os.environ.items() if k.startswith("EJOURNAL_") and k != "EJOURNAL_PASSWORD"}


WEB_SERVER_VARIABLE = "EJOURNAL_WEB_SERVER_PID"
"""The web server's process id, given to the programs it starts ahead (``cli.web.pool``)."""


def take_web_server_pid() -> str:
    """The web server's process id in a program it started ahead ('' in any other); taken out
    of the environment, so that nothing the program starts inherits it."""
    return os.environ.pop(WEB_SERVER_VARIABLE, "")


def set_screen_size(width: int, height: int) -> None:
    """The terminal's size for Textual's web driver (a program started ahead learns it late)."""
    os.environ["COLUMNS"], os.environ["ROWS"] = str(width), str(height)


def admin_dsn() -> str:
    """``EJOURNAL_ADMIN_DSN``: the database owner's connection for a college's own server
    (empty when not set)."""
    return os.environ.get("EJOURNAL_ADMIN_DSN", "")


def check_variables(known: Iterable[str], prefix: str = "EJOURNAL_",
                    skip: tuple[str, ...] = ()) -> None:
    """Refuse an ``EJOURNAL_*`` variable that is a near miss of a known one (a typo).

    The environment is shared with other programs and tools, so only names that closely
    resemble a known variable (``EJOURNAL_PROT``, ``EJOURNAL_DATADIR``) are refused; other
    unknown names are left alone.

    Raises:
        ConfigError: naming the variable and the one probably meant.
    """
    known = set(known)
    for name in sorted(os.environ):
        if not name.startswith(prefix) or name in known or name.startswith(skip):
            continue
        guess = nearest(name, known, cutoff=0.9)
        if guess is not None:
            raise ConfigError(f"Неизвестная переменная окружения {name}: может быть, {guess}?")


SYSTEM_CONFIG = Path("/etc/ejournal/ejournal.toml")
"""The system-wide settings file of a college server (``ejournal server install`` writes it)."""


def config_file() -> Path:
    """The settings file: ``EJOURNAL_CONFIG``, or ``ejournal.toml`` in the user config directory."""
    explicit = os.environ.get("EJOURNAL_CONFIG")
    if explicit:
        return Path(explicit)
    return config_folder() / "ejournal.toml"


def system_config_file() -> Path:
    """The system-wide settings file: ``EJOURNAL_SYSTEM_CONFIG``, or ``/etc/ejournal/ejournal.toml``."""
    return Path(os.environ.get("EJOURNAL_SYSTEM_CONFIG") or SYSTEM_CONFIG)


def config_files() -> list[Path]:
    """The settings files in the order they are applied (a later one wins per key)."""
    system, user = system_config_file(), config_file()
    return [system] if system.absolute() == user.absolute() else [system, user]


_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _read_file(path: Path) -> dict[str, object]:
    """The settings file as a table ({} when there is none).

    Raises:
        ConfigError: the file cannot be read or is not valid TOML (with the line).
    """
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_WHERE.search(str(exc))
        at = f" в строке {where.group(1)}, позиция {where.group(2)}" if where else ""
        raise ConfigError(f"Файл настроек {path} записан с ошибкой{at}: проверьте кавычки, "
                          f"знаки «=» и скобки (формат TOML).") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Файл настроек {path} не в кодировке UTF-8; сохраните его в UTF-8.") from exc
    except OSError as exc:
        raise ConfigError(f"Не удалось прочитать файл настроек {path}: "
                          f"{exc.strerror or exc}.") from exc


Found = dict[str, tuple[object, Path]]
"""Keys of the settings files, each with its value and the file it was last set in."""


def _layers() -> list[tuple[Path, dict[str, object]]]:
    """Each settings file that exists with its table, system file first."""
    return [(path, _read_file(path)) for path in config_files()]


def _values(names: list[str], base: Any, overrides: dict[str, object], prefix: str,
            found: Found) -> Any:
    """``base`` with each of ``names`` taken from the overrides, else the ``prefix + NAME``
    variable, else the files (``found``), each value checked (:func:`kernel.setting_values.coerce`)."""
    values: dict[str, object] = {}
    for name in names:
        default = getattr(base, name)
        variable = f"{prefix}{name.upper()}"
        env = os.environ.get(variable)
        if name in overrides:
            values[name] = overrides[name]
        elif env is not None:
            values[name] = coerce(name, env, default, f"в переменной окружения {variable}")
        elif name in found:
            raw, path = found[name]
            values[name] = coerce(name, raw, default, f"в файле {path}")
    return replace(base, **values)


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the files, the environment and keyword overrides.

    Raises:
        ConfigError: a file is unreadable or has an unknown key (named with the nearest
            known one), a value is of the wrong kind or out of range (ports 1–65535), or an
            ``EJOURNAL_*`` variable is a near miss of a known one.
    """
    names = [item.name for item in fields(Settings)]
    found: Found = {}
    for path, table in _layers():
        for key, value in table.items():
            if key not in names and key not in SECTIONS:
                raise unknown_key_error(key, names, f"в файле {path}")
            if key in names:
                found[key] = (value, path)
    check_variables([f"EJOURNAL_{name.upper()}" for name in names] + sorted(OTHER_VARIABLES),
                    skip=VARIABLE_FAMILIES)
    settings: Settings = _values(names, Settings(), overrides, "EJOURNAL_", found)
    return settings


Section = TypeVar("Section")


def load_section(kind: type[Section], section: str, **overrides: object) -> Section:
    """One nested table of the settings file (``[backup]``) as the dataclass ``kind``.

    The same rules as :func:`load_settings`, one level down: keyword overrides, then
    ``EJOURNAL_<SECTION>_<NAME>`` variables, then the ``[section]`` table, then the dataclass's
    defaults; unknown keys and near-miss variables are refused.

    Raises:
        ConfigError: the table is not a table, has an unknown key, a value is of the wrong
            kind, or an ``EJOURNAL_<SECTION>_*`` variable is a near miss of a known one.
    """
    if section not in SECTIONS:
        raise ValueError(f"unknown settings section {section!r}")
    base: Any = kind()
    names = [item.name for item in fields(base)]
    found: Found = {}
    for path, whole in _layers():
        table = whole.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"Раздел [{section}] файла настроек {path} задан неверно: "
                              f"ожидается таблица (строка «[{section}]» и настройки под ней).")
        for key, value in table.items():
            if key not in names:
                raise unknown_key_error(key, names, f"в разделе [{section}] файла {path}")
            found[key] = (value, path)
    prefix = f"EJOURNAL_{section.upper()}_"
    top_level = [f"EJOURNAL_{item.name.upper()}" for item in fields(Settings)]
    check_variables([prefix + name.upper() for name in names]
                    + [name for name in top_level if name.startswith(prefix)], prefix=prefix)
    result: Section = _values(names, base, overrides, prefix, found)
    return result


def ssh_original_command() -> str:
    """The command an SSH client asked to run (``SSH_ORIGINAL_COMMAND``), or ``""``."""
    return os.environ.get("SSH_ORIGINAL_COMMAND", "")


@contextlib.contextmanager
def environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """Set (a value) or unset (``None``) variables for the duration of the block, then restore
    them: the install reads the settings of the system it is writing."""
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            _put(name, value)
        yield
    finally:
        for name, value in saved.items():
            _put(name, value)


def _put(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
