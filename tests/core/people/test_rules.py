"""Checking what the curator types about students and parents (Russian messages)."""

from __future__ import annotations

from datetime import date

import pytest

from core.people.forms import check_parent, check_student
from core.people.validation import (
    FormErrors,
    check_birth_date,
    clean_name,
    normalize_email,
    normalize_phone,
    parse_date,
    phone_text,
)
from kernel.errors import ValidationError

TODAY = date(2026, 11, 28)
GOOD = {"surname": "иванов", "name": "Иван", "patronymic": "Петрович", "birth_date": "05.03.2009",
        "record_book_no": "24-017", "status": "обучается", "subgroup": "1 подгр.",
        "phone": "8 (900) 123-45-67", "email": "Ivan@Mail.RU", "enrolled_on": "01.09.2024"}
SUBGROUPS = {"1 подгр.": 21, "2 подгр.": 22}


@pytest.mark.parametrize("typed", ["8 (900) 123-45-67", "+7 900 123 45 67", "89001234567",
                                   "9001234567", "7-900-123-45-67", " +7(900)1234567 "])
def test_phone_is_normalised(typed: str) -> None:
    assert normalize_phone(typed) == "+79001234567"


@pytest.mark.parametrize(("typed", "words"), [
    ("123-45", "11 цифр"), ("+1 202 555 0100", r"\+7"), ("8 900 123 45 67 доб. 5", "только цифры"),
    ("+7 900 123-45-6", "11 цифр")])
def test_bad_phone_says_why(typed: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        normalize_phone(typed)


def test_phone_shown_grouped() -> None:
    assert phone_text("+79001234567") == "+7 (900) 123-45-67"
    assert phone_text(None) == ""


def test_empty_phone_and_email_are_none() -> None:
    assert normalize_phone("  ") is None
    assert normalize_email("") is None


def test_email() -> None:
    assert normalize_email(" Maria.Ivanova@Mail.RU ") == "Maria.Ivanova@mail.ru"
    for bad in ("ivanova", "ivanova@mail", "iva nova@mail.ru", "a@@b.ru", "a@b..ru"):
        with pytest.raises(ValidationError, match=r"ivanova@mail\.ru"):
            normalize_email(bad)


def test_dates() -> None:
    assert parse_date("5.3.2009", "Дата рождения") == date(2009, 3, 5)
    with pytest.raises(ValidationError, match=r"ДД\.ММ\.ГГГГ"):
        parse_date("2009-03-05", "Дата рождения")
    with pytest.raises(ValidationError, match="такой даты нет"):
        parse_date("31.02.2009", "Дата рождения")


def test_birth_date_plausible() -> None:
    check_birth_date(date(2009, 3, 5), TODAY)
    with pytest.raises(ValidationError, match="ещё не наступила"):
        check_birth_date(date(2027, 1, 1), TODAY)
    with pytest.raises(ValidationError, match="меньше 13 лет"):
        check_birth_date(date(2020, 1, 1), TODAY)
    with pytest.raises(ValidationError, match="больше 80 лет"):
        check_birth_date(date(1920, 1, 1), TODAY)


def test_names() -> None:
    assert clean_name("  мария-анна ", "Имя") == "Мария-анна"
    with pytest.raises(ValidationError, match="обязательное поле"):
        clean_name(" ", "Фамилия")
    with pytest.raises(ValidationError, match="буквы"):
        clean_name("Ив@н", "Имя")


def test_student_form_is_checked_and_normalised() -> None:
    data = check_student(GOOD, SUBGROUPS, TODAY)
    assert (data.surname, data.phone, data.email, data.subgroup_id) == (
        "Иванов", "+79001234567", "Ivan@mail.ru", 21)
    assert data.birth_date == date(2009, 3, 5) and data.enrolled_on == date(2024, 9, 1)


def test_student_form_names_every_bad_field() -> None:
    bad = {**GOOD, "surname": "", "birth_date": "30.02.2009", "phone": "12345", "email": "x@",
           "status": "отчислен", "subgroup": "3 подгр."}
    with pytest.raises(FormErrors) as caught:
        check_student(bad, SUBGROUPS, TODAY)
    errors = caught.value.errors
    assert set(errors) == {"surname", "birth_date", "phone", "email", "left_on", "subgroup"}
    assert errors["left_on"] == "Дата выбытия: укажите её для статуса «отчислен»."
    assert "1 подгр., 2 подгр." in errors["subgroup"]
    assert caught.value.title == "Проверьте данные"


def test_parent_form() -> None:
    form = {"surname": "Иванова", "name": "Мария", "relation": "мать", "phone": "8 900 765 43 21"}
    data = check_parent(form, (5, 3))
    assert (data.phone, data.children, data.email) == ("+79007654321", (3, 5), None)
    with pytest.raises(FormErrors) as caught:
        check_parent({**form, "phone": "", "relation": "тётя"}, ())
    assert set(caught.value.errors) == {"phone", "relation", "children"}
    assert "телефон или e-mail" in caught.value.errors["phone"]
