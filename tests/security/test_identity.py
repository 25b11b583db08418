"""Identity is session_user: nothing a session sets or switches makes it someone else."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest

from tests.security.conftest import PASSWORD, connect_as, person_conninfo, verifier
from tests.security.world import World

TABLES = ("mark", "attendance", "lesson", "student", "guardian", "final_mark", "statement_mark",
          "account", "change_log", "thread", "message")


def _visible(conn: psycopg.Connection) -> dict[str, int]:
    counts = {t: conn.execute(f"SELECT count(*) FROM journal.{t}").fetchone()[0]  # type: ignore[index]
              for t in TABLES}
    counts["person"] = conn.execute("SELECT count(id) FROM journal.person").fetchone()[0]  # type: ignore[index]
    return counts


FORGERIES = [
    "SET app.user_id = '1'",
    "SELECT set_config('journal.person_id', '1', false)",
    "SELECT set_config('journal.role', 'admin', false)",
    "SET journal.reason = 'я директор'",
    "SELECT set_config('request.jwt.claims', '{\"role\": \"ej_admin\"}', false)",
    "SET search_path = pg_temp, public",
    "SET application_name = 'ejournal-admin'",
]


@pytest.mark.parametrize("role", ["teacher", "student", "parent"])
def test_forged_settings_change_nothing(world: World, login_as, role: str) -> None:
    conn = login_as(role)
    before = _visible(conn)
    for statement in FORGERIES:
        conn.execute(statement)
    assert _visible(conn) == before
    me = conn.execute("SELECT person_id FROM journal.whoami()").fetchone()
    assert me == (world.person[role],)


def test_set_role_to_another_person_or_group_is_refused(world: World, login_as) -> None:
    conn = login_as("teacher")
    targets = [world.login["admin"], world.login["teacher2"], "ej_admin", "ej_teacher", "ej_login",
               "ej_security", "ej_owner", "ej_backup"]
    for target in targets:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'SET ROLE "{target}"')
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT set_config('role', %s, false)", (target,))
    for target in (world.login["admin"], "ej_admin"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'SET SESSION AUTHORIZATION "{target}"')
    assert conn.execute("SELECT session_user = current_user").fetchone() == (True,)


@pytest.mark.parametrize("role", ["teacher", "student", "office"])
def test_row_security_off_fails_instead_of_unfiltering(world: World, login_as, role: str) -> None:
    conn = login_as(role)
    conn.execute("SET row_security = off")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        conn.execute("SELECT * FROM journal.mark").fetchall()


def test_revoking_a_teaching_assignment_takes_effect_on_the_next_statement(
        world: World, sec_db, su: psycopg.Connection) -> None:
    """The load goes at once; the lessons recorded as taught by them stay theirs (R17)."""
    la = world.load["la"]
    su.execute("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
               "VALUES (%s, current_date, 7, %s)", (la, world.person["teacher2"]))
    with connect_as(sec_db, world.login["teacher"], autocommit=False) as conn:
        assert _of_load(conn, la) == {"lessons": 2, "statements": 1, "finals": 1}
        su.execute("UPDATE journal.teaching_load SET teacher_id = %s WHERE id = %s",
                   (world.person["teacher2"], la))
        # Same transaction, next statement: only the lesson they taught themselves is left.
        assert _of_load(conn, la) == {"lessons": 1, "statements": 0, "finals": 0}
        assert conn.execute("UPDATE journal.mark SET value = '2' WHERE load_id = %s "
                            "AND lesson_id <> %s", (la, world.lesson["la1"])).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
                         "VALUES (%s, current_date, 8, %s)", (la, world.person["teacher"]))
        conn.rollback()
        su.execute("DELETE FROM journal.person_role WHERE person_id = %s AND role = 'teacher'",
                   (world.person["teacher"],))
        assert _of_load(conn, la) == {"lessons": 0, "statements": 0, "finals": 0}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):   # ej_teacher revoked too
            conn.execute("UPDATE journal.mark SET value = '2'")
        conn.rollback()


def _of_load(conn: psycopg.Connection, load: int) -> dict[str, int]:
    def count(query: str) -> int:
        row = conn.execute(query, (load,)).fetchone()
        assert row is not None
        return int(row[0])

    return {"lessons": count("SELECT count(*) FROM journal.lesson WHERE load_id = %s"),
            "statements": count("SELECT count(*) FROM journal.statement WHERE load_id = %s"),
            "finals": count("SELECT count(*) FROM journal.final_mark WHERE load_id = %s")}


def _all_journal_tables(su: psycopg.Connection) -> list[str]:
    return [r[0] for r in su.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'journal'::regnamespace "
        "AND relkind IN ('r', 'p', 'v') ORDER BY 1").fetchall()]


def _sees_nothing(conn: psycopg.Connection, su: psycopg.Connection) -> None:
    for table in _all_journal_tables(su):
        column = "id" if table == "person" else "*"
        try:
            rows = conn.execute(f"SELECT {column} FROM journal.{table}").fetchall()
        except psycopg.errors.InsufficientPrivilege:
            continue
        assert rows == [], table


def test_a_reset_account_can_only_change_its_password(world: World, sec_db, su, login_as) -> None:
    old = login_as("teacher")
    su.execute("SELECT journal.reset_password(%s, %s)",
               (world.person["teacher"], verifier(su, world.login["teacher"], PASSWORD)))
    with pytest.raises(psycopg.OperationalError):
        old.execute("SELECT 1")                     # the reset ended the live session
    with connect_as(sec_db, world.login["teacher"]) as conn:
        assert conn.execute("SELECT must_change_password FROM journal.whoami()").fetchone() == (True,)
        _sees_nothing(conn, su)
        assert conn.execute("UPDATE journal.mark SET value = '2'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO journal.ktp_topic (load_id, position, title, lesson_type) "
                         "VALUES (%s, 5, 'x', 'theory')", (world.load["la"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT journal.close_statement(%s)", (world.statement["la"],))
        conn.execute("SELECT journal.change_my_password(%s)",
                     (verifier(conn, world.login["teacher"], PASSWORD),))
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)


def test_a_blocked_account_is_cut_off(world: World, sec_db, login_as) -> None:
    live = login_as("teacher")
    admin = login_as("admin")
    admin.execute("SELECT journal.block_account(%s)", (world.person["teacher"],))
    with pytest.raises(psycopg.OperationalError):
        live.execute("SELECT 1")
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        connect_as(sec_db, world.login["teacher"])
    admin.execute("SELECT journal.unblock_account(%s)", (world.person["teacher"],))
    with connect_as(sec_db, world.login["teacher"]) as conn:
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)


def _hours(su: psycopg.Connection, *, inside: bool, roles: list[str], days: list[int] | None = None
           ) -> None:
    zone = su.execute("SELECT value->>'timezone' FROM journal.setting "
                      "WHERE key = 'working_hours'").fetchone()[0]  # type: ignore[index]
    now = su.execute("SELECT (now() AT TIME ZONE %s)::time", (zone,)).fetchone()[0]  # type: ignore[index]
    base = dt.datetime.combine(dt.date.today(), now)
    if inside:
        start, end = base - dt.timedelta(hours=1), base + dt.timedelta(hours=1)
    else:
        start, end = base + dt.timedelta(hours=1), base + dt.timedelta(hours=2)
    value = {"enabled": True, "from": start.strftime("%H:%M"), "to": end.strftime("%H:%M"),
             "roles": roles, "timezone": zone, "days": days or [1, 2, 3, 4, 5, 6, 7]}
    su.execute("UPDATE journal.setting SET value = %s WHERE key = 'working_hours'",
               (json.dumps(value),))


def test_working_hours_refuse_logins_and_empty_open_sessions(world: World, sec_db, su,
                                                            login_as) -> None:
    open_teacher = login_as("teacher")
    _hours(su, inside=False, roles=["teacher"])
    with pytest.raises(psycopg.OperationalError, match="рабочее время"):
        connect_as(sec_db, world.login["teacher"])
    assert open_teacher.execute("SELECT count(*) FROM journal.mark").fetchone() == (0,)
    assert "рабочее время" in open_teacher.execute(
        "SELECT journal.access_refusal()").fetchone()[0]  # type: ignore[index]
    with connect_as(sec_db, world.login["student"]) as student:   # not a named role
        assert student.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)
    _hours(su, inside=True, roles=["teacher"])
    with connect_as(sec_db, world.login["teacher"]) as conn:
        assert conn.execute("SELECT count(*) FROM journal.mark").fetchone() != (0,)
    today = su.execute("SELECT extract(isodow FROM now() AT TIME ZONE "
                       "(SELECT value->>'timezone' FROM journal.setting WHERE key = 'working_hours'))"
                       "::int").fetchone()[0]  # type: ignore[index]
    _hours(su, inside=True, roles=["teacher"], days=[d for d in range(1, 8) if d != today])
    with pytest.raises(psycopg.OperationalError, match="рабочее время"):
        connect_as(sec_db, world.login["teacher"])


def test_working_hours_setting_is_checked(su: psycopg.Connection) -> None:
    for bad in ('{"enabled": true}', '{"enabled": true, "from": "7", "to": "21:00", "roles": []}',
                '{"enabled": true, "from": "07:00", "to": "21:00", "roles": ["wizard"]}',
                '{"enabled": true, "from": "07:00", "to": "21:00", "roles": [], "timezone": "Марс"}'):
        with pytest.raises(psycopg.errors.CheckViolation, match="рабочего времени"):
            su.execute("UPDATE journal.setting SET value = %s WHERE key = 'working_hours'", (bad,))


def test_the_working_hours_zone_is_not_the_sessions(world: World, sec_db, su) -> None:
    """Hours that hold in the client's own zone (UTC+14) but not in the setting's refuse."""
    zone = su.execute("SELECT value->>'timezone' FROM journal.setting "
                      "WHERE key = 'working_hours'").fetchone()[0]  # type: ignore[index]
    far = "Pacific/Kiritimati"
    offset = su.execute("SELECT (now() AT TIME ZONE %s) - (now() AT TIME ZONE %s)",
                        (far, zone)).fetchone()[0]  # type: ignore[index]
    assert abs(offset) >= dt.timedelta(hours=2)
    there = su.execute("SELECT (now() AT TIME ZONE %s)", (far,)).fetchone()[0]  # type: ignore[index]
    value = {"enabled": True, "roles": ["teacher"], "timezone": zone, "days": list(range(1, 8)),
             "from": (there - dt.timedelta(minutes=30)).strftime("%H:%M"),
             "to": (there + dt.timedelta(minutes=30)).strftime("%H:%M")}
    su.execute("UPDATE journal.setting SET value = %s WHERE key = 'working_hours'",
               (json.dumps(value),))
    conninfo = psycopg.conninfo.make_conninfo(person_conninfo(sec_db, world.login["teacher"]),
                                              options=f"-c TimeZone={far}")
    with pytest.raises(psycopg.OperationalError, match="рабочее время"):
        psycopg.connect(conninfo)
