"""The backup role's login (credentials file for the administrators' group) and roles in copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from core.backup.auth import backup_target, read_password, setup_credentials
from core.backup.config import BackupPolicy, BackupSetup, load_policy
from core.backup.roles import RolesScript
from core.backup.run import run_backup
from core.backup.verify import restore_copy, verify_copy
from kernel.errors import ConfigError, ServerError
from tests.conftest import temp_root
from tests.core.backup.conftest import OWN_GROUP

ROLES_DUMP = """
\\restrict abc
SET default_transaction_read_only = off;
CREATE ROLE ej_login;
ALTER ROLE ej_login WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
CREATE ROLE ejournal_su;
ALTER ROLE ejournal_su WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;
CREATE ROLE "ivan.petrov";
ALTER ROLE "ivan.petrov" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;
ALTER ROLE "ivan.petrov" SET statement_timeout TO '30s';
GRANT ej_login TO "ivan.petrov" WITH INHERIT TRUE GRANTED BY ejournal_su;
GRANT ej_admin TO ej_security WITH ADMIN OPTION, INHERIT FALSE, SET FALSE GRANTED BY ejournal_su;
DROP ROLE everything;
"""


def test_roles_script_is_parsed_strictly() -> None:
    script = RolesScript.parse(ROLES_DUMP)
    assert script.creates == ["ej_login", "ejournal_su", "ivan.petrov"]
    assert script.superusers == {"ejournal_su"}
    assert script.missing({"ej_login"}) == ["ivan.petrov"]  # superusers are never recreated
    assert len(script.statements["ivan.petrov"]) == 2
    assert ("ej_login", "ivan.petrov", 'GRANT ej_login TO "ivan.petrov" WITH INHERIT TRUE') in script.grants
    assert all("DROP" not in s for lines in script.statements.values() for s in lines)


def _roles(conn: psycopg.Connection) -> dict[str, bool]:
    return dict(conn.execute("SELECT rolname, rolcanlogin FROM pg_roles").fetchall())


def test_missing_roles_are_recreated_and_existing_ones_left_alone(backup_env) -> None:
    server, settings = backup_env.db.server, backup_env.settings
    with server.connect_superuser() as conn:
        conn.execute("CREATE ROLE bk_gone LOGIN IN ROLE ej_login")
        conn.execute("CREATE ROLE bk_blocked LOGIN IN ROLE ej_login")
    run = run_backup(settings, policy=backup_env.policy)
    with server.connect_superuser() as conn:
        conn.execute("DROP ROLE bk_gone")
        conn.execute("ALTER ROLE bk_blocked NOLOGIN")  # blocked after the copy was made
        before = _roles(conn)

    assert verify_copy(settings, run.copies[0], policy=backup_env.policy).ok
    with server.connect_superuser() as conn:
        assert _roles(conn) == before  # a trial restore leaves no role behind

    target = f"{settings.dbname}_roles"
    try:
        result = restore_copy(settings, run.copies[0], target, policy=backup_env.policy)
        assert result.roles_created == ("bk_gone",)
        with server.connect_superuser() as conn:
            roles = _roles(conn)
            member = conn.execute("SELECT pg_has_role('bk_gone', 'ej_login', 'MEMBER')").fetchone()
        assert roles["bk_gone"] is True and member == (True,)
        assert roles["bk_blocked"] is False  # stays blocked
    finally:
        with server.connect_superuser() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))


def test_backup_role_logs_in_only_with_the_file(backup_env) -> None:
    target = backup_target(backup_env.setup)
    with psycopg.connect(target.conninfo()) as conn:
        row = conn.execute("SELECT current_user, rolbypassrls, rolsuper FROM pg_roles "
                           "WHERE rolname = current_user").fetchone()
    assert row == ("ej_backup", True, False)
    wrong = {**target.params, "password": "guess"}
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(psycopg.conninfo.make_conninfo("", **wrong))
    no_password = {k: v for k, v in target.params.items() if k != "password"}
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(psycopg.conninfo.make_conninfo("", **no_password))


def test_backup_role_is_read_only(backup_env) -> None:
    with psycopg.connect(backup_target(backup_env.setup).conninfo(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM journal.person")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE public.x (a int)")


def test_missing_credentials_say_what_to_do(backup_env, tmp_path) -> None:
    policy = BackupPolicy(home=str(tmp_path / "elsewhere"))
    with pytest.raises(ConfigError, match="ejournal backup setup"):
        run_backup(backup_env.settings, policy=policy)


def test_credentials_file_mode(backup_env, tmp_path) -> None:
    path = backup_env.setup.credentials_file
    assert path.stat().st_mode & 0o777 == 0o640 and path.stat().st_gid == os.getgid()  # the tests' group
    lonely = BackupSetup(backup_env.settings, BackupPolicy(home=str(tmp_path / "h2"),
                                                           group="no-such-group-x"))
    file, shared = setup_credentials(lonely)
    assert not shared and file.stat().st_mode & 0o777 == 0o600
    assert read_password(lonely) != read_password(backup_env.setup)  # a new password …
    with pytest.raises(psycopg.OperationalError):  # … replaced the old one
        psycopg.connect(backup_target(backup_env.setup).conninfo())


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("cat") is None, reason="needs root to switch user")
def test_only_the_administrators_group_reads_the_password(backup_env) -> None:
    home = Path(tempfile.mkdtemp(dir=temp_root()))
    try:
        home.chmod(0o755)
        setup = BackupSetup(backup_env.settings, BackupPolicy(home=str(home / "backup"), group=OWN_GROUP))
        path, shared = setup_credentials(setup)
        assert shared
        stranger = subprocess.run(["cat", str(path)], user="nobody", group=65534,
                                  extra_groups=[], capture_output=True, check=False)
        admin = subprocess.run(["cat", str(path)], user="nobody", group=65534,
                               extra_groups=[0], capture_output=True, text=True, check=False)
        assert stranger.returncode != 0 and b"Permission denied" in stranger.stderr
        assert admin.returncode == 0 and read_password(setup) in admin.stdout
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_policy_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("EJOURNAL_BACKUP_KEEP_DAILY", "3")
    monkeypatch.setenv("EJOURNAL_BACKUP_TIME", "25:00")
    with pytest.raises(ConfigError, match="ЧЧ:ММ"):
        load_policy()
    monkeypatch.setenv("EJOURNAL_BACKUP_TIME", "01:05")
    assert load_policy().keep_daily == 3


def test_setup_needs_the_maintenance_access(backup_env, monkeypatch) -> None:
    monkeypatch.setattr("db.bootstrap.admin_conninfo", lambda *_a: (_ for _ in ()).throw(
        ServerError("нет доступа")))
    with pytest.raises(ServerError):
        setup_credentials(backup_env.setup)


def test_a_wrong_password_in_the_file_says_what_to_do(backup_env) -> None:
    path = backup_env.setup.credentials_file
    path.write_text("not-the-password\n", encoding="utf-8")
    with pytest.raises(ServerError, match="backup setup") as caught:
        run_backup(backup_env.settings, policy=backup_env.policy)
    assert "пароль" in caught.value.message
