"""Students and parents of a group (R13, R20): the curator keeps their data and issues accounts.

Input is checked here, field by field, with Russian messages (:class:`FormErrors` names each
bad field): phones are normalised to ``+7XXXXXXXXXX`` («8 (900) 123-45-67» is accepted),
e-mail addresses, dates ``ДД.ММ.ГГГГ``, a plausible birth date. Reads and writes run on the
person's own connection, so row-level security decides whose data comes back and who may
change it; an account is issued by the database's account functions (:mod:`db.accounts`),
and its one-time password is returned once and never stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.printouts.forms import CredentialSlips
from core.session import UserSession
from kernel.errors import AccessDenied, EJournalError, ValidationError
from kernel.logins import OPAQUE_PREFIX, opaque_login, propose_login
from kernel.passwords import one_time_password

STATUSES = ("обучается", "академический отпуск", "отчислен", "выпущен")
LEFT_STATUSES = ("отчислен", "выпущен")
RELATIONS = ("мать", "отец", "опекун", "попечитель", "другой законный представитель")
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
    today = today or date.today()
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


class _Checker:
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

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def done(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)


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


@dataclass(frozen=True)
class StudentCard:
    """A student of the group with their account."""

    person_id: int
    data: StudentData
    subgroup_name: str = ""
    login: str = ""

    @property
    def full_name(self) -> str:
        """«Иванов Иван Петрович»."""
        return _full(self.data.surname, self.data.name, self.data.patronymic)


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
class ParentCard:
    """A parent of students of the group, with their account."""

    person_id: int
    data: ParentData
    login: str = ""

    @property
    def full_name(self) -> str:
        """«Иванова Мария Алексеевна»."""
        return _full(self.data.surname, self.data.name, self.data.patronymic)


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


def _full(surname: str, name: str, patronymic: str) -> str:
    return " ".join(part for part in (surname, name, patronymic) if part)


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
    c = _Checker(form)
    surname = c.take("surname", clean_name, "Фамилия")
    name = c.take("name", clean_name, "Имя")
    patronymic = c.take("patronymic", clean_name, "Отчество", False)
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


def _subgroup(c: _Checker, text: str, subgroups: Mapping[str, int | None] | None) -> int | None:
    if not text.strip():
        return None
    known = subgroups or {}
    if text not in known:
        c.fail("subgroup", f"Подгруппа «{text}»: в группе есть только {', '.join(known) or 'общая'}.")
        return None
    return known[text]


def _check_dates(c: _Checker, status: str, born: date | None, enrolled: date | None,
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
    c = _Checker(form)
    surname = c.take("surname", clean_name, "Фамилия")
    name = c.take("name", clean_name, "Имя")
    patronymic = c.take("patronymic", clean_name, "Отчество", False)
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
        return {"status": "обучается", "enrolled_on": f"{date.today():%d.%m.%Y}"}
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


# --- use-cases -------------------------------------------------------------------------


def list_groups(session: UserSession) -> list[GroupInfo]:
    """The groups to choose from: a curator's own; the office and the admin see every
    group the database shows them. (Row-level security decides what can be read at all.)"""
    from core.attendance.queries import read_groups

    with session.cursor() as cur:
        rows = read_groups(cur.connection, session.person.person_id)
    groups = [GroupInfo(*row) for row in rows]
    if session.person.has("office", "admin"):
        return groups
    return [g for g in groups if g.is_mine]


def read_roster(session: UserSession, group: GroupInfo) -> GroupRoster:
    """The group's students and their parents, with logins where accounts exist."""
    from core.people.queries import read_roster as read_rows

    with session.cursor() as cur:
        rows = read_rows(cur.connection, group.group_id)
    logins = {pid: login for pid, login in rows["accounts"]}
    students = tuple(
        StudentCard(pid, StudentData(*data), sub_name or "", logins.get(pid, ""))
        for pid, *data, sub_name in rows["students"])
    parents: dict[int, ParentCard] = {}
    for pid, surname, name, patronymic, phone, email, child, relation in rows["parents"]:
        known = parents.get(pid)
        children = (*known.data.children, child) if known else (child,)
        data = ParentData(surname, name, patronymic, known.data.relation if known else relation,
                          phone, email, children)
        parents[pid] = ParentCard(pid, data, logins.get(pid, ""))
    ordered = tuple(sorted(parents.values(), key=lambda p: (p.data.surname, p.data.name, p.person_id)))
    return GroupRoster(group, students, ordered, tuple(rows["subgroups"]))


STUDENT_FIELDS = ("surname", "name", "patronymic", "birth_date", "record_book_no", "status",
                  "subgroup", "phone", "email", "enrolled_on", "left_on")
