"""Staff accounts (issue 13, item 6): the admin lists staff with their roles and account
state, creates accounts, blocks and unblocks them, resets passwords and adds or removes roles.

Everything runs on the admin's own connection through the database's account functions
(``journal.create_account``, ``reset_password``, ``block_account``, ``unblock_account``) and
the ``person_role`` table, whose policies and trigger keep the login role's groups in step.
Whoever else calls these gets the database's refusal, in Russian.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.people.roster import AccountHolder, IssuedAccount, issue_account
from core.session import ROLE_TITLES, STAFF_ROLES, UserSession
from kernel.errors import AccessDenied, EJournalError, ValidationError

ROLES_BY_TITLE = {title: key for key, title in ROLE_TITLES.items()}

STAFF = """
SELECT p.id, p.surname, p.name, p.patronymic,
       array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL),
       a.login, coalesce(a.blocked, false), coalesce(a.must_change_password, false)
  FROM journal.person p
  LEFT JOIN journal.person_role r ON r.person_id = p.id
  LEFT JOIN journal.account a ON a.person_id = p.id
 WHERE EXISTS (SELECT FROM journal.person_role s WHERE s.person_id = p.id
                AND s.role = ANY(%(staff)s))
 GROUP BY p.id, a.login, a.blocked, a.must_change_password
 ORDER BY p.surname, p.name, p.patronymic, p.id
"""


@dataclass(frozen=True)
class StaffMember:
    """A person holding a staff role, with their account."""

    person_id: int
    surname: str
    name: str
    patronymic: str
    roles: tuple[str, ...]
    login: str
    blocked: bool
    must_change: bool

    @property
    def full_name(self) -> str:
        """«Фамилия Имя Отчество»."""
        from kernel.text import full_name

        return full_name(self.surname, self.name, self.patronymic)

    @property
    def role_titles(self) -> str:
        """«преподаватель, куратор»."""
        return ", ".join(ROLE_TITLES[r] for r in ROLE_TITLES if r in self.roles)

    @property
    def state(self) -> str:
        """The account's state in Russian."""
        if not self.login:
            return "нет учётной записи"
        if self.blocked:
            return "заблокирована"
        if self.must_change:
            return "ждёт смены пароля"
        return "действует"

    def holder(self) -> AccountHolder:
        """As an account holder (logins like ``ivanova.ma``)."""
        return AccountHolder(self.person_id, self.surname, self.name, self.patronymic,
                             self.role_titles or "сотрудник", "", self.login)


def list_staff(session: UserSession) -> list[StaffMember]:
    """Every person with a staff role the person may read (the admin: all), with accounts."""
    with session.cursor() as cur:
        rows = cur.execute(STAFF, {"staff": sorted(STAFF_ROLES)}).fetchall()
    return [StaffMember(pid, s, n, p or "", tuple(roles or ()), login or "", blocked, must)
            for pid, s, n, p, roles, login, blocked, must in rows]


def find_staff(session: UserSession, who: str) -> StaffMember:
    """A staff member by login, id or «Фамилия Имя» (the unique match).

    Raises:
        ValidationError: nobody or several people match.
    """
    staff = list_staff(session)
    text = who.strip().casefold()
    found = [m for m in staff if m.login == text or str(m.person_id) == text]
    if not found:
        found = [m for m in staff if m.full_name.casefold().startswith(text)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(f"Сотрудника «{who}» не найдено (логин, номер или фамилия).")
    raise ValidationError(f"«{who}»: подходят несколько сотрудников — "
                          + ", ".join(m.full_name for m in found[:5]) + ". Уточните.")


def create_or_reset(session: UserSession, member: StaffMember) -> IssuedAccount:
    """A new account (login from the name) or a new one-time password; both force a change
    at the next login. The password is returned once and stored nowhere."""
    return issue_account(session, member.holder())


def set_blocked(session: UserSession, member: StaffMember, blocked: bool) -> None:
    """Block (no login, live sessions ended) or unblock the account (the admin only)."""
    from db.accounts import block, unblock

    if not member.login:
        raise ValidationError(f"У сотрудника «{member.full_name}» нет учётной записи.")
    with session.cursor() as cur:
        (block if blocked else unblock)(cur.connection, member.person_id)


def role_key(text: str) -> str:
    """A role from its key (``teacher``) or Russian title («преподаватель»).

    Raises:
        ValidationError: no such role.
    """
    value = text.strip().casefold()
    if value in ROLE_TITLES:
        return value
    if value in ROLES_BY_TITLE:
        return ROLES_BY_TITLE[value]
    raise ValidationError(f"Роли «{text}» нет. Роли: " + ", ".join(ROLE_TITLES.values()) + ".")


def change_role(session: UserSession, member: StaffMember, role: str, add: bool) -> None:
    """Give the person a role or take it away (their login role follows, 0009 trigger).

    Raises:
        ValidationError: the last role of a person cannot be taken (they would leave the
            staff list); the role is already given (or not held).
        AccessDenied: the database refused (only the admin changes roles).
    """
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    role = role_key(role)
    title = ROLE_TITLES[role]
    if add and role in member.roles:
        raise ValidationError(f"Роль «{title}» у сотрудника уже есть.")
    if not add and role not in member.roles:
        raise ValidationError(f"Роли «{title}» у сотрудника нет.")
    if not add and len(member.roles) == 1:
        raise ValidationError("Это единственная роль сотрудника: сначала добавьте другую "
                              "(или заблокируйте учётную запись).")
    query = ("INSERT INTO journal.person_role (person_id, role) VALUES (%s, %s)" if add else
             "DELETE FROM journal.person_role WHERE person_id = %s AND role = %s")
    reason = f"{'Добавлена' if add else 'Снята'} роль «{title}»"
    try:
        with session.cursor() as cur, transaction(cur.connection, reason):
            done = cur.execute(query, (member.person_id, role)).rowcount
    except psycopg.Error as exc:
        raise translate(exc) from exc
    if not done:
        raise _refused()


def _refused() -> EJournalError:
    return AccessDenied("Роли сотрудников меняет только заведующий учебной частью.")


def describe(member: StaffMember) -> dict[str, Any]:
    """One line of the list for the command line."""
    return {"№": member.person_id, "ФИО": member.full_name, "Роли": member.role_titles,
            "Логин": member.login or "—", "Учётная запись": member.state}
