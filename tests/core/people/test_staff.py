"""Staff accounts through the database's own functions (issue 13, item 6)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from core.people.staff import change_role, create_or_reset, find_staff, list_staff, set_blocked
from core.session import log_in
from db.connect import Credentials
from kernel.errors import AccessDenied, LoginError, ValidationError


def _raw(demo_db: Any, login: str, password: str) -> psycopg.Connection:
    creds = Credentials.from_typed(demo_db.settings, login, password)
    return psycopg.connect(**creds.params, autocommit=True)


def _newcomer(admin: Any) -> Any:
    """A staff member without an account (the demo's own logins are the whole cluster's and
    shared by every test: they are never reset, blocked or given roles here)."""
    return next(m for m in list_staff(admin) if not m.login)


def test_admin_creates_blocks_unblocks_and_resets(demo_db: Any) -> None:
    from core.people.accounts import change_own_password

    admin = demo_db.log_in("заведующий")
    teacher = demo_db.account("преподаватель")
    member = find_staff(admin, teacher.login)
    assert "преподаватель" in member.role_titles and member.state == "действует"
    newcomer = _newcomer(admin)
    assert newcomer.state == "нет учётной записи"

    issued = create_or_reset(admin, newcomer)
    assert issued.new and "." in issued.login and issued.login.isascii()
    fresh = log_in(demo_db.settings, issued.login, issued.password)
    assert fresh.person.must_change_password          # forced change at the first login
    assert find_staff(admin, issued.login).state == "ждёт смены пароля"
    change_own_password(fresh, "Новый-пароль-2026")
    fresh.close()
    member = find_staff(admin, issued.login)
    assert member.state == "действует"

    set_blocked(admin, member, True)
    assert find_staff(admin, issued.login).state == "заблокирована"
    with pytest.raises(LoginError):
        log_in(demo_db.settings, issued.login, "Новый-пароль-2026")
    set_blocked(admin, member, False)
    log_in(demo_db.settings, issued.login, "Новый-пароль-2026").close()

    renewed = create_or_reset(admin, find_staff(admin, issued.login))
    assert not renewed.new and renewed.login == issued.login
    with pytest.raises(LoginError):                   # the old password is refused
        log_in(demo_db.settings, issued.login, "Новый-пароль-2026")
    again = log_in(demo_db.settings, issued.login, renewed.password)
    assert again.person.must_change_password
    again.close()
    admin.close()


def test_admin_adds_and_removes_roles(demo_db: Any) -> None:
    admin = demo_db.log_in("заведующий")
    login = create_or_reset(admin, _newcomer(admin)).login
    member = find_staff(admin, login)
    assert "curator" not in member.roles
    change_role(admin, member, "куратор", True)
    member = find_staff(admin, login)
    assert "curator" in member.roles and len(member.roles) >= 2
    with demo_db.connect() as su:
        assert su.execute("SELECT pg_has_role(%s, 'ej_curator', 'USAGE')",
                          (login,)).fetchone() == (True,)
    with pytest.raises(ValidationError, match="уже есть"):
        change_role(admin, member, "curator", True)
    change_role(admin, member, "curator", False)
    member = find_staff(admin, login)
    assert "curator" not in member.roles
    with demo_db.connect() as su:
        assert su.execute("SELECT pg_has_role(%s, 'ej_curator', 'USAGE')",
                          (login,)).fetchone() == (False,)
    if len(member.roles) == 1:
        with pytest.raises(ValidationError, match="единственная роль"):
            change_role(admin, member, member.roles[0], False)
    admin.close()


def test_a_teacher_changes_no_account_and_no_role(demo_db: Any) -> None:
    teacher = demo_db.log_in("преподаватель")
    account = demo_db.account("преподаватель")
    admin_account = demo_db.account("заведующий")
    with demo_db.connect() as su:
        admin_id = su.execute("SELECT person_id FROM journal.account WHERE login = %s",
                              (admin_account.login,)).fetchone()[0]
        before = su.execute("SELECT count(*) FROM journal.person_role").fetchone()
    me = teacher.person.person_id
    with _raw(demo_db, account.login, account.password) as conn:
        for query, args in (("SELECT journal.block_account(%s)", (admin_id,)),
                            ("SELECT journal.unblock_account(%s)", (admin_id,)),
                            ("INSERT INTO journal.person_role VALUES (%s, 'admin')", (me,)),
                            ("DELETE FROM journal.person_role WHERE person_id = %s", (admin_id,))):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(query, args)
    with demo_db.connect() as su:
        assert su.execute("SELECT count(*) FROM journal.person_role").fetchone() == before
    # through the program: the database's refusal, in Russian
    from core.people.staff import StaffMember

    target = StaffMember(admin_id, "Юдина", "В", "", ("admin",), admin_account.login, False, False)
    for action in (lambda: set_blocked(teacher, target, True),
                   lambda: change_role(teacher, target, "teacher", True)):
        with pytest.raises(AccessDenied) as caught:
            action()
        assert any("а" <= ch <= "я" for ch in caught.value.message)
    teacher.close()
