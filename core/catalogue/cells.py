"""One cell of an imported sheet → a typed value, or a Russian reason it is wrong.

Pure rules: the preview shows the reason as «строка 14, «Дата рождения»: 31.02.2008 — такой
даты нет».
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from core.catalogue.sheets import Formula

EXCEL_EPOCH = date(1899, 12, 30)
Parser = Callable[[object], object]


class CellError(ValueError):
    """The cell's value is wrong; the message says why, in Russian."""


def shown(value: object) -> str:
    """The value as the office typed it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    return str(value)


def check_formula(value: object) -> None:
    """A formula instead of a value is refused: its result is not stored reliably."""
    if isinstance(value, Formula):
        raise CellError(f"{value} — формула вместо значения. Вставьте значения "
                        "(«Специальная вставка → Значения») и сохраните файл.")


def text(value: object) -> str:
    """Text, spaces collapsed."""
    return " ".join(shown(value).split())


def integer(low: int, high: int) -> Parser:
    """A whole number between ``low`` and ``high``."""
    def parse(value: object) -> int:
        raw = shown(value).strip()
        if not re.fullmatch(r"-?\d+", raw):
            raise CellError(f"{raw} — не целое число")
        number = int(raw)
        if not low <= number <= high:
            raise CellError(f"{raw} — должно быть от {low} до {high}")
        return number
    return parse


def _serial(number: float, raw: str) -> date:
    if not 1 <= number < 2958466:
        raise CellError(f"{raw} — не дата; пишите ДД.ММ.ГГГГ")
    return EXCEL_EPOCH + timedelta(days=int(number))


def day(value: object) -> date:
    """A date: a date cell, an Excel serial number (a date stored as a number), ДД.ММ.ГГГГ or
    ГГГГ-ММ-ДД."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = shown(value).strip()
    if isinstance(value, int | float) or re.fullmatch(r"\d{5}", raw):
        return _serial(float(raw), raw)
    match = (re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", raw)
             or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw))
    if not match:
        raise CellError(f"{raw} — не дата; пишите ДД.ММ.ГГГГ")
    a, b, c = (int(x) for x in match.groups())
    y, m, d = (a, b, c) if a > 31 else (c, b, a)
    try:
        found = date(y, m, d)
    except ValueError:
        raise CellError(f"{raw} — такой даты нет") from None
    if found.year < 1901:
        raise CellError(f"{raw} — слишком ранняя дата")
    return found


def clock(value: object) -> time:
    """A time of day ЧЧ:ММ."""
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    raw = shown(value).strip()
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::00)?", raw)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise CellError(f"{raw} — не время; пишите ЧЧ:ММ, например 08:30")
    return time(int(match[1]), int(match[2]))


YES = {"да", "д", "1", "+", "true", "истина", "yes", "зачёт", "зачет", "совм", "совместитель"}
NO = {"нет", "н", "0", "-", "false", "ложь", "no", ""}


def yes_no(value: object) -> bool:
    """Да/нет."""
    raw = shown(value).strip().casefold()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(f"{shown(value)} — пишите «да» или «нет»")


def choice(options: dict[str, str], what: str) -> Parser:
    """One of ``options`` (spelling typed → value stored), case-insensitively."""
    folded = {k.casefold().replace("ё", "е"): v for k, v in options.items()}
    allowed = ", ".join(dict.fromkeys(options))

    def parse(value: object) -> str:
        raw = text(value)
        found = folded.get(raw.casefold().replace("ё", "е"))
        if found is None:
            raise CellError(f"{raw} — не {what}; допустимо: {allowed}")
        return found
    return parse


def phone(value: object) -> str:
    """A Russian phone number, stored as +7XXXXXXXXXX."""
    raw = shown(value).strip()
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "9":
        return "+7" + digits
    raise CellError(f"{raw} — не номер телефона; пишите +7 900 123-45-67")


def email(value: object) -> str:
    """An e-mail address."""
    raw = shown(value).strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", raw):
        raise CellError(f"{raw} — не адрес электронной почты")
    return raw.lower()


def full_name(value: object) -> tuple[str, str, str]:
    """«Фамилия Имя Отчество» → its parts (the patronymic may be missing)."""
    parts = text(value).split()
    if len(parts) < 2:
        raise CellError(f"{text(value)} — нужны фамилия и имя (и отчество, если есть)")
    return parts[0], parts[1], " ".join(parts[2:])
