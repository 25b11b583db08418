"""Settings as an administrator types them: a typo or a wrong value is one Russian sentence.

Issue 9, item 12: `ejournal` with no arguments printed a traceback for a broken settings file
or `EJOURNAL_PORT=abc`; `EJOURNAL_PORT=70000` and unknown keys (`backup_dirz`) were accepted.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from cli import main
from core.backup.config import load_policy
from kernel.errors import ConfigError
from kernel.settings import load_settings


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty settings file named by EJOURNAL_CONFIG; no other EJOURNAL_* variable set."""
    for name in list(os.environ):
        if name.startswith("EJOURNAL_") and name not in ("EJOURNAL_LOG", "EJOURNAL_ARGON2_PROFILE"):
            monkeypatch.delenv(name)
    path = tmp_path / "ejournal.toml"
    path.write_text("", encoding="utf-8")
    monkeypatch.setenv("EJOURNAL_CONFIG", str(path))
    return path


def _ejournal(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `ejournal` program with that environment (and nothing on stdin)."""
    script = Path(sys.executable).with_name("ejournal")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cli"]
    return subprocess.run([*command, *args], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("broken", [
    {"file": "port = \n"},
    {"file": 'backup_dirz = ["/mnt/a", "/mnt/b"]\n'},
    {"EJOURNAL_PORT": "abc"},
    {"EJOURNAL_PORT": "70000"},
], ids=["bad-toml", "unknown-key", "port-abc", "port-70000"])
def test_program_without_arguments_says_one_sentence_and_exits_2(
        settings_file: Path, broken: dict[str, str]) -> None:
    settings_file.write_text(broken.pop("file", ""), encoding="utf-8")
    env = {**os.environ, **broken}

    done = _ejournal(env)

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Настройки: ")
    # The same settings give the same sentence and code from a subcommand.
    same = _ejournal(env, "server", "status")
    assert (same.returncode, same.stderr) == (2, done.stderr)


def test_subcommand_exits_2_on_broken_settings(settings_file: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    settings_file.write_text("[backup\n", encoding="utf-8")
    assert main(["server", "status"]) == 2
    error = capsys.readouterr().err
    assert f"Файл настроек {settings_file} записан с ошибкой в строке 1" in error


@pytest.mark.parametrize("port", ["0", "-1", "65536", "70000"])
def test_port_outside_1_to_65535_is_refused(settings_file: Path, monkeypatch: pytest.MonkeyPatch,
                                            port: str) -> None:
    monkeypatch.setenv("EJOURNAL_PORT", port)
    with pytest.raises(ConfigError, match="EJOURNAL_PORT должно быть числом от 1 до 65535"):
        load_settings()


def test_port_in_range_from_the_variable_and_the_file(settings_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings_file.write_text("port = 65535\n", encoding="utf-8")
    assert load_settings().port == 65535
    settings_file.write_text("port = 70000\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"в файле {settings_file} должно быть числом от 1"):
        load_settings()
    monkeypatch.setenv("EJOURNAL_PORT", "1")
    assert load_settings().port == 1  # the variable wins over the file, and is checked alone


def test_port_that_is_not_a_number_is_named_with_its_variable(
        settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_PORT", "abc")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value) == ("Значение «port» в переменной окружения EJOURNAL_PORT должно "
                                 "быть целым числом, а задано «abc».")


def test_unknown_key_is_named_with_the_nearest_known_one(settings_file: Path) -> None:
    settings_file.write_text('backup_dirz = ["/mnt/a", "/mnt/b"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value) == (f"Неизвестная настройка «backup_dirz» в файле {settings_file}: "
                                 f"может быть, «backup_dirs»?")


def test_unknown_key_far_from_any_lists_the_known_ones(settings_file: Path) -> None:
    settings_file.write_text('colour = "blue"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"«colour».*известные: argon2_profile, auth_salt"):
        load_settings()


def test_unknown_key_of_the_backup_section(settings_file: Path) -> None:
    settings_file.write_text('backup_dirs = ["/a", "/b"]\n[backup]\nkeep_daly = 7\n',
                             encoding="utf-8")
    assert load_settings().backup_dirs == ("/a", "/b")  # [backup] is a known table
    with pytest.raises(ConfigError, match=r"«keep_daly» в разделе \[backup\].*«keep_daily»\?"):
        load_policy()


def test_mistyped_variable_is_named_with_the_one_meant(settings_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_PROT", "5433")
    with pytest.raises(ConfigError, match="EJOURNAL_PROT: может быть, EJOURNAL_PORT"):
        load_settings()
    monkeypatch.delenv("EJOURNAL_PROT")
    monkeypatch.setenv("EJOURNAL_BACKUP_DIR", "/a:/b")
    with pytest.raises(ConfigError, match="EJOURNAL_BACKUP_DIR: может быть, EJOURNAL_BACKUP_DIRS"):
        load_policy()


def test_unrelated_variables_are_left_alone(settings_file: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EJOURNAL_SLOW_TESTS", "EJOURNAL_BENCH_T0", "EJOURNAL_HOME",
                 "EJOURNAL_PASSWORD", "EJOURNAL_ADMIN_DSN", "EJOURNAL_BACKUP_HOME"):
        monkeypatch.setenv(name, "1")
    assert load_settings().port == 54329
    assert load_policy().home == "1"


def test_wrong_kind_of_value_in_the_file(settings_file: Path) -> None:
    settings_file.write_text('host = ["a", "b"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"«host» в файле .* должно быть строкой"):
        load_settings()
    settings_file.write_text('sslmode = "verify_full"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"«sslmode».*одним из: disable"):
        load_settings()
    settings_file.write_text("port = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"«port».*целым числом"):
        load_settings()


def test_backup_section_is_read_by_the_one_loader(settings_file: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """[backup] goes through kernel.settings.load_section: the same checks and messages."""
    settings_file.write_text('[backup]\nkeep_daily = "много"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"«keep_daily» в файле .* должно быть целым числом"):
        load_policy()
    settings_file.write_text('[backup]\nkeep_daily = 5\ntime = "03:15"\n', encoding="utf-8")
    monkeypatch.setenv("EJOURNAL_BACKUP_KEEP_MONTHLY", "2")
    policy = load_policy()
    assert (policy.keep_daily, policy.keep_monthly, policy.time) == (5, 2, "03:15")
    assert load_policy(keep_daily=9).keep_daily == 9  # an override wins over the file
    monkeypatch.setenv("EJOURNAL_BACKUP_KEEP_MONTHLY", "x")
    with pytest.raises(ConfigError, match="переменной окружения EJOURNAL_BACKUP_KEEP_MONTHLY"):
        load_policy()


def test_backup_section_must_be_a_table(settings_file: Path) -> None:
    settings_file.write_text('backup = "/mnt/a"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"Раздел \[backup\] .* ожидается таблица"):
        load_policy()


class Terminal(io.StringIO):
    """Standard input that is a terminal (the password is then asked without echo)."""

    def isatty(self) -> bool:
        return True


def test_variables_that_are_not_settings_are_read_in_kernel_settings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kernel import settings

    monkeypatch.setenv("EJOURNAL_PASSWORD", "из окружения")
    monkeypatch.setattr(settings.getpass, "getpass", lambda prompt: pytest.fail("asked"))
    assert settings.password_or_ask() == "из окружения"
    monkeypatch.delenv("EJOURNAL_PASSWORD")
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(settings.getpass, "getpass", lambda prompt: f"typed after {prompt}")
    assert settings.password_or_ask("Пароль (x): ") == "typed after Пароль (x): "
    monkeypatch.delenv("EJOURNAL_ADMIN_DSN", raising=False)
    assert settings.admin_dsn() == ""
    monkeypatch.setenv("EJOURNAL_ADMIN_DSN", "postgresql://owner@host/ejournal")
    assert settings.admin_dsn() == "postgresql://owner@host/ejournal"


def test_a_password_piped_in_is_read_without_an_english_warning(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kernel.settings import password_or_ask

    monkeypatch.delenv("EJOURNAL_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("секрет 1\nвторая строка\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert password_or_ask() == "секрет 1"
    captured = capsys.readouterr()
    assert "Warning" not in captured.err + captured.out
    monkeypatch.setenv("EJOURNAL_PASSWORD", "из переменной")
    assert password_or_ask() == "из переменной"
