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

import re
from dataclasses import dataclass
from pathlib import Path

from kernel.errors import ConfigError
from kernel.settings import Settings, config_file, load_section

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
