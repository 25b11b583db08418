"""Backup failures that used to pass in silence: a rotation that cannot delete (now named in
the outcome the person sees), a lock file that cannot be opened, a privilege from a copy's
manifest (removable media) that is not one."""

from __future__ import annotations

import errno
import logging
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from core.backup.config import BackupPolicy, BackupSetup
from core.backup.run import DestinationResult, _rotate
from core.backup.store import copy_name, prune, run_lock
from core.backup.verify import DATABASE_PRIVILEGES, CopyDamaged, _apply_database_acl, database_privilege
from kernel.errors import ConfigError
from kernel.settings import Settings

START = datetime(2025, 9, 1, 2, 30).astimezone()


def test_a_copy_prune_cannot_delete_is_logged_and_not_counted(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [copy_name("ej", START + timedelta(days=i), "daily") for i in range(4)]
    for name in names:
        (tmp_path / name).mkdir()
    real_rmtree = shutil.rmtree

    def rmtree(path: Path, onerror: Any = None) -> None:
        if Path(path).name == names[0]:  # a read-only medium, a file held open, …
            onerror(os.rmdir, str(path), (PermissionError, PermissionError(13, "Permission denied"), None))
            return
        real_rmtree(path)

    monkeypatch.setattr("core.backup.store.shutil.rmtree", rmtree)
    with caplog.at_level(logging.WARNING, logger="ejournal.backup"):
        pruned = prune(tmp_path, "ej", keep_daily=2, keep_monthly=0, keep=names[-1])
    assert pruned.deleted == [names[1]]
    assert pruned.not_deleted == {names[0]: "нет прав на запись (или носитель только для чтения)"}
    assert (tmp_path / names[0]).exists()
    assert any(names[0] in r.getMessage() and "Permission denied" in r.getMessage()
               for r in caplog.records)


def _written(tmp_path: Path, names: list[str]) -> tuple[BackupSetup, DestinationResult]:
    dest = tmp_path / "dest"
    dest.mkdir()
    for name in names:
        (dest / name).mkdir()
    setup = BackupSetup(Settings(data_dir=str(tmp_path), dbname="ej"),
                        BackupPolicy(home=str(tmp_path / "home"), group="", keep_daily=2,
                                     keep_monthly=0))
    return setup, DestinationResult(dest, True, "записана, 1 МБ", dest / names[-1])


def test_the_outcome_names_the_old_copies_it_could_not_delete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [copy_name("ej", START + timedelta(days=i), "daily") for i in range(4)]
    setup, written = _written(tmp_path, names)
    real_rmtree = shutil.rmtree

    def rmtree(path: Path, onerror: Any = None) -> None:
        if Path(path).name == names[0]:
            onerror(os.rmdir, str(path), (OSError, OSError(errno.EIO, "Input/output error"), None))
            return
        real_rmtree(path)

    monkeypatch.setattr("core.backup.store.shutil.rmtree", rmtree)
    result = _rotate(setup, written, names[-1])
    assert result.ok and result.copy == written.copy
    assert result.pruned == (names[1],)
    assert result.not_pruned == ((names[0], "носитель недоступен (Input/output error)"),)
    assert result.message == (f"записана, 1 МБ; удалено старых копий: 1; не удалось удалить "
                              f"старые копии: {names[0]} (носитель недоступен (Input/output error))")


def test_a_rotation_that_fails_outright_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    names = [copy_name("ej", START + timedelta(days=i), "daily") for i in range(4)]
    setup, written = _written(tmp_path, names)

    def prune(*_args: Any, **_kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("core.backup.run.prune", prune)
    with caplog.at_level(logging.WARNING, logger="ejournal.backup"):
        result = _rotate(setup, written, names[-1])
    assert result.ok and result.pruned == ()
    assert result.message == ("записана, 1 МБ; старые копии не удалены: нет прав на запись "
                              "(или носитель только для чтения)")
    assert any("Permission denied" in r.getMessage() for r in caplog.records)


def test_a_lock_file_that_cannot_be_opened_refuses_the_run(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "backup.lock").mkdir()  # a folder where the lock file should be: open() fails
    setup = BackupSetup(Settings(data_dir=str(tmp_path)), BackupPolicy(home=str(home), group=""))
    with pytest.raises(ConfigError, match="файл блокировки"), run_lock(setup):
        pytest.fail("the run went on without its lock")


def test_only_database_privileges_come_from_a_manifest() -> None:
    for privilege in DATABASE_PRIVILEGES:
        assert database_privilege(privilege) == sql.SQL(privilege)
    for forged in ("ALL; DROP DATABASE ejournal", "SUPERUSER", "", "connect, create"):
        with pytest.raises(CopyDamaged, match="недопустимое право"):
            database_privilege(forged)


class _Conn:
    def __init__(self) -> None:
        self.statements: list[Any] = []

    def execute(self, statement: Any, *args: Any) -> Any:
        self.statements.append(statement)
        return self

    def fetchall(self) -> list[tuple[str]]:
        return [("ej_login",)]


def test_a_forged_privilege_grants_nothing() -> None:
    conn: Any = _Conn()
    with pytest.raises(CopyDamaged):
        _apply_database_acl(conn, "ej", [("ej_login", "CONNECT"), ("PUBLIC", "ALL PRIVILEGES")])
    assert conn.statements == []
