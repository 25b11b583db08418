"""The roster's data and its forms (R13, R20): a group, its students and parents as the curator
keeps them, and the texts of a student's or a parent's form checked into that data.

:func:`check_student` and :func:`check_parent` check a whole form with the field checks of
:mod:`core.people.validation` and raise :class:`~core.people.validation.FormErrors` with one
Russian message per bad field; :func:`student_form` and :func:`parent_form` are the texts a
form shows. Pure: reading and writing the roster is in :mod:`core.people.roster`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.people.validation import (
    Checker,
    check_birth_date,
    normalize_email,
    normalize_phone,
    parse_date,
)
from kernel import clock
from kernel.text import full_name

STATUSES = ("обучается", "академический отпуск", "отчислен", "выпущен")
LEFT_STATUSES = ("отчислен", "выпущен")
RELATIONS = ("мать", "отец", "опекун", "попечитель", "другой законный представитель")

STUDENT_FIELDS = ("surname", "name", "patronymic", "birth_date", "record_book_no", "status",
                  "subgroup", "phone", "email", "enrolled_on", "left_on")
PARENT_FIELDS = ("surname", "name", "patronymic", "relation", "phone", "email", "children")
CONTACT_FIELDS = frozenset({"phone", "email"})


# --- the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupInfo:
    """A study group as listed for choosing one.

    Attributes:
        group_id: The group.
        name: «СЭЗ-24-1».
        curator: The curator as «Фамилия И. О.», empty if none.
        is_mine: The person is its curator.
    """

    group_id: int
    name: str
    curator: str = ""
    is_mine: bool = False

    @property
    def label(self) -> str:
        """«СЭЗ-24-1 · куратор Петрова А. С.»."""
        return f"{self.name} · куратор {self.curator}" if self.curator else self.name


@dataclass(frozen=True)
class StudentData:
    """A student's data as the curator keeps it (checked by :func:`check_student`)."""

    surname: str
    name: str
    patronymic: str = ""
    birth_date: date | None = None
    record_book_no: str = ""
    status: str = "обучается"
    subgroup_id: int | None = None
    phone: str | None = None
    email: str | None = None
    enrolled_on: date | None = None
    left_on: date | None = None


class _Card:
    """A card of a person of the group: their data (with the names) and their account."""

    data: StudentData | ParentData

    @property
    def full_name(self) -> str:
        """«Иванов Иван Петрович»."""
        return full_name(self.data.surname, self.data.name, self.data.patronymic)


@dataclass(frozen=True)
class StudentCard(_Card):
    """A student of the group with their account."""

    person_id: int
    data: StudentData
    subgroup_name: str = ""
    login: str = ""


@dataclass(frozen=True)
class ParentData:
    """A parent's data and which children (students of the group) they represent."""

    surname: str
    name: str
    patronymic: str = ""
    relation: str = "мать"
    phone: str | None = None
    email: str | None = None
    children: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParentCard(_Card):
    """A parent of students of the group, with their account."""

    person_id: int
    data: ParentData
    login: str = ""


@dataclass
class GroupRoster:
    """The students and parents of one group."""

    group: GroupInfo
    students: tuple[StudentCard, ...]
    parents: tuple[ParentCard, ...]
    subgroups: tuple[tuple[int, str], ...] = ()
    _by_id: dict[int, StudentCard] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {s.person_id: s for s in self.students}

    def student(self, person_id: int) -> StudentCard:
        """A student by id."""
        return self._by_id[person_id]

    def parents_of(self, student_id: int) -> list[ParentCard]:
        """The parents of one student."""
        return [p for p in self.parents if student_id in p.data.children]


# --- checking forms ----------------------------------------------------------------------


