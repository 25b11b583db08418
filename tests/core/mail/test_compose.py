"""The letter's words without a database: greeting, marks, hours, HTML escaping, settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.mail.compose import greeting, html_text, message, plain_text
from core.mail.config import MailError, load_policy, read_secret
from core.mail.recipients import build_letters, mark_text
from kernel.errors import ConfigError

WEEK = date(2026, 11, 30)
RECIPIENTS = [(7, "Иванова Мария Петровна", "maria@example.ru", 70, "Иванов Пётр Ильич", "ИС-25-1")]
ITEMS = [
    (70, "mark", date(2026, 12, 1), 2, "Физика", "5", 2, ["КР", "Контрольная работа"]),
    (70, "absence", date(2026, 12, 2), 1, "История", "НУ", 2, []),
    (70, "absence", date(2026, 12, 3), 3, "История", "НН", 1, []),
    (70, "homework", date(2026, 12, 1), 2, "Физика", "Задачи <b>", 2, ["12–15", "3, 5", ""]),
    (99, "mark", date(2026, 12, 1), 2, "Физика", "2", 2, ["КР", "Контрольная работа"]),
]


def test_plain_and_html_parts_of_one_letter() -> None:
    [letter] = build_letters(WEEK, RECIPIENTS, ITEMS)
    text = plain_text(letter)
    assert text.startswith("Здравствуйте, Мария Петровна!\n")
    assert "вт 01.12, 2-я пара — Физика: 5 (контрольная работа)" in text
    assert "Пропуски: НУ 2 ч., НН 1 ч." in text
    assert "Физика: Задачи <b>; стр. 12–15; № 3, 5" in text
    assert ": 2 (" not in text   # another student's mark stays out
    assert "Задачи &lt;b&gt;" in html_text(letter)
    mail = message(letter, "journal@college.ru")
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Message-ID"].endswith("@college.ru>")


def test_small_rules() -> None:
    assert greeting("Петров") == "Здравствуйте, Петров!"
    assert mark_text("зачёт", []) == "зачёт"
    with pytest.raises(ConfigError, match="ЧЧ:ММ"):
        load_policy(time="25:00")
    with pytest.raises(ConfigError, match="mon"):
        load_policy(weekday="пятница")


def test_password_file_must_be_private(tmp_path: Path) -> None:
    secret = tmp_path / "smtp.pass"
    secret.write_text("# комментарий\nпароль\n", encoding="utf-8")
    secret.chmod(0o640)
    with pytest.raises(MailError, match="chmod 600"):
        read_secret(str(secret), "пароль SMTP")
    secret.chmod(0o600)
    assert read_secret(str(secret), "пароль SMTP") == "пароль"
    with pytest.raises(MailError, match="Не задан файл"):
        read_secret("", "пароль SMTP")