PARENT_FIELDS = ("surname", "name", "patronymic", "relation", "phone", "email", "children")
CONTACT_FIELDS = frozenset({"phone", "email"})


def keeps_lists(session: UserSession) -> bool:
    """The office and the admin keep student lists: add students, change any field."""
    return session.person.has("office", "admin")


def student_fields(session: UserSession) -> frozenset[str]:
    """Fields of a student the person may change: everything for the office, the admin and
    the group's curator (migration 0012 grants the curator these columns of their group)."""
    return frozenset(STUDENT_FIELDS)


def parent_fields(session: UserSession, new: bool) -> frozenset[str]:
    """Fields of a parent the person may change: all of them, for the office, the admin and
    the curator of the children's group alike (``new`` is kept for callers)."""
    return frozenset(PARENT_FIELDS)


def save_student(session: UserSession, group: GroupInfo, data: StudentData,
                 person_id: int | None = None) -> int:
    """Write a student's data (a new student when ``person_id`` is None); return the id.
    Only the fields the person may change (:func:`student_fields`) are written.

    Raises:
        ValidationError: the record-book number is taken, or the database refused a value.
        AccessDenied: the person may not change this student.
    """
    from core.people import queries as students_sql

    values = _student_values(data)
    columns = {"subgroup_id" if f == "subgroup" else f for f in student_fields(session)}

    def write(conn: Any) -> int | None:
        return students_sql.write_student(conn, group.group_id, person_id, values, columns)

    return _write(session, write, "Изменение данных обучающегося")


def save_parent(session: UserSession, group: GroupInfo, data: ParentData,
                person_id: int | None = None) -> int:
    """Add a parent (``person_id`` None) or change one, and link them to the children ticked
    (students of the group); return the parent's id.

    Raises:
        ValidationError: the database refused a value.
        AccessDenied: the person may not change this parent.
    """
    from core.people import queries as students_sql

    values = {"surname": data.surname, "name": data.name, "patronymic": data.patronymic,
              "phone": data.phone, "email": data.email}
    columns = set(parent_fields(session, person_id is None))

    def write(conn: Any) -> int | None:
        return students_sql.write_parent(conn, group.group_id, person_id, values, columns,
                                         list(data.children), data.relation)

    return _write(session, write, "Изменение данных родителя")


def _student_values(data: StudentData) -> dict[str, Any]:
    return {"surname": data.surname, "name": data.name, "patronymic": data.patronymic,
            "birth_date": data.birth_date, "phone": data.phone, "email": data.email,
            "record_book_no": data.record_book_no, "status": data.status,
            "subgroup_id": data.subgroup_id, "enrolled_on": data.enrolled_on or date.today(),
            "left_on": data.left_on}


def _write(session: UserSession, write: Any, reason: str) -> int:
    import psycopg

    from db.connect import transaction

    try:
        with session.cursor() as cur, transaction(cur.connection, reason):
            person_id = write(cur.connection)
            if person_id is None:  # raised inside: the transaction is rolled back
                raise AccessDenied("Изменение не сохранено: нет прав на данные этого человека.")
    except psycopg.errors.UniqueViolation as exc:
        if "record_book" in str(exc.diag.constraint_name or ""):
            raise ValidationError("Такой номер зачётной книжки уже есть у другого обучающегося.") from exc
        raise _translate(exc) from exc
    except psycopg.Error as exc:
        raise _translate(exc) from exc
    return int(person_id)


def _translate(exc: Any) -> EJournalError:
    from db.errors import translate

    return translate(exc)


# --- accounts --------------------------------------------------------------------------

ROLE_WORDS = {"student": "обучающийся", "parent": "родитель"}
MAX_LOGIN_TRIES = 30


@dataclass(frozen=True)
class IssuedAccount:
    """An account just issued, with its one-time password (shown once, never stored).

    Attributes:
        person_id: Whose account.
        person: «Фамилия Имя Отчество».
        role: «обучающийся» or «родитель».
        login: The login.
        password: The one-time password; changed at the first login.
        note: A line of context: the group, or whose parent.
        new: True for a new account, False for a new password of an existing one.
    """

    person_id: int
    person: str
    role: str
    login: str
    password: str = field(repr=False)
    note: str = ""
    new: bool = True


@dataclass(frozen=True)
class AccountHolder:
    """Who is to get an account: a student or a parent of the roster."""

    person_id: int
    surname: str
    name: str
    patronymic: str
    role: str
    note: str
    login: str

    @property
    def full_name(self) -> str:
        """«Фамилия Имя Отчество»."""
        return _full(self.surname, self.name, self.patronymic)


