"""Students, parents and accounts of the curator's group against the demo database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from core.people.forms import ParentData, check_parent
from core.people.roster import (
    account_holder,
    credential_slips,
    issue_account,
    read_roster,
    save_parent,
    save_student,
)
from core.session import log_in
from kernel.errors import AccessDenied, LoginError, ValidationError
from tests.curator_fixture import curator_group


def test_curator_keeps_the_data_of_own_students(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    roster = read_roster(curator, group)
    assert roster.students and roster.parents
    card = roster.students[0]
    changed = replace(card.data, phone="+79001234567", email="new@mail.ru", surname="Другая",
                      record_book_no="К-0001", status="академический отпуск")
    save_student(curator, group, changed, card.person_id)
    again = read_roster(curator, group).student(card.person_id).data
    assert (again.phone, again.email) == ("+79001234567", "new@mail.ru")
    assert (again.surname, again.record_book_no, again.status) == (
        "Другая", "К-0001", "академический отпуск")
    with curator.cursor() as cur, pytest.raises(psycopg.errors.InsufficientPrivilege):
        # moving a student to another group stays with the office
        cur.execute("UPDATE journal.student SET group_id = group_id WHERE person_id = %s",
                    (card.person_id,))


def test_curator_cannot_change_students_of_another_group(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    office = demo_db.log_in("учебной части")
    group = curator_group(curator)
    from core.people.roster import list_groups

    other = next(g for g in list_groups(office) if g.group_id != group.group_id)
    stranger = read_roster(office, other).students[0]
    assert read_roster(curator, other).students == ()  # not even readable
    with pytest.raises(AccessDenied):
        save_student(curator, other, replace(stranger.data, phone="+79990000000"), stranger.person_id)


def test_curator_adds_a_parent_of_two_children_and_unlinks_one(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    roster = read_roster(curator, group)
    kids = (roster.students[0].person_id, roster.students[1].person_id)
    data = check_parent({"surname": "Опекунова", "name": "Ольга", "relation": "опекун",
                         "phone": "8 (900) 111-22-33"}, kids)
    parent_id = save_parent(curator, group, data)
    roster = read_roster(curator, group)
    added = next(p for p in roster.parents if p.person_id == parent_id)
    assert (added.data.children, added.data.relation, added.data.phone) == (
        tuple(sorted(kids)), "опекун", "+79001112233")
    fewer = ParentData("Опекунова", "Ольга", "", "попечитель", "+79001112234", None, kids[:1])
    save_parent(curator, group, fewer, parent_id)
    after = next(p for p in read_roster(curator, group).parents if p.person_id == parent_id)
    assert (after.data.children, after.data.relation, after.data.phone) == (
        kids[:1], "попечитель", "+79001112234")


def test_office_adds_a_student_and_record_book_is_unique(demo_db: Any) -> None:
    from core.people.forms import check_student
    from core.people.roster import list_groups

    office = demo_db.log_in("учебной части")
    group = list_groups(office)[0]
    roster = read_roster(office, group)
    form = {"surname": "Новикова", "name": "Нина", "birth_date": "01.02.2010",
            "record_book_no": "NEW-1", "status": "обучается", "enrolled_on": "01.09.2026"}
    new_id = save_student(office, group, check_student(form))
    assert read_roster(office, group).student(new_id).data.record_book_no == "NEW-1"
    taken = {**form, "record_book_no": roster.students[0].data.record_book_no}
    with pytest.raises(ValidationError, match="зачётной книжки"):
        save_student(office, group, check_student(taken))


def test_account_issued_once_login_unique_and_reset(demo_db: Any, tmp_path: Path) -> None:
    curator = demo_db.log_in("куратор")
    group = curator_group(curator)
    roster = read_roster(curator, group)
    student = next(s for s in roster.students if not s.login)
    issued = issue_account(curator, account_holder(roster, student.person_id))
    assert issued.new and issued.role == "обучающийся" and len(issued.password) >= 8
    assert "password" not in repr(issued) and issued.password not in repr(issued)
    first = log_in(demo_db.settings, issued.login, issued.password)
    assert first.person.must_change_password
    first.close()
    # Logins of students and parents spell no name (role names are visible to everyone);
    # a namesake parent gets a login of their own.
    d = student.data
    namesake = save_parent(curator, group, ParentData(d.surname, d.name, d.patronymic, "отец",
                                                      "+79005554433", None, (student.person_id,)))
    roster = read_roster(curator, group)
    twin = issue_account(curator, account_holder(roster, namesake))
    assert issued.login.startswith("st-") and twin.login.startswith("rd-")
    assert twin.login != issued.login and twin.role == "родитель"
    from kernel.logins import transliterate

    assert transliterate(d.surname)[:4] not in issued.login + twin.login
    # A new one-time password for the student: the old one stops working.
    again = issue_account(curator, account_holder(roster, student.person_id))
    assert (again.new, again.login) == (False, issued.login) and again.password != issued.password
    with pytest.raises(LoginError):
        log_in(demo_db.settings, issued.login, issued.password)
    from printing.slips import render_slips

    path = tmp_path / "slip.pdf"
    render_slips(credential_slips(curator, [again, twin]), path)
    assert path.read_bytes().startswith(b"%PDF")
