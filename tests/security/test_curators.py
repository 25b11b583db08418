"""A curator links, issues and resets only parents who are wholly theirs (issue 10, item 2).

The attack: a curator linked a parent of another group to a student of their own group,
reset that parent's password (which ended the parent's session) and logged in as the parent,
reading the other group's child's marks. The same worked for a parent of their own group
with a child elsewhere; and curators could issue accounts without a forced password change.
"""

from __future__ import annotations

import psycopg
import pytest

from db import accounts
from tests.security.conftest import SETTINGS, connect_as, unique_login, verifier
from tests.security.world import World


def test_a_curator_cannot_link_a_parent_of_another_group(world: World, su: psycopg.Connection,
                                                         login_as) -> None:
    # pb1 (a parent of group GB) corresponds with the curator, who therefore sees their name
    su.execute("INSERT INTO journal.thread_member (thread_id, person_id) VALUES (%s, %s)",
               (world.thread["other"], world.person["curator"]))
    curator = login_as("curator")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        curator.execute("INSERT INTO journal.guardian (parent_id, student_id, relation) "
                        "VALUES (%s, %s, 'отец')", (world.person["pb1"], world.person["sa2"]))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        curator.execute("UPDATE journal.guardian SET parent_id = %s WHERE student_id = %s",
                        (world.person["pb1"], world.person["sa2"]))
    # the takeover that followed: pb1 is not the curator's to reset
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="Недостаточно прав"):
        curator.execute("SELECT journal.reset_password(%s, %s)",
                        (world.person["pb1"], verifier(curator, world.login["pb1"])))
    # a parent wholly of the group may be linked to another student of it
    curator.execute("INSERT INTO journal.guardian (parent_id, student_id, relation) "
                    "VALUES (%s, %s, 'отец')", (world.person["pa2"], world.person["sa3"]))


def test_a_parent_with_a_child_elsewhere_is_the_admins(world: World, su: psycopg.Connection,
                                                        sec_db, login_as) -> None:
    parent, other_child = world.person["parent"], world.person["sb2"]
    su.execute("INSERT INTO journal.guardian VALUES (%s, %s, 'мать')", (parent, other_child))
    parent_session = connect_as(sec_db, world.login["parent"])
    curator = login_as("curator")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="Недостаточно прав"):
        curator.execute("SELECT journal.reset_password(%s, %s)",
                        (parent, verifier(curator, world.login["parent"])))
    assert parent_session.execute("SELECT 1").fetchone() == (1,)   # not ended
    parent_session.close()
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        curator.execute("INSERT INTO journal.guardian (parent_id, student_id, relation) "
                        "VALUES (%s, %s, 'отец')", (parent, world.person["sa2"]))
    # the admin may
    accounts.reset_password(login_as("admin"), parent, "сброс-админом-1", settings=SETTINGS)


def test_accounts_a_curator_issues_must_change_their_password(world: World, su, login_as) -> None:
    curator = login_as("curator")
    login = unique_login()
    curator.execute("SELECT journal.create_account(%s, %s, %s, false)",
                    (world.person["pa2"], login, verifier(curator, login)))
    row = su.execute("SELECT must_change_password FROM journal.account WHERE login = %s",
                     (login,)).fetchone()
    assert row == (True,)
    admin_issued = unique_login()
    login_as("admin").execute("SELECT journal.create_account(%s, %s, %s, false)",
                              (world.person["sb2"], admin_issued, verifier(su, admin_issued)))
    assert su.execute("SELECT must_change_password FROM journal.account WHERE login = %s",
                      (admin_issued,)).fetchone() == (False,)
