"""The system-wide settings file (issue 15, item 1): /etc/ejournal/ejournal.toml, then the
user's file, then EJOURNAL_* variables; a later source wins per key, sections merged per key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.backup.config import load_policy
from kernel.errors import ConfigError
from kernel.settings import config_files, load_settings


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A system file (EJOURNAL_SYSTEM_CONFIG) and a user file (EJOURNAL_CONFIG), both empty;
    no other EJOURNAL_* variable set."""
    for name in list(os.environ):
        if name.startswith("EJOURNAL_") and name not in ("EJOURNAL_LOG", "EJOURNAL_ARGON2_PROFILE"):
            monkeypatch.delenv(name)
    system, user = tmp_path / "etc-ejournal.toml", tmp_path / "user.toml"
    system.write_text("", encoding="utf-8")
    user.write_text("", encoding="utf-8")
    monkeypatch.setenv("EJOURNAL_SYSTEM_CONFIG", str(system))
    monkeypatch.setenv("EJOURNAL_CONFIG", str(user))
    return system, user


def test_system_file_alone_gives_every_account_the_server(files: tuple[Path, Path]) -> None:
    system, _ = files
    system.write_text('data_dir = "/var/lib/ejournal"\nport = 54400\n', encoding="utf-8")
    settings = load_settings()
    assert (settings.data_dir, settings.port) == ("/var/lib/ejournal", 54400)
    assert settings.socket_dir == "/var/lib/ejournal/socket"


def test_user_file_wins_over_system_per_key(files: tuple[Path, Path]) -> None:
    system, user = files
    system.write_text('port = 54400\ndbname = "college"\nprinter = "lab"\n', encoding="utf-8")
    user.write_text('printer = "office"\n', encoding="utf-8")
    settings = load_settings()
    assert (settings.port, settings.dbname, settings.printer) == (54400, "college", "office")


def test_variable_wins_over_both_files(files: tuple[Path, Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    system, user = files
    system.write_text("port = 54400\n", encoding="utf-8")
    user.write_text("port = 54401\n", encoding="utf-8")
    monkeypatch.setenv("EJOURNAL_PORT", "54402")
    assert load_settings().port == 54402
    monkeypatch.delenv("EJOURNAL_PORT")
    assert load_settings().port == 54401
    user.unlink()
    assert load_settings().port == 54400


def test_sections_are_merged_per_key(files: tuple[Path, Path],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    system, user = files
    system.write_text('[backup]\ntime = "03:15"\nkeep_daily = 30\n', encoding="utf-8")
    user.write_text("[backup]\nkeep_daily = 7\n", encoding="utf-8")
    policy = load_policy()
    assert (policy.time, policy.keep_daily, policy.keep_monthly) == ("03:15", 7, 12)
    monkeypatch.setenv("EJOURNAL_BACKUP_TIME", "04:00")
    assert load_policy().time == "04:00"


def test_wrong_value_names_the_file_it_came_from(files: tuple[Path, Path]) -> None:
    system, user = files
    system.write_text('port = "много"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(system) in caught.value.message
    user.write_text("port = 54401\n", encoding="utf-8")   # the user's value replaces it
    assert load_settings().port == 54401


def test_unknown_key_of_the_system_file_is_named_there(files: tuple[Path, Path]) -> None:
    system, _ = files
    system.write_text('prot = 5432\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(system) in caught.value.message and "«port»" in caught.value.message


def test_same_file_named_twice_is_read_once(files: tuple[Path, Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    system, _ = files
    monkeypatch.setenv("EJOURNAL_CONFIG", str(system))
    assert config_files() == [system]


def test_missing_system_file_is_no_error(files: tuple[Path, Path],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    system, user = files
    system.unlink()
    user.write_text("port = 54401\n", encoding="utf-8")
    assert load_settings().port == 54401


def test_report_port_zero_means_the_main_port(files: tuple[Path, Path]) -> None:
    system, _ = files
    system.write_text('report_host = "/tmp/standby"\n', encoding="utf-8")
    settings = load_settings()
    assert (settings.report_host, settings.report_port) == ("/tmp/standby", 0)


def test_broken_system_file_is_one_sentence_and_exit_2(files: tuple[Path, Path]) -> None:
    system, _ = files
    system.write_text('port = 5432\nhost = "db\n', encoding="utf-8")
    env = {**os.environ, "HOME": str(system.parent)}
    script = Path(sys.executable).with_name("ejournal")
    for args in ([], ["server", "status"]):
        done = subprocess.run([str(script), *args], env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(system) in lines[0] and "строке 2" in lines[0]
        assert "Traceback" not in done.stderr
