"""Checking what is typed into the roster's forms (R13, R20), field by field, in Russian.

Phones are normalised to ``+7XXXXXXXXXX`` («8 (900) 123-45-67» is accepted), e-mail
addresses, dates ``ДД.ММ.ГГГГ``, a plausible birth date, parts of names; :class:`Checker`
collects one message per bad field and :class:`FormErrors` names each of them. Pure: no
database here (the forms that use these checks: :mod:`core.people.forms`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from kernel import clock
from kernel.errors import ValidationError

MIN_STUDENT_AGE, MAX_STUDENT_AGE = 13, 80
NAME_PATTERN = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[ '’-][A-Za-zА-Яа-яЁё]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
DATE_PATTERN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
PHONE_CHARS = re.compile(r"^[\d\s()+.\-]+$")


class FormErrors(ValidationError):
    """Several fields of a form are wrong; ``errors`` maps each field to its message.

    Args:
        errors: Field name → Russian message.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()), title="Проверьте данные")
        self.errors = dict(errors)


# --- checking input ------------------------------------------------------------------------


def normalize_phone(text: str, label: str = "Телефон") -> str | None:
    """``+7XXXXXXXXXX`` from «8 (900) 123-45-67», «+7 900 123 45 67», «9001234567»; None if empty.

    Raises:
        ValidationError: not a Russian phone number.
    """
    raw = text.strip()
    if not raw:
        return None
    example = "например +7 900 123-45-67 или 8 (900) 123-45-67"
    if not PHONE_CHARS.match(raw) or "+" in raw[1:]:
        raise ValidationError(f"{label} «{text}»: только цифры, пробелы, скобки и дефисы, {example}.")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") and not digits.startswith("7"):
        raise ValidationError(f"{label} «{text}»: нужен российский номер, начинающийся с +7.")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    elif raw.startswith("+"):
        digits = ""  # +7 and not 11 digits
    if len(digits) != 10:
        raise ValidationError(f"{label} «{text}»: в номере должно быть 11 цифр, {example}.")
    return "+7" + digits


def phone_text(phone: str | None) -> str:
    """A stored phone as people read it: «+7 (900) 123-45-67» (empty for none)."""
    if not phone or not re.fullmatch(r"\+7\d{10}", phone):
        return phone or ""
    d = phone[2:]
    return f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"


def normalize_email(text: str, label: str = "E-mail") -> str | None:
    """The address trimmed, its domain in lower case; None if empty.

    Raises:
        ValidationError: not an e-mail address.
    """
    raw = text.strip()
    if not raw:
        return None
    if len(raw) > 254 or not EMAIL_PATTERN.match(raw) or ".." in raw:
        raise ValidationError(f"{label} «{text}»: введите адрес вида ivanova@mail.ru.")
    local, domain = raw.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def parse_date(text: str, label: str) -> date | None:
    """A date typed as ДД.ММ.ГГГГ; None if empty.

    Raises:
        ValidationError: another format, or no such date (31.02).
    """
    raw = text.strip()
    if not raw:
        return None
    match = DATE_PATTERN.match(raw)
    if match is None:
        raise ValidationError(f"{label} «{text}»: введите в виде ДД.ММ.ГГГГ, например 05.03.2008.")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{label} «{text}»: такой даты нет в календаре.") from None


def check_birth_date(born: date, today: date | None = None) -> None:
    """Refuse a student's birth date that cannot be right (in the future, too young or old).

    Raises:
        ValidationError: the age is outside 13…80 years.
    """
    today = today or clock.today()
    if born > today:
        raise ValidationError(f"Дата рождения {born:%d.%m.%Y} ещё не наступила.")
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < MIN_STUDENT_AGE:
        raise ValidationError(f"Дата рождения {born:%d.%m.%Y}: обучающемуся было бы {age} "
                              f"(меньше {MIN_STUDENT_AGE} лет) — проверьте год.")
    if age > MAX_STUDENT_AGE:
        raise ValidationError(f"Дата рождения {born:%d.%m.%Y}: обучающемуся было бы больше "
                              f"{MAX_STUDENT_AGE} лет — проверьте год.")


def clean_name(text: str, label: str, required: bool = True) -> str:
    """A part of a name with spaces tidied and a capital first letter.

    Raises:
        ValidationError: empty when required, or characters other than letters, space,
            hyphen and apostrophe.
    """
    raw = " ".join(text.split())
    if not raw:
        if required:
            raise ValidationError(f"{label}: обязательное поле.")
        return ""
    if not NAME_PATTERN.match(raw) or len(raw) > 60:
        raise ValidationError(f"{label} «{text}»: допустимы буквы, пробел, дефис и апостроф.")
    return raw[0].upper() + raw[1:]


class Checker:
    """Collects one message per bad field."""

    def __init__(self, form: Mapping[str, str]) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def take(self, name: str, check: Any, *args: Any) -> Any:
        try:
            return check(self.form.get(name, ""), *args)
        except ValidationError as error:
            self.errors[name] = error.message
            return None

    def names(self) -> tuple[Any, Any, Any]:
        """The person's surname, name and patronymic (the last may be empty)."""
        return (self.take("surname", clean_name, "Фамилия"), self.take("name", clean_name, "Имя"),
                self.take("patronymic", clean_name, "Отчество", False))

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def done(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)
