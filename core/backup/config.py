"""How backups are made: the ``[backup]`` section of ``ejournal.toml`` and its variables.

The destinations themselves are ``Settings.backup_dirs`` (top level of the file or
``EJOURNAL_BACKUP_DIRS``, folders separated by ``:``). Everything else about backups is read
here, in order of precedence, from keyword overrides, ``EJOURNAL_BACKUP_<NAME>`` variables,
the ``[backup]`` section of the settings file and the defaults::

    backup_dirs = ["/var/backups/ejournal", "/media/ejournal-usb"]

    [backup]
    keep_daily = 14          # newest copy of each of the last 14 days with copies
    keep_monthly = 12        # newest copy of each of the last 12 months with copies
    time = "02:30"           # when the scheduled copy runs
    group = "ejournal-admin" # OS group of administrators: may read the credentials and copies
    home = ""                # credentials, state and lock (default <data_dir>/backup)
    auth = "password"        # how ej_backup logs in: "password" (credentials file) or "peer"
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from kernel.errors import ConfigError
from kernel.settings import Settings, config_file, load_section, load_settings

MIN_COPIES = 2
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class BackupPolicy:
    """Backup settings of one installation.

    Attributes:
        keep_daily: Per destination, keep the newest copy of each of this many latest days.
        keep_monthly: Per destination, keep the newest copy of each of this many latest months.
        time: ``HH:MM`` of the scheduled daily copy.
        group: OS group of the administrators; it may read the credentials file and the copies.
        home: Folder of the credentials file, the run state and the lock (empty: default).
        auth: ``password`` (the credentials file) or ``peer`` (OS account = ``ej_backup`` via
            ``pg_ident.conf`` on the server host).
        min_copies: A run fails unless at least this many destinations got the copy.
    """

    keep_daily: int = 14
    keep_monthly: int = 12
    time: str = "02:30"
    group: str = "ejournal-admin"
    home: str = ""
    auth: str = "password"
    min_copies: int = MIN_COPIES


@dataclass(frozen=True)
class BackupSetup:
    """Everything a backup run needs to know: the installation, destinations and policy."""

    settings: Settings
    policy: BackupPolicy

    @property
    def destinations(self) -> tuple[Path, ...]:
        """The configured destination folders, in order."""
        return tuple(Path(d).expanduser() for d in self.settings.backup_dirs)

    @property
    def home(self) -> Path:
        """Folder of the credentials file, the run state and the lock."""
        if self.policy.home:
            return Path(self.policy.home).expanduser()
        return Path(self.settings.data_dir) / "backup"

    @property
    def credentials_file(self) -> Path:
        """The backup role's password (mode 0640, group of the administrators)."""
        return self.home / "ej_backup.pass"

    @property
    def state_file(self) -> Path:
        """The result of the last run per destination."""
        return self.home / "last-run.json"

    @property
    def lock_file(self) -> Path:
        """Held while a backup runs."""
        return self.home / "backup.lock"


def _check(policy: BackupPolicy) -> BackupPolicy:
    if not _TIME.match(policy.time):
        raise ConfigError(f"Время резервного копирования «{policy.time}» задайте как ЧЧ:ММ.")
    if policy.auth not in ("password", "peer"):
        raise ConfigError("Способ входа роли резервного копирования («auth»): «password» или «peer».")
    if policy.keep_daily < 1 or policy.keep_monthly < 0 or policy.min_copies < 1:
        raise ConfigError("Число хранимых копий задано неверно (keep_daily ≥ 1, keep_monthly ≥ 0).")
    return policy


def no_destinations_message() -> str:
    """What to do when ``backup_dirs`` is empty: which file (or variable) to put it in."""
    return (f"Не заданы места хранения резервных копий: укажите backup_dirs в файле настроек "
            f"{config_file().absolute()} (например, backup_dirs = [\"/var/backups/ejournal\", "
            f"\"/media/ejournal-usb\"]) или в переменной EJOURNAL_BACKUP_DIRS (папки через «:»); "
            f"нужно не меньше {MIN_COPIES} уже созданных папок на разных носителях.")


