"""Logins recorded by the login trigger; refusals reach the program as Russian LoginErrors."""

from __future__ import annotations

import json

import psycopg
import pytest

from db import connect as db_connect
from db.errors import translate
from kernel.errors import LoginError
from tests.security.conftest import person_conninfo
from tests.security.world import World


def test_successful_logins_are_recorded(world: World, su: psycopg.Connection, login_as) -> None:
    login_as("teacher")
    login_as("teacher")
    rows = su.execute("SELECT success, detail FROM journal.login_event WHERE login = %s",
                      (world.login["teacher"],)).fetchall()
    assert rows == [(True, ""), (True, "")]
    superusers = su.execute("SELECT count(*) FROM journal.login_event WHERE login = session_user"
                            ).fetchone()
    assert superusers == (0,)
    assert login_as("admin").execute("SELECT count(*) FROM journal.login_event WHERE login = %s",
                                     (world.login["teacher"],)).fetchone() == (2,)


def test_refusals_reach_the_program_as_login_errors(world: World, su: psycopg.Connection,
                                                    sec_db) -> None:
    su.execute("UPDATE journal.setting SET value = value || %s WHERE key = 'working_hours'",
               (json.dumps({"enabled": True, "roles": ["teacher"], "from": "00:00",
                            "to": "00:00", "days": []}),))
    params = psycopg.conninfo.conninfo_to_dict(person_conninfo(sec_db, world.login["teacher"]))
    with pytest.raises(LoginError, match="рабочее время"):
        db_connect.connect({k: str(v) for k, v in params.items()})
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect(person_conninfo(sec_db, world.login["teacher"]))
    error = translate(caught.value)
    assert isinstance(error, LoginError) and "рабочее время" in error.message
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect(person_conninfo(sec_db, world.login["teacher"], "неверный пароль"))
    assert translate(caught.value).message == "Неверный логин или пароль."


@pytest.mark.parametrize(("option", "refusal"), [
    ("default_transaction_read_only=on", "без записи в журнал входов"),
    ("event_triggers=off", "permission denied to set parameter"),
    ("session_replication_role=replica", "permission denied to set parameter"),
])
def test_a_login_cannot_dodge_the_login_trigger(world: World, sec_db, su: psycopg.Connection,
                                                option: str, refusal: str) -> None:
    conninfo = psycopg.conninfo.make_conninfo(person_conninfo(sec_db, world.login["student"]),
                                              options=f"-c {option}")
    with pytest.raises(psycopg.OperationalError, match=refusal):
        psycopg.connect(conninfo)
    assert su.execute("SELECT count(*) FROM journal.login_event WHERE login = %s",
                      (world.login["student"],)).fetchone() == (0,)
