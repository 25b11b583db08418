"""The weekly letter's consent and the mail role, from raw connections (migration 0100)."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from tests.conftest import FreshDb
from tests.security.world import World

MAIL_PASSWORD = "пароль-почтовой-роли"
CONSENT = "INSERT INTO journal.letter_consent (parent_id, agreed) VALUES (%s, true)"
Login = Callable[[str], psycopg.Connection]


def _mail_role(db: FreshDb, su: psycopg.Connection) -> psycopg.Connection:
    su.execute(f"ALTER ROLE ejournal_mail PASSWORD '{MAIL_PASSWORD}'")
    status = db.server.status()
    return psycopg.connect(host=str(status.socket_dir), port=status.port, dbname=db.dbname,
                           user="ejournal_mail", password=MAIL_PASSWORD, autocommit=True)


def test_the_curator_sets_consent_of_their_groups_parents_with_history(
        world: World, login_as: Login, su: psycopg.Connection) -> None:
    curator = login_as("curator")
    with curator.transaction():
        curator.execute("SELECT set_config('journal.reason', 'заявление родителя', true)")
        curator.execute(CONSENT, (world.person["parent"],))
    curator.execute("UPDATE journal.letter_consent SET agreed = false, changed_at = now() "
                    "WHERE parent_id = %s", (world.person["parent"],))
    history = su.execute("SELECT action, reason, changed_by, new_value->>'agreed' FROM journal.change_log "
                         "WHERE table_name = 'letter_consent' ORDER BY id").fetchall()
    login = world.login["curator"]
    assert history == [("INSERT", "заявление родителя", login, "true"), ("UPDATE", "", login, "false")]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):   # RLS: not their group's parent
        curator.execute(CONSENT, (world.person["pb1"],))


def test_parents_teachers_and_other_curators_cannot_set_consent(
        world: World, login_as: Login, su: psycopg.Connection) -> None:
    for who, parent in (("parent", "pb1"), ("parent", "parent"), ("teacher", "parent"),
                        ("student", "parent"), ("curator2", "parent")):
        conn = login_as(who)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(CONSENT, (world.person[parent],))
    login_as("office").execute(CONSENT, (world.person["pb1"],))
    pb1 = login_as("pb1")
    assert pb1.execute("SELECT parent_id FROM journal.letter_consent").fetchall() == [(world.person["pb1"],)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        pb1.execute("UPDATE journal.letter_consent SET agreed = false")
    assert login_as("parent").execute("SELECT count(*) FROM journal.letter_consent").fetchone() == (0,)


def test_the_mail_role_reads_only_through_its_functions(world: World, sec_db: FreshDb,
                                                        su: psycopg.Connection) -> None:
    su.execute("UPDATE journal.person SET email = 'mama@example.ru' WHERE id = %s", (world.person["parent"],))
    su.execute(CONSENT, (world.person["parent"],))
    with _mail_role(sec_db, su) as mail:
        rows = mail.execute("SELECT parent_id, email, student_id FROM journal.mail_recipients()").fetchall()
        assert rows == [(world.person["parent"], "mama@example.ru", world.person["sa1"])]
        for table in ("person", "staff", "statement", "statement_mark", "mark", "attendance",
                      "change_log", "account", "letter_log", "letter_consent", "guardian"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                mail.execute(f"SELECT * FROM journal.{table} LIMIT 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            mail.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value) "
                         "VALUES (1, 1, %s, 'oral', '5')", (world.person["sa1"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            mail.execute("SELECT * FROM journal.whoami()")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            mail.execute("UPDATE journal.letter_consent SET agreed = false")


def test_only_senders_call_the_mail_functions_and_a_curator_sees_their_groups(
        world: World, login_as: Login, su: psycopg.Connection) -> None:
    for who in ("parent", "pb1"):
        su.execute("UPDATE journal.person SET email = %s WHERE id = %s",
                   (f"{who}@example.ru", world.person[who]))
        su.execute(CONSENT, (world.person[who],))
    for who in ("parent", "student", "teacher"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            login_as(who).execute("SELECT * FROM journal.mail_recipients()")
    seen = login_as("curator2").execute("SELECT parent_id FROM journal.mail_recipients()").fetchall()
    assert seen == [(world.person["pb1"],)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):   # not a parent of curator2's group
        login_as("curator2").execute("SELECT journal.mail_claim(%s, '2026-11-30', 'x@y.ru')",
                                     (world.person["parent"],))
    office = login_as("office")
    assert len(office.execute("SELECT * FROM journal.mail_recipients()").fetchall()) == 2