def load_policy(**overrides: object) -> BackupPolicy:
    """The backup policy from overrides, ``EJOURNAL_BACKUP_*``, ``[backup]`` and defaults.

    Raises:
        ConfigError: an unknown key or variable, a value of the wrong kind, or a policy that
            does not hold together (time not ЧЧ:ММ, auth not password/peer, counts).
    """
    return _check(load_section(BackupPolicy, "backup", **overrides))


def load_setup(settings: Settings, policy: BackupPolicy | None = None) -> BackupSetup:
    """The backup setup of ``settings`` with the configured (or the given) policy."""
    return BackupSetup(settings, policy or load_policy())


EDITABLE = ("time", "keep_daily", "keep_monthly")
"""The ``[backup]`` keys the settings screen changes (the others stay the installer's)."""


def check_destinations(folders: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """At least two existing folders, each a full path, no one twice.

    Raises:
        ConfigError: fewer than two, a relative path, or a folder that is not there (Russian).
    """
    chosen = tuple(dict.fromkeys(f.strip() for f in folders if f.strip()))
    if len(chosen) < MIN_COPIES:
        raise ConfigError(f"Нужно не меньше {MIN_COPIES} папок на разных носителях (R15); "
                          f"указано: {len(chosen)}.")
    for folder in chosen:
        path = Path(folder).expanduser()
        if not path.is_absolute():
            raise ConfigError(f"«{folder}»: укажите полный путь папки, начиная с «/».")
        if not path.is_dir():
            raise ConfigError(f"Папки «{folder}» нет: создайте её на сервере (подключите носитель) "
                              "и укажите снова.")
    return chosen


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, mode)
    tmp.replace(path)


def save_backup_settings(*, folders: list[str] | tuple[str, ...] | None = None,
                         **policy: object) -> Path:
    """Write the destinations (``backup_dirs``) and/or ``[backup]`` keys (:data:`EDITABLE`)
    into the settings file (:func:`config_file`), keeping its other lines and comments.

    Everything is checked first (as :func:`load_policy` and :func:`check_destinations` do);
    nothing is written when a value is refused. Afterwards the settings are read back: a value
    that an ``EJOURNAL_BACKUP_*`` variable overrides is reported, not silently ignored.

    Raises:
        ConfigError: a value not allowed, the file unreadable or unwritable (Russian).
    """
    unknown = sorted(set(policy) - set(EDITABLE))
    if unknown:
        raise ConfigError(f"Настройки резервного копирования {', '.join(unknown)} здесь не меняются.")
    wanted = _check(replace(load_policy(), **policy))  # type: ignore[arg-type]
    dirs = check_destinations(folders) if folders is not None else None
    path = config_file()
    try:
        document = tomlkit.parse(path.read_text("utf-8")) if path.exists() else tomlkit.document()
        if dirs is not None:
            document["backup_dirs"] = list(dirs)
        if policy:
            table = document.get("backup")
            if table is None:
                table = document["backup"] = tomlkit.table()
            for key in policy:
                table[key] = getattr(wanted, key)
        _write_atomically(path, tomlkit.dumps(document))
    except TOMLKitError as exc:
        raise ConfigError(f"Файл настроек {path} записан с ошибкой: {exc}; исправьте его.") from exc
    except OSError as exc:
        raise ConfigError(f"Не удалось записать файл настроек {path}: {exc.strerror or exc}; "
                          "нужны права на запись в него.") from exc
    _check_taken(path, dirs, policy)
    return path


def _check_taken(path: Path, dirs: tuple[str, ...] | None, policy: dict[str, object]) -> None:
    """The written values are the ones in force (a variable of the environment may win)."""
    now = load_policy()
    if dirs is not None and tuple(load_settings().backup_dirs) != dirs:
        raise ConfigError(f"Папки записаны в {path}, но действуют другие: их задаёт переменная "
                          "окружения EJOURNAL_BACKUP_DIRS — уберите её.")
    for key, value in policy.items():
        if getattr(now, key) != value:
            raise ConfigError(f"Значение записано в {path}, но действует другое: его задаёт "
                              f"переменная окружения EJOURNAL_BACKUP_{key.upper()} — уберите её.")
