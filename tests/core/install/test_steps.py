"""``ejournal server install|uninstall`` into a throwaway root (issue 15, item 2): the unit,
the files, their owners and modes, the settings file, ``db check`` on the result, the
idempotent second run, and an uninstall that keeps the data unless asked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.install.files import Target, cron_text
from core.install.steps import install_boot
from tests.conftest import free_port

PROGRAM = Path(sys.executable).with_name("ejournal")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EJOURNAL_")}
    env.update(EJOURNAL_ARGON2_PROFILE="test", EJOURNAL_CONFIG="/nonexistent/ejournal.toml",
               EJOURNAL_SYSTEM_CONFIG="/nonexistent/system.toml")
    return env


def _ejournal(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PROGRAM), *args], env=env or _env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def root() -> Iterator[Path]:
    """A throwaway root the server's unprivileged account can enter (not pytest's tmp_path)."""
    folder = Path(tempfile.mkdtemp(prefix="ejournal-install-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    _ejournal("server", "uninstall", "--prefix", str(folder))   # stops a server left running
    shutil.rmtree(folder, ignore_errors=True)


def _mode_owner(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mode & 0o7777, info.st_uid


def test_install_then_uninstall_keeps_the_data(root: Path) -> None:
    (root / "run/systemd/system").mkdir(parents=True)     # this root pretends systemd runs
    port = str(free_port())
    args = ("server", "install", "--prefix", str(root), "--port", port, "--venv", sys.prefix)
    first = _ejournal(*args)
    assert first.returncode == 0, first.stderr + first.stdout
    assert "ejournal db check: все проверки пройдены" in first.stdout

    link = root / "usr/local/bin/ejournal"
    assert link.is_symlink() and link.resolve() == PROGRAM.resolve()
    unit = root / "etc/systemd/system/ejournal-db.service"
    text = unit.read_text("utf-8")
    assert f"ExecStart=/usr/bin/env EJOURNAL_SYSTEM_CONFIG={root}/etc/ejournal/ejournal.toml " \
           f"{link} server start" in text
    assert "ExecStop=" in text and "WantedBy=multi-user.target" in text
    assert not (root / "etc/cron.d/ejournal-db").exists()
    config = root / "etc/ejournal/ejournal.toml"
    assert _mode_owner(unit) == (0o644, 0) and _mode_owner(config) == (0o644, 0)
    settings = tomllib.loads(config.read_text("utf-8"))
    assert settings["data_dir"] == str(root / "var/lib/ejournal") and settings["port"] == int(port)
    assert len(settings["backup_dirs"]) == 2
    assert (root / "etc/systemd/system/ejournal-backup.timer").exists()
    data = root / "var/lib/ejournal"
    assert _mode_owner(data / "pgdata")[0] == 0o700 and _mode_owner(data / "pgdata")[1] != 0
    for folder in settings["backup_dirs"]:
        assert _mode_owner(Path(folder)) == (0o700, 0)

    env = {**_env(), "EJOURNAL_SYSTEM_CONFIG": str(config)}
    check = _ejournal("db", "check", env=env)
    assert check.returncode == 0 and "Все проверки пройдены" in check.stdout, check.stdout

    before = unit.stat().st_mtime_ns, config.read_text("utf-8")
    again = _ejournal(*args)
    assert again.returncode == 0, again.stderr
    assert "Схема базы уже актуальна" in again.stdout and "уже есть и оставлен" in again.stdout
    assert (unit.stat().st_mtime_ns, config.read_text("utf-8")) == before

    gone = _ejournal("server", "uninstall", "--prefix", str(root))
    assert gone.returncode == 0, gone.stderr
    for path in (unit, config, link, root / "etc/systemd/system/ejournal-backup.timer"):
        assert not path.exists() and not path.is_symlink(), path
    assert (data / "pgdata/PG_VERSION").exists() and "Данные оставлены" in gone.stdout

    refused = _ejournal("server", "uninstall", "--prefix", str(root), "--purge-data")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert (data / "pgdata/PG_VERSION").exists()

    back = _ejournal(*args)          # the kept database is found again, not recreated
    assert back.returncode == 0 and "Схема базы уже актуальна" in back.stdout, back.stderr
    purged = _ejournal("server", "uninstall", "--prefix", str(root), "--purge-data", "--yes")
    assert purged.returncode == 0 and not data.exists(), purged.stderr


def test_without_systemd_the_database_starts_from_cron_at_reboot(tmp_path: Path) -> None:
    target = Target(root=tmp_path, port=54999)
    kind, line = install_boot(target)
    assert kind == "cron" and "@reboot" in line and "systemd не работает" in line
    entry = tmp_path / "etc/cron.d/ejournal-db"
    assert entry.read_text("utf-8") == cron_text(target)
    assert f"@reboot root /usr/bin/env EJOURNAL_SYSTEM_CONFIG={tmp_path}/etc/ejournal/ejournal.toml " \
           f"{tmp_path}/usr/local/bin/ejournal server start" in entry.read_text("utf-8")
    assert _mode_owner(entry) == (0o644, os.geteuid())
    assert not target.unit.exists()

