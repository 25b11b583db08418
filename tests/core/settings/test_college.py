"""The settings screen's items: Russian checks of typed values, only the admin changes them."""

from __future__ import annotations

from collections.abc import Callable

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
        change(admin, "backup.destinations", "/tmp")
    assert su.execute("SELECT value FROM journal.setting WHERE key = 'reason_after_days'"
                      ).fetchone() == (7,)
    shown = {c.item.key: c.value for c in read_all(office)}
    assert shown["reason_after_days"] == "7" and shown["working_hours.enabled"] == "нет"
    assert shown["backup.destinations"] == "не заданы"
    history = su.execute("SELECT count(*) FROM journal.change_log WHERE table_name = 'setting'"
                         ).fetchone()
    assert history == (5,)
