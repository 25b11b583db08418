"""The settings screen's items: Russian checks of typed values, only the admin changes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from core.settings.college import BY_KEY, ITEMS, change, read_all
from kernel.errors import EJournalError, ValidationError
from tests.security.world import World

Login = Callable[[str], psycopg.Connection]


@pytest.mark.parametrize(("key", "text", "error"), [
    ("reason_after_days", "-1", "от 0 до 365"),
    ("reason_after_days", "три", "целое число"),
    ("rounding_rule", "наугад", "«вверх», «вниз» или «к чётному»"),
    ("working_hours.from", "25:00", "ЧЧ:ММ"),
    ("working_hours.enabled", "может быть", "«да» или «нет»"),
    ("working_hours.roles", "преподаватель, дворник", "Роль «дворник» неизвестна"),
    ("working_hours.days", "пн, праздник", "День «праздник»"),
    ("login_lockout.max_failures", "0", "от 1 до 100"),
    ("idle_lock_minutes", "2000", "от 0 до 1440"),
])
def test_values_not_allowed_are_refused_in_russian(key: str, text: str, error: str) -> None:
    parse = BY_KEY[key].parse
    assert parse is not None
    with pytest.raises(ValidationError, match=error):
        parse(text)


def test_every_item_says_what_it_does_and_allows() -> None:
    for item in ITEMS:
        assert item.title and item.allowed and item.meaning
        assert any("а" <= ch <= "я" for ch in item.meaning.lower())


def test_the_admin_changes_settings_the_office_cannot(world: World, login_as: Login,
                                                      su: psycopg.Connection) -> None:
    admin, office = login_as("admin"), login_as("office")
    assert change(admin, "reason_after_days", "7") == "7"
    assert change(admin, "rounding_rule", "к чётному").startswith("половина — к чётному")
    assert change(admin, "working_hours.days", "пн, вт, ср") == "пн, вт, ср"
    assert change(admin, "working_hours.roles", "преподаватель, куратор") == "преподаватель, куратор"
    assert change(admin, "login_lockout.lock_minutes", "30") == "30"
    stored = dict(su.execute("SELECT key, value FROM journal.setting").fetchall())
    assert stored["reason_after_days"] == 7 and stored["rounding_rule"] == "bankers"
    assert stored["working_hours"]["days"] == [1, 2, 3]
    assert stored["working_hours"]["roles"] == ["teacher", "curator"]
    assert stored["login_lockout"]["lock_minutes"] == 30
    with pytest.raises(EJournalError):
        change(office, "reason_after_days", "1")
    with pytest.raises(ValidationError, match="меняется не здесь"):
        change(admin, "backup.schedule", "03:00")
    assert su.execute("SELECT value FROM journal.setting WHERE key = 'reason_after_days'"
                      ).fetchone() == (7,)
    shown = {c.item.key: c.value for c in read_all(office)}
    assert shown["reason_after_days"] == "7" and shown["working_hours.enabled"] == "нет"
    assert shown["backup.destinations"] == "не заданы"
    history = su.execute("SELECT count(*) FROM journal.change_log WHERE table_name = 'setting'"
                         ).fetchone()
    assert history == (5,)


def test_backup_settings_go_to_the_settings_file_by_the_admin_only(
        world: World, login_as: Login, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "ejournal.toml"
    config.write_text('# written by the installer\nport = 5432\n', encoding="utf-8")
    monkeypatch.setenv("EJOURNAL_CONFIG", str(config))
    monkeypatch.setenv("EJOURNAL_BACKUP_HOME", str(tmp_path / "home"))
    first, second = tmp_path / "disk1", tmp_path / "usb"
    first.mkdir()
    admin, office = login_as("admin"), login_as("office")
    with pytest.raises(ValidationError, match="только заведующий"):
        change(office, "backup.time", "03:00")
    with pytest.raises(ValidationError, match=f"Папки «{second}» нет"):
        change(admin, "backup.destinations", f"{first}, {second}")
    with pytest.raises(ValidationError, match="не меньше 2 папок"):
        change(admin, "backup.destinations", str(first))
    assert config.read_text(encoding="utf-8") == "# written by the installer\nport = 5432\n"
    second.mkdir()
    assert change(admin, "backup.destinations", f"{first}; {second}").startswith(f"{first}, {second}")
    assert "не установлено" in change(admin, "backup.time", "03:40")
    change(admin, "backup.keep_daily", "7")
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# written by the installer\nport = 5432\n")
    assert f'backup_dirs = ["{first}", "{second}"]' in text
    assert '[backup]\ntime = "03:40"\nkeep_daily = 7' in text
    shown = {c.item.key: c.value for c in read_all(office)}
    assert shown["backup.destinations"] == f"{first}, {second}"
    assert (shown["backup.time"], shown["backup.keep_daily"]) == ("03:40", "7")
    assert shown["backup.schedule"].startswith("Расписание не установлено")
    monkeypatch.setenv("EJOURNAL_BACKUP_KEEP_MONTHLY", "3")
    with pytest.raises(ValidationError, match="EJOURNAL_BACKUP_KEEP_MONTHLY"):
        change(admin, "backup.keep_monthly", "6")
