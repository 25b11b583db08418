"""The schedule: systemd timer, cron file or the user's crontab, written into a temp root."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from cli import main
from core.backup.config import BackupPolicy, BackupSetup
from core.backup.schedule import install_schedule, next_due, remove_schedule, schedule_status
from kernel.settings import Settings

COMMAND = ["/opt/ejournal/bin/ejournal", "backup", "run", "--scheduled"]


@pytest.fixture
def setup(tmp_path: Path) -> BackupSetup:
    settings = Settings(data_dir=str(tmp_path / "data"), backup_dirs=("/a", "/b"))
    return BackupSetup(settings, BackupPolicy(home=str(tmp_path / "home"), time="03:15"))


def test_next_due() -> None:
    assert next_due("02:30", datetime(2026, 1, 10, 1, 0)) == datetime(2026, 1, 10, 2, 30)
    assert next_due("02:30", datetime(2026, 1, 10, 2, 30)) == datetime(2026, 1, 11, 2, 30)
    assert next_due("23:59", datetime(2026, 12, 31, 23, 59, 30)) == datetime(2027, 1, 1, 23, 59)


def test_systemd_timer(setup: BackupSetup, tmp_path: Path) -> None:
    root = tmp_path / "root"
    info = install_schedule(setup, COMMAND, root=root, kind="systemd")

    timer = (root / "etc/systemd/system/ejournal-backup.timer").read_text()
    service = (root / "etc/systemd/system/ejournal-backup.service").read_text()
    assert "OnCalendar=*-*-* 03:15:00" in timer and "Persistent=true" in timer
    assert "ExecStart=/opt/ejournal/bin/ejournal backup run --scheduled" in service
    assert f"EnvironmentFile={setup.home / 'schedule.env'}" in service
    env = (setup.home / "schedule.env").read_text()
    assert "EJOURNAL_CONFIG=" in env and "EJOURNAL_PASSWORD" not in env
    assert (setup.home / "schedule.env").stat().st_mode & 0o077 == 0
    assert info.installed and info.kind == "systemd" and info.next_due is not None
    assert "03:15" in schedule_status(setup).describe()

    assert not remove_schedule(setup).installed
    assert not (root / "etc/systemd/system/ejournal-backup.timer").exists()


def test_cron_file(setup: BackupSetup, tmp_path: Path) -> None:
    root = tmp_path / "root"
    install_schedule(setup, COMMAND, root=root, kind="cron")
    text = (root / "etc/cron.d/ejournal-backup").read_text()
    assert "\n15 3 * * * root /bin/sh -c " in text
    assert "exec /opt/ejournal/bin/ejournal backup run --scheduled" in text


def test_user_crontab_keeps_other_lines(setup: BackupSetup, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "crontab").write_text("0 * * * * echo mine\n")
    install_schedule(setup, COMMAND, root=root, kind="crontab")
    install_schedule(setup, COMMAND, root=root, kind="crontab")  # replaces, never duplicates
    text = (root / "crontab").read_text()
    assert text.startswith("0 * * * * echo mine\n")
    assert text.count("backup run --scheduled") == 1
    remove_schedule(setup)
    assert (root / "crontab").read_text() == "0 * * * * echo mine\n"


def test_cli_installs_and_shows(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("EJOURNAL_BACKUP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EJOURNAL_CONFIG", str(tmp_path / "ejournal.toml"))
    root = tmp_path / "root"
    assert main(["backup", "schedule", "--time", "04:05", "--kind", "cron", "--root", str(root)]) == 0
    assert "5 4 * * * root" in (root / "etc/cron.d/ejournal-backup").read_text()
    # the settings file keeps the time, so the settings screen shows the schedule's time
    assert '[backup]\ntime = "04:05"' in (tmp_path / "ejournal.toml").read_text()
    assert main(["backup", "schedule", "--show"]) == 0
    assert "Ежедневно в 04:05" in capsys.readouterr().out
