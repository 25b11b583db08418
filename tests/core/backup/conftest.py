"""Fixtures of the backup tests: two destinations, a backup home and the backup role's login."""

from __future__ import annotations

import grp
import os
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from core.backup.auth import setup_credentials
from core.backup.config import BackupPolicy, BackupSetup
from kernel.settings import Settings, load_settings

# The administrators' group of the tests: the running user's own (root, or a normal user's),
# so the credentials file can be given to it without privileges.
OWN_GROUP = grp.getgrgid(os.getgid()).gr_name

SAMPLE_ROWS = """
INSERT INTO journal.academic_year (title, starts_on, ends_on)
    VALUES ('2025/2026', '2025-09-01', '2026-06-30');
INSERT INTO journal.person (surname, name, patronymic, phone)
    SELECT 'Иванов-' || g, 'Пётр', 'Сергеевич', '+7900' || lpad(g::text, 7, '0')
      FROM generate_series(1, 300) g;
INSERT INTO journal.setting (key, value, title)
    VALUES ('backup_test', '"ГБПОУ «Колледж»"', 'Проверка копии');
"""


@dataclass(frozen=True)
class BackupEnv:
    """A test database with two empty destinations and the backup role's credentials."""

    settings: Settings
    policy: BackupPolicy
    dirs: tuple[Path, Path]
    home: Path
    db: object

    @property
    def setup(self) -> BackupSetup:
        """The backup setup of this environment."""
        return BackupSetup(self.settings, self.policy)

    def with_dirs(self, *dirs: Path | str) -> Settings:
        """The settings with other destinations."""
        return replace(self.settings, backup_dirs=tuple(str(d) for d in dirs))


@pytest.fixture
def backup_env(fresh_db, tmp_path: Path) -> BackupEnv:
    """``fresh_db`` with a few hundred rows, two destinations and ej_backup's password file."""
    with fresh_db.connect() as conn:
        conn.execute(SAMPLE_ROWS)
    dirs = (tmp_path / "local-disk", tmp_path / "usb-drive")
    for folder in dirs:
        folder.mkdir()
    settings = load_settings(dbname=fresh_db.dbname, backup_dirs=tuple(str(d) for d in dirs))
    policy = BackupPolicy(home=str(tmp_path / "home"), group=OWN_GROUP)
    setup_credentials(BackupSetup(settings, policy))
    return BackupEnv(settings, policy, dirs, tmp_path / "home", fresh_db)


@dataclass(frozen=True)
class DemoBackup:
    """The demo database with two destinations, ej_backup's password and the admin's login."""

    settings: Settings
    policy: BackupPolicy
    dirs: tuple[Path, Path]
    demo: object

    def log_in(self, role: str = "заведующий"):
        """A session of the demo account with that role, with these backup settings."""
        from core.session import log_in

        account = self.demo.account(role)  # type: ignore[attr-defined]
        return log_in(self.settings, account.login, account.password)


@pytest.fixture
def demo_backup(demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoBackup:
    """``demo_db`` set up for backups; the ``[backup]`` policy also comes from the environment
    (as the screen and the commands read it)."""
    dirs = (tmp_path / "local-disk", tmp_path / "usb-drive")
    for folder in dirs:
        folder.mkdir()
    monkeypatch.setenv("EJOURNAL_BACKUP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EJOURNAL_BACKUP_GROUP", OWN_GROUP)
    settings = replace(demo_db.settings, backup_dirs=tuple(str(d) for d in dirs))
    policy = BackupPolicy(home=str(tmp_path / "home"), group=OWN_GROUP)
    setup_credentials(BackupSetup(settings, policy))
    return DemoBackup(settings, policy, dirs, demo_db)