def account_holder(roster: GroupRoster, person_id: int) -> AccountHolder:
    """The student or parent of the roster with that id, as an account holder.

    Raises:
        ValidationError: nobody of this group has that id.
    """
    for student in roster.students:
        if student.person_id == person_id:
            d = student.data
            return AccountHolder(person_id, d.surname, d.name, d.patronymic, "student",
                                 f"группа {roster.group.name}", student.login)
    for parent in roster.parents:
        if parent.person_id == person_id:
            p = parent.data
            children = ", ".join(f"{roster.student(c).data.surname} {roster.student(c).data.name}"
                                 for c in p.children if c in roster._by_id)
            return AccountHolder(person_id, p.surname, p.name, p.patronymic, "parent",
                                 f"{p.relation}: {children}, {roster.group.name}", parent.login)
    raise ValidationError("Этого человека нет среди студентов и родителей группы.")


def login_candidates(holder: AccountHolder) -> list[str]:
    """Logins to try in order. Students and parents get opaque logins (``st-k7m2qp``):
    role names are visible to every connected session, so a login must not spell a
    student's name; anyone else gets ``ivanova.ma``, ``ivanova.ma2``, …"""
    if holder.role in OPAQUE_PREFIX:
        return [opaque_login(holder.role) for _ in range(MAX_LOGIN_TRIES)]
    base = propose_login(holder.surname, holder.name, holder.patronymic)[:60]
    return [base] + [f"{base}{n}" for n in range(2, MAX_LOGIN_TRIES + 1)]


def issue_account(session: UserSession, holder: AccountHolder) -> IssuedAccount:
    """Give the holder an account with a one-time password, or a new one-time password if
    they have an account; the password is returned once and stored nowhere.

    A new login comes from :func:`login_candidates` (opaque for students and parents).

    Raises:
        AccessDenied: the person may not issue accounts to this holder.
        EJournalError: the database refused.
    """
    import psycopg

    from db.accounts import reset_password

    password = one_time_password()
    role = ROLE_WORDS.get(holder.role, holder.role)
    try:
        with session.cursor() as cur:
            conn = cur.connection
            if holder.login:
                reset_password(conn, holder.person_id, password, settings=session.settings)
                return IssuedAccount(holder.person_id, holder.full_name, role, holder.login,
                                     password, holder.note, new=False)
            login = _create_with_free_login(conn, holder, password, session)
    except psycopg.Error as exc:
        raise _translate(exc) from exc
    return IssuedAccount(holder.person_id, holder.full_name, role, login, password, holder.note)


def _create_with_free_login(conn: Any, holder: AccountHolder, password: str,
                            session: UserSession) -> str:
    import psycopg

    from db.accounts import create_account

    taken = {row[0] for row in conn.execute(
        "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(%s)",
        (login_candidates(holder),)).fetchall()}
    for login in login_candidates(holder):
        if login in taken:
            continue
        try:
            create_account(conn, holder.person_id, login, password, settings=session.settings,
                           must_change=True)
        except ValidationError as exc:
            if isinstance(exc.__cause__, psycopg.errors.UniqueViolation) and "занят" in exc.message:
                continue  # taken meanwhile by someone else: the next number
            raise
        return login
    raise ValidationError("Не удалось подобрать свободный логин: обратитесь к администратору.")


def credential_slips(session: UserSession, issued: list[IssuedAccount]) -> CredentialSlips:
    """The sheet of slips for accounts just issued (the passwords come from ``issued``)."""
    from core.printouts.data import SlipEntry
    from core.printouts.data import credential_slips as build

    entries = [SlipEntry(i.person, i.role, i.login, i.password, i.note) for i in issued]
    with session.cursor() as cur:
        return build(cur.connection, entries, how_to_connect(session))


def how_to_connect(session: UserSession) -> str:
    """The line on a slip that says how to start the program."""
    host = session.settings.host
    if host and not host.startswith("/"):
        return f"программа «ejournal», сервер {host}"
    return "программа «ejournal» на компьютере колледжа"


def initial_group(groups: list[GroupInfo], last: object) -> GroupInfo | None:
    """The group to open without asking: the one opened last time, else the person's only
    group (a curator of one group), else the only group there is; None: let them choose."""
    chosen = next((g for g in groups if g.group_id == last), None)
    mine = [g for g in groups if g.is_mine]
    if chosen is None and len(mine) == 1:
        chosen = mine[0]
    if chosen is None and len(groups) == 1:
        chosen = groups[0]
    return chosen
