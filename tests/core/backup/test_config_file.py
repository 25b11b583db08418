"""The backup settings written into the settings file, and the schedule moved to a new time."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.backup.config import load_policy, load_setup, save_backup_settings
from core.backup.schedule import install_schedule, reschedule, schedule_status
from kernel.errors import ConfigError
from kernel.settings import load_settings

COMMAND = ["/opt/ejournal/bin/ejournal", "backup", "run", "--scheduled"]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ejournal.toml"
    path.write_text('# the installer\'s file\ndata_dir = "/srv/ej"\n\n[backup]\n'
                    '# our group\ngroup = "staff"\n', encoding="utf-8")
    path.chmod(0o640)
    monkeypatch.setenv("EJOURNAL_CONFIG", str(path))
    monkeypatch.setenv("EJOURNAL_SYSTEM_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("EJOURNAL_BACKUP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EJOURNAL_DATA_DIR", raising=False)
    return path


def test_written_values_are_read_back_and_the_rest_of_the_file_stays(config: Path,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    save_backup_settings(folders=[str(tmp_path / "a"), f" {tmp_path / 'b'} ", str(tmp_path / "a")])
    save_backup_settings(time="04:15", keep_monthly=0)
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# the installer's file\ndata_dir = \"/srv/ej\"\n")
    assert "# our group\ngroup = \"staff\"" in text
    assert config.stat().st_mode & 0o777 == 0o640
    assert load_settings().backup_dirs == (str(tmp_path / "a"), str(tmp_path / "b"))
    policy = load_policy()
    assert (policy.time, policy.keep_monthly, policy.keep_daily, policy.group) == ("04:15", 0, 14, "staff")


@pytest.mark.parametrize(("change", "error"), [
    ({"time": "25:00"}, "ЧЧ:ММ"),
    ({"keep_daily": 0}, "keep_daily ≥ 1"),
    ({"auth": "peer"}, "здесь не меняются"),
    ({"folders": ["relative/path", "/"]}, "полный путь"),
    ({"folders": ["/"]}, "не меньше 2 папок"),
])
def test_refused_values_write_nothing(config: Path, change: dict[str, object], error: str) -> None:
    before = config.read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match=error):
        save_backup_settings(**change)  # type: ignore[arg-type]
    assert config.read_text(encoding="utf-8") == before


def test_a_new_time_moves_the_installed_schedule(config: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    assert reschedule(load_setup(load_settings())) is None  # nothing installed: nothing moved
    install_schedule(load_setup(load_settings()), COMMAND, root=root, kind="cron")
    save_backup_settings(time="05:45")
    moved = reschedule(load_setup(load_settings()))
    assert moved is not None and moved.time == "05:45" and moved.kind == "cron"
    cron = (root / "etc/cron.d/ejournal-backup").read_text(encoding="utf-8")
    assert "\n45 5 * * * root /bin/sh -c " in cron
    assert "exec /opt/ejournal/bin/ejournal backup run --scheduled" in cron
    assert "Ежедневно в 05:45" in schedule_status(load_setup(load_settings())).describe()
