"""Accounts for a whole group in one step, against the demo database (issue 11, item 12)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pypdf import PdfReader

from core.people.group_accounts import find_group, group_slips_path, issue_group, summary
from core.people.roster import credential_slips, list_groups
from core.session import log_in
from db.accounts import scram_verifier
from db.connect import Credentials
from printing.slips import save_private_slips

WITHOUT_ACCOUNT = """
SELECT p.id FROM journal.person p
 WHERE NOT EXISTS (SELECT FROM journal.account a WHERE a.person_id = p.id)
   AND (p.id IN (SELECT person_id FROM journal.student WHERE group_id = %(g)s)
        OR p.id IN (SELECT g.parent_id FROM journal.guardian g JOIN journal.student s
                      ON s.person_id = g.student_id WHERE s.group_id = %(g)s))
"""


def raw(demo_db: Any, login: str, password: str) -> psycopg.Connection:
    """A plain psycopg connection as a login (no program code in between)."""
    creds = Credentials.from_typed(demo_db.settings, login, password)
    return psycopg.connect(**creds.params, autocommit=True)


def without_account(demo_db: Any, group_id: int) -> set[int]:
    with demo_db.connect() as conn:
        return {r[0] for r in conn.execute(WITHOUT_ACCOUNT, {"g": group_id}).fetchall()}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_curator_issues_the_whole_group_once(demo_db: Any, tmp_path: Path) -> None:
    curator = demo_db.log_in("куратор")
    group = next(g for g in list_groups(curator) if g.is_mine)
    before = without_account(demo_db, group.group_id)
    assert len(before) > 10
    seen: list[int] = []
    result = issue_group(curator, group, lambda done, total, _who: seen.append(done))
    issued = {i.person_id for i in result.issued}
    # everyone without an account got one, except whom the database refused, with a reason
    assert issued and issued <= before
    assert len(issued) + len(result.refused) == len(before)
    assert len(seen) == len(issued)          # only those the database lets the curator serve
    assert all("учебная часть" in r.reason for r in result.refused)
    assert without_account(demo_db, group.group_id) == before - issued
    with demo_db.connect() as conn:
        rows = conn.execute("SELECT person_id, login, must_change_password FROM journal.account"
                            " WHERE person_id = ANY(%s)", (list(issued),)).fetchall()
    assert {r[0] for r in rows} == issued and all(r[2] for r in rows)
    assert {r[1] for r in rows} == {i.login for i in result.issued}
    assert f"выдано {len(issued)}" in summary(result)

    path = group_slips_path(tmp_path / "slips", group)
    save_private_slips(credential_slips(curator, list(result.issued)), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = pdf_text(path)
    assert all(i.login in text and i.password in text for i in result.issued)

    # the first login must change the password: the session reads nothing until then
    first = result.issued[0]
    newcomer = log_in(demo_db.settings, first.login, first.password)
    assert newcomer.person.must_change_password
    with newcomer.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM journal.mark").fetchone() == (0,)
    newcomer.close()

    again = issue_group(curator, group)
    assert again.issued == () and again.already >= len(issued)
    curator.close()


def test_office_issues_parents_a_curator_may_not(demo_db: Any) -> None:
    office = demo_db.log_in("работник учебной")
    curator = demo_db.log_in("куратор")
    group = next(g for g in list_groups(curator) if g.is_mine)
    first = issue_group(curator, group)
    result = issue_group(office, find_group(office, group.name.lower()))
    # what the curator was refused (a parent with a child in another group) the office issues
    assert {r.person for r in result.refused} == set()
    assert len(result.issued) == len(first.refused)
    with demo_db.connect() as conn:
        staff = conn.execute("SELECT person_id FROM journal.person_role WHERE role = 'teacher'"
                             " AND person_id NOT IN (SELECT person_id FROM journal.account)"
                             " LIMIT 1").fetchone()
    assert staff is not None  # a staff account stays the admin's
    office_login = demo_db.account("работник учебной")
    with raw(demo_db, office_login.login, office_login.password) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        verifier = scram_verifier(conn, "new-staff", "x" * 40)
        conn.execute("SELECT journal.create_account(%s, 'new-staff', %s)", (staff[0], verifier))
    office.close()
    curator.close()


def test_raw_curator_issues_only_for_own_group(demo_db: Any) -> None:
    account = demo_db.account("куратор")
    curator = demo_db.log_in("куратор")
    mine = next(g for g in list_groups(curator) if g.is_mine)
    curator.close()
    with demo_db.connect() as conn:
        other = conn.execute(
            "SELECT s.person_id FROM journal.student s WHERE s.group_id <> %s AND NOT EXISTS "
            "(SELECT FROM journal.account a WHERE a.person_id = s.person_id) LIMIT 1",
            (mine.group_id,)).fetchone()[0]
        own = conn.execute(
            "SELECT s.person_id FROM journal.student s WHERE s.group_id = %s AND NOT EXISTS "
            "(SELECT FROM journal.account a WHERE a.person_id = s.person_id) LIMIT 1",
            (mine.group_id,)).fetchone()[0]
    with raw(demo_db, account.login, account.password) as conn:
        verifier = scram_verifier(conn, "st-zzzzzz", "y" * 40)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT journal.create_account(%s, 'st-zzzzzz', %s)", (other, verifier))
        conn.execute("SELECT journal.create_account(%s, 'st-zzzzzz', %s, false)", (own, verifier))
    with demo_db.connect() as conn:
        forced = conn.execute("SELECT must_change_password FROM journal.account WHERE login ="
                              " 'st-zzzzzz'").fetchone()
    assert forced == (True,)   # a curator's account always starts with a forced change


def test_teacher_cannot_block_anyone(demo_db: Any) -> None:
    teacher = demo_db.account("преподаватель")
    parent = demo_db.log_in("родитель")
    target = parent.person.person_id
    parent.close()
    with raw(demo_db, teacher.login, teacher.password) as conn:
        for call in ("block_account", "unblock_account"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT journal.{call}(%s)", (target,))
    with demo_db.connect() as conn:
        assert conn.execute("SELECT blocked FROM journal.account WHERE person_id = %s",
                            (target,)).fetchone() == (False,)
