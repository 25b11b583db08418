"""Destinations: a missing, full or unplugged one is reported; fewer than two copies fail."""

from __future__ import annotations

import errno
import os
import shutil

import pytest

import core.backup.run as backup_module
from cli import main
from core.backup.run import run_backup
from core.backup.store import MARKER, copies_in
from db import dump
from db.dump import DumpFailed


def test_missing_destination_is_reported_and_the_other_still_written(backup_env, tmp_path) -> None:
    missing = tmp_path / "unplugged-usb"
    settings = backup_env.with_dirs(backup_env.dirs[0], missing)

    run = run_backup(settings, policy=backup_env.policy)

    assert not run.ok and run.written == 1
    good, bad = run.results
    assert good.ok and good.copy is not None and (good.copy / "journal.dump").exists()
    assert not bad.ok and "не найдена" in bad.message
    assert not missing.exists()  # a destination folder is never created
    assert "ОШИБКА" in run.summary()


def test_cli_exit_code_is_non_zero_with_fewer_than_two_copies(backup_env, tmp_path, monkeypatch,
                                                               capsys) -> None:
    monkeypatch.setenv("EJOURNAL_DBNAME", backup_env.settings.dbname)
    monkeypatch.setenv("EJOURNAL_BACKUP_HOME", str(backup_env.home))
    monkeypatch.setenv("EJOURNAL_BACKUP_DIRS", f"{backup_env.dirs[0]}{os.pathsep}{tmp_path / 'nope'}")
    assert main(["backup", "run"]) == 1
    out = capsys.readouterr().out
    assert "НЕТ" in out and "не найдена" in out

    monkeypatch.setenv("EJOURNAL_BACKUP_DIRS", os.pathsep.join(str(d) for d in backup_env.dirs))
    assert main(["backup", "run"]) == 0
    assert main(["backup", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count(backup_env.settings.dbname) >= 3 and "sha256" in listing


def test_full_destination_is_reported(backup_env, monkeypatch) -> None:
    real = shutil.disk_usage

    def usage(path):
        found = real(path)
        if str(path) == str(backup_env.dirs[1]):
            return found._replace(free=1024)
        return found

    monkeypatch.setattr(backup_module.shutil, "disk_usage", usage)
    run = run_backup(backup_env.settings, policy=backup_env.policy)

    assert not run.ok and run.written == 1
    assert "нет места" in run.results[1].message
    assert list(backup_env.dirs[1].iterdir()) == []  # nothing half-written left behind


def test_staging_on_a_full_disk_moves_to_the_next_destination(backup_env, tmp_path, monkeypatch) -> None:
    third = tmp_path / "network-share"
    third.mkdir()
    settings = backup_env.with_dirs(*backup_env.dirs, third)
    real_finish = dump.finish
    calls = []

    def finish(process, what, **kw):
        calls.append(what)
        if len(calls) == 1:
            process.wait()
            raise DumpFailed("pg_dump: на диске нет места.", no_space=True)
        return real_finish(process, what, **kw)

    monkeypatch.setattr(dump, "finish", finish)
    run = run_backup(settings, policy=backup_env.policy)

    assert run.ok and run.written == 2
    assert [r.ok for r in run.results] == [False, True, True]
    assert "нет места" in run.results[0].message
    assert [p.name for p in backup_env.dirs[0].iterdir()] == []


def test_unplugged_medium_behind_an_empty_mount_point_is_detected(backup_env) -> None:
    assert run_backup(backup_env.settings, policy=backup_env.policy).ok
    usb = backup_env.dirs[1]
    for entry in usb.iterdir():  # the drive is unplugged: its mount point is an empty folder
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    run = run_backup(backup_env.settings, policy=backup_env.policy)

    assert not run.ok
    assert MARKER in run.results[1].message and "не подключён" in run.results[1].message
    assert list(usb.iterdir()) == []


def test_write_error_on_one_destination_does_not_stop_the_other(backup_env, monkeypatch) -> None:
    real = backup_module.copy_file

    def broken(source, target, expected=None):
        if str(target).startswith(str(backup_env.dirs[1])) and target.name == "journal.dump":
            raise OSError(errno.EIO, "Input/output error", str(target))
        return real(source, target, expected)

    monkeypatch.setattr(backup_module, "copy_file", broken)
    run = run_backup(backup_env.settings, policy=backup_env.policy)

    assert run.written == 1 and "недоступен" in run.results[1].message
    assert copies_in(backup_env.dirs[1]) == []


def test_no_destinations_configured_is_an_error(backup_env, tmp_path, monkeypatch) -> None:
    from kernel.errors import ConfigError

    settings_file = tmp_path / "ejournal.toml"
    monkeypatch.setenv("EJOURNAL_CONFIG", str(settings_file))
    with pytest.raises(ConfigError, match="backup_dirs") as raised:
        run_backup(backup_env.with_dirs(), policy=backup_env.policy)
    # The administrator is told which file to edit (or which variable to set).
    assert str(settings_file) in str(raised.value) and "EJOURNAL_BACKUP_DIRS" in str(raised.value)
