"""The fields of the student's and the parent's cards on the curator's students screen."""

from __future__ import annotations

from typing import Any

from core.people.forms import RELATIONS, STATUSES
from tui.screens.curator.person_form import FormField

MOVEMENT_FIELDS = frozenset({"status", "enrolled_on", "left_on"})
"""Fields that follow the student's movements (F7 «Движение»), read-only in the form."""


def student_form_fields(subgroups: dict[int, str], allowed: frozenset[str] | None) -> list[FormField]:
    """The fields of a student's form; those outside ``allowed`` are shown read-only
    (``None``: all editable, a new student)."""
    def f(name: str, label: str, **kw: Any) -> FormField:
        moved = allowed is not None and name in MOVEMENT_FIELDS   # F7 changes them
        return FormField(name, label, editable=(allowed is None or name in allowed) and not moved, **kw)

    groups = (("общая (без подгруппы)", ""), *((n, n) for n in subgroups.values()))
    return [
        f("surname", "Фамилия"), f("name", "Имя"), f("patronymic", "Отчество"),
        f("birth_date", "Дата рождения", hint="ДД.ММ.ГГГГ"),
        f("record_book_no", "№ зачётной книжки"),
        f("status", "Статус", kind="choice", choices=tuple((s, s) for s in STATUSES)),
        f("subgroup", "Подгруппа", kind="choice", choices=groups),
        f("phone", "Телефон", hint="+7 900 123-45-67"),
        f("email", "E-mail", hint="name@mail.ru"),
        f("enrolled_on", "Дата зачисления", hint="ДД.ММ.ГГГГ"),
        f("left_on", "Дата выбытия", hint="для отчисленных и выпущенных"),
    ]


def parent_form_fields(children: tuple[tuple[str, str], ...], allowed: frozenset[str]) -> list[FormField]:
    """The fields of a parent's form; those outside ``allowed`` are read-only."""
    def f(name: str, label: str, **kw: Any) -> FormField:
        return FormField(name, label, editable=name in allowed, **kw)

    return [
        f("surname", "Фамилия"), f("name", "Имя"), f("patronymic", "Отчество"),
        f("relation", "Кем приходится", kind="choice", choices=tuple((r, r) for r in RELATIONS)),
        f("phone", "Телефон", hint="+7 900 123-45-67"),
        f("email", "E-mail", hint="name@mail.ru"),
        f("children", "Дети в группе (пробел — отметить)", kind="children", choices=children),
    ]