def check_student(form: Mapping[str, str], subgroups: Mapping[str, int | None] | None = None,
                  today: date | None = None) -> StudentData:
    """A student's data from the form's texts.

    Args:
        form: Field → typed text: surname, name, patronymic, birth_date, record_book_no,
            status, subgroup, phone, email, enrolled_on, left_on.
        subgroups: Subgroup name → id of the group («» → None).
        today: For checking the birth date (default: today).

    Raises:
        FormErrors: one message per wrong field.
    """
    c = Checker(form)
    surname, name, patronymic = c.names()
    born = c.take("birth_date", parse_date, "Дата рождения")
    if born is not None:
        c.take("birth_date", lambda _t: check_birth_date(born, today))
    book = " ".join(form.get("record_book_no", "").split())
    if not book:
        c.fail("record_book_no", "Номер зачётной книжки: обязательное поле.")
    elif len(book) > 20:
        c.fail("record_book_no", "Номер зачётной книжки: не длиннее 20 символов.")
    status = form.get("status", "обучается")
    if status not in STATUSES:
        c.fail("status", f"Статус «{status}»: выберите из списка.")
    subgroup_id = _subgroup(c, form.get("subgroup", ""), subgroups)
    phone = c.take("phone", normalize_phone, "Телефон")
    email = c.take("email", normalize_email, "E-mail")
    enrolled = c.take("enrolled_on", parse_date, "Дата зачисления")
    left = c.take("left_on", parse_date, "Дата выбытия")
    _check_dates(c, status, born, enrolled, left)
    c.done()
    return StudentData(surname, name, patronymic, born, book, status, subgroup_id, phone, email,
                       enrolled, left)


def _subgroup(c: Checker, text: str, subgroups: Mapping[str, int | None] | None) -> int | None:
    if not text.strip():
        return None
    known = subgroups or {}
    if text not in known:
        c.fail("subgroup", f"Подгруппа «{text}»: в группе есть только {', '.join(known) or 'общая'}.")
        return None
    return known[text]


def _check_dates(c: Checker, status: str, born: date | None, enrolled: date | None,
                 left: date | None) -> None:
    if status in LEFT_STATUSES and left is None:
        c.fail("left_on", f"Дата выбытия: укажите её для статуса «{status}».")
    if enrolled is not None and left is not None and left < enrolled:
        c.fail("left_on", "Дата выбытия раньше даты зачисления.")
    if born is not None and enrolled is not None and enrolled <= born:
        c.fail("enrolled_on", "Дата зачисления раньше даты рождения.")


def check_parent(form: Mapping[str, str], children: tuple[int, ...]) -> ParentData:
    """A parent's data from the form's texts and the children ticked.

    Args:
        form: Field → typed text: surname, name, patronymic, relation, phone, email.
        children: The students of the group the parent represents.

    Raises:
        FormErrors: one message per wrong field.
    """
    c = Checker(form)
    surname, name, patronymic = c.names()
    relation = form.get("relation", "")
    if relation not in RELATIONS:
        c.fail("relation", "Кем приходится: выберите из списка (мать, отец, опекун, …).")
    phone = c.take("phone", normalize_phone, "Телефон")
    email = c.take("email", normalize_email, "E-mail")
    if not children:
        c.fail("children", "Отметьте хотя бы одного ребёнка (пробел в списке детей).")
    if phone is None and email is None and not c.errors.get("phone"):
        c.fail("phone", "Укажите телефон или e-mail, чтобы с родителем можно было связаться.")
    c.done()
    return ParentData(surname, name, patronymic, relation, phone, email, tuple(sorted(children)))


def student_form(card: StudentCard | None, subgroup_names: Mapping[int, str]) -> dict[str, str]:
    """The texts a form shows for a student (empty for a new one)."""
    if card is None:
        return {"status": "обучается", "enrolled_on": f"{clock.today():%d.%m.%Y}"}
    d = card.data
    return {"surname": d.surname, "name": d.name, "patronymic": d.patronymic,
            "birth_date": _date_text(d.birth_date), "record_book_no": d.record_book_no,
            "status": d.status, "subgroup": subgroup_names.get(d.subgroup_id or 0, ""),
            "phone": d.phone or "", "email": d.email or "",
            "enrolled_on": _date_text(d.enrolled_on), "left_on": _date_text(d.left_on)}


def parent_form(card: ParentCard | None) -> dict[str, str]:
    """The texts a form shows for a parent (empty for a new one)."""
    if card is None:
        return {"relation": "мать"}
    d = card.data
    return {"surname": d.surname, "name": d.name, "patronymic": d.patronymic,
            "relation": d.relation, "phone": d.phone or "", "email": d.email or ""}


def _date_text(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""
