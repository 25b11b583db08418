"""Students and parents of a group (R13, R20): the curator keeps their data and issues accounts.

The use-cases: the groups one may open, the group's roster, saving a student or a parent
(checked beforehand by :mod:`core.people.forms`, whose data this module reads and writes), and
accounts. Reads and writes run on the person's own connection, so row-level security decides
whose data comes back and who may change it; an account is issued by the database's account
functions (:mod:`db.accounts`), and its one-time password is returned once and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.people import forms
from core.people import queries as students_sql
from core.printouts.forms import CredentialSlips
from core.session import UserSession
from kernel import clock
from kernel.errors import AccessDenied, EJournalError, ValidationError
from kernel.logins import OPAQUE_PREFIX, opaque_login, propose_login
from kernel.passwords import one_time_password
from kernel.text import full_name

# --- use-cases -------------------------------------------------------------------------


def list_groups(session: UserSession) -> list[forms.GroupInfo]:
    """The groups to choose from: a curator's own; the office and the admin see every
    group the database shows them. (Row-level security decides what can be read at all.)"""
    from core.attendance.queries import read_groups

    with session.cursor() as cur:
        rows = read_groups(cur.connection, session.person.person_id)
    groups = [forms.GroupInfo(*row) for row in rows]
    if session.person.has("office", "admin"):
        return groups
    return [g for g in groups if g.is_mine]


def read_roster(session: UserSession, group: forms.GroupInfo) -> forms.GroupRoster:
    """The group's students and their parents, with logins where accounts exist."""
    from core.people.queries import read_roster as read_rows

    with session.cursor() as cur:
        rows = read_rows(cur.connection, group.group_id)
    logins = {pid: login for pid, login in rows["accounts"]}
    students = tuple(
        forms.StudentCard(pid, forms.StudentData(*data), sub_name or "", logins.get(pid, ""))
        for pid, *data, sub_name in rows["students"])
    parents: dict[int, forms.ParentCard] = {}
    for pid, surname, name, patronymic, phone, email, child, relation in rows["parents"]:
        known = parents.get(pid)
        children = (*known.data.children, child) if known else (child,)
        data = forms.ParentData(surname, name, patronymic, known.data.relation if known else relation,
                          phone, email, children)
        parents[pid] = forms.ParentCard(pid, data, logins.get(pid, ""))
    ordered = tuple(sorted(parents.values(), key=lambda p: (p.data.surname, p.data.name, p.person_id)))
    return forms.GroupRoster(group, students, ordered, tuple(rows["subgroups"]))




def keeps_lists(session: UserSession) -> bool:
    """The office and the admin keep student lists: add students, change any field."""
    return session.person.has("office", "admin")


def student_fields(session: UserSession) -> frozenset[str]:
    """Fields of a student the person may change: everything for the office, the admin and
    the group's curator (migration 0012 grants the curator these columns of their group)."""
    return frozenset(forms.STUDENT_FIELDS)


def parent_fields(session: UserSession, new: bool) -> frozenset[str]:
    """Fields of a parent the person may change: all of them, for the office, the admin and
    the curator of the children's group alike (``new`` is kept for callers)."""
    return frozenset(forms.PARENT_FIELDS)


def save_student(session: UserSession, group: forms.GroupInfo, data: forms.StudentData,
                 person_id: int | None = None) -> int:
    """Write a student's data (a new student when ``person_id`` is None); return the id.
    Only the fields the person may change (:func:`student_fields`) are written.

    Raises:
        ValidationError: the record-book number is taken, or the database refused a value.
        AccessDenied: the person may not change this student.
    """
    values = _student_values(data)
    columns = {"subgroup_id" if f == "subgroup" else f for f in student_fields(session)}

    def write(conn: Any) -> int | None:
        return students_sql.write_student(conn, group.group_id, person_id, values, columns)

    return _write(session, write, "Изменение данных обучающегося")


def save_parent(session: UserSession, group: forms.GroupInfo, data: forms.ParentData,
                person_id: int | None = None) -> int:
    """Add a parent (``person_id`` None) or change one, and link them to the children ticked
    (students of the group); return the parent's id.

    Raises:
        ValidationError: the database refused a value.
        AccessDenied: the person may not change this parent.
    """
    values = {"surname": data.surname, "name": data.name, "patronymic": data.patronymic,
              "phone": data.phone, "email": data.email}
    columns = set(parent_fields(session, person_id is None))

    def write(conn: Any) -> int | None:
        return students_sql.write_parent(conn, group.group_id, person_id, values, columns,
                                         list(data.children), data.relation)

    return _write(session, write, "Изменение данных родителя")


def _student_values(data: forms.StudentData) -> dict[str, Any]:
    return {"surname": data.surname, "name": data.name, "patronymic": data.patronymic,
            "birth_date": data.birth_date, "phone": data.phone, "email": data.email,
            "record_book_no": data.record_book_no, "status": data.status,
            "subgroup_id": data.subgroup_id, "enrolled_on": data.enrolled_on or clock.today(),
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
        return full_name(self.surname, self.name, self.patronymic)


def account_holder(roster: forms.GroupRoster, person_id: int) -> AccountHolder:
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


def initial_group(groups: list[forms.GroupInfo], last: object) -> forms.GroupInfo | None:
    """The group to open without asking: the one opened last time, else the person's only
    group (a curator of one group), else the only group there is; None: let them choose."""
    chosen = next((g for g in groups if g.group_id == last), None)
    mine = [g for g in groups if g.is_mine]
    if chosen is None and len(mine) == 1:
        chosen = mine[0]
    if chosen is None and len(groups) == 1:
        chosen = groups[0]
    return chosen
