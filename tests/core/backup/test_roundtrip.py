"""Backup → verify → restore: identical checksums; a flipped byte is caught before use."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from core.backup.manifest import (
    DUMP_FILE,
    MANIFEST_FILE,
    ROLES_FILE,
    pin_formats,
    read_manifest,
    sha256_of,
    table_stats,
    write_manifest,
)
from core.backup.run import run_backup
from core.backup.verify import CopyDamaged, restore_copy, verify_copy
from kernel.errors import ValidationError


def _stats(server, dbname: str):
    with server.connect_superuser(dbname, autocommit=False) as conn:
        pin_formats(conn)
        return table_stats(conn)


def _drop(server, dbname: str) -> None:
    with server.connect_superuser() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))


def _flip_byte(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    where = len(data) // 2 if offset is None else offset
    data[where] ^= 0x01
    path.write_bytes(bytes(data))


def test_round_trip_gives_identical_checksums(backup_env) -> None:
    server = backup_env.db.server
    live = _stats(server, backup_env.settings.dbname)

    run = run_backup(backup_env.settings, policy=backup_env.policy)

    assert run.ok and run.written == 2
    first, second = run.copies
    assert first.parent == backup_env.dirs[0] and second.parent == backup_env.dirs[1]
    assert sha256_of(first / DUMP_FILE) == sha256_of(second / DUMP_FILE)
    manifest = read_manifest(second)
    # every row, same content (the backup role's own login is recorded just before its snapshot)
    logins = manifest.tables.pop("journal.login_event", None)
    assert manifest.tables == {k: v for k, v in live.items() if k != "journal.login_event"}
    assert logins is None or logins.rows >= live["journal.login_event"].rows
    assert manifest.tables["journal.person"].rows == 300
    assert manifest.schema_version and manifest.server_version.startswith("18")
    assert ("ej_backup", "CONNECT") in manifest.database_acl
    assert "CREATE ROLE ej_backup" in (second / ROLES_FILE).read_text("utf-8")

    checked = verify_copy(backup_env.settings, second, policy=backup_env.policy)
    assert checked.ok and checked.restored, checked.problems

    target = f"{backup_env.settings.dbname}_restored"
    try:
        restored = restore_copy(backup_env.settings, first, target, policy=backup_env.policy)
        assert not restored.replaced
        assert _stats(server, target) == read_manifest(first).tables
        with server.connect_superuser() as conn:
            acl = conn.execute("SELECT datacl::text FROM pg_database WHERE datname = %s",
                               (target,)).fetchone()[0]
        assert "ej_login=" in acl and "ej_backup=c" in acl
    finally:
        _drop(server, target)


def test_verify_leaves_no_scratch_database(backup_env) -> None:
    run = run_backup(backup_env.settings, policy=backup_env.policy)
    with backup_env.db.server.connect_superuser() as conn:
        before = conn.execute("SELECT count(*) FROM pg_database").fetchone()
        assert verify_copy(backup_env.settings, run.copies[0], policy=backup_env.policy).ok
        after = conn.execute("SELECT count(*) FROM pg_database").fetchone()
    assert before == after


@pytest.mark.parametrize("name", [DUMP_FILE, ROLES_FILE, MANIFEST_FILE])
def test_flipped_byte_is_rejected(backup_env, name: str) -> None:
    run = run_backup(backup_env.settings, policy=backup_env.policy)
    copy = run.copies[1]
    _flip_byte(copy / name)

    result = verify_copy(backup_env.settings, copy, policy=backup_env.policy)

    assert not result.ok and not result.restored
    assert "контрольн" in " ".join(result.problems) or "поврежд" in " ".join(result.problems)
    with pytest.raises(CopyDamaged):
        restore_copy(backup_env.settings, copy, "never_created", policy=backup_env.policy)
    # the other destination's copy is untouched and still good
    assert verify_copy(backup_env.settings, run.copies[0], policy=backup_env.policy,
                       restore=False).ok


def test_content_differing_from_manifest_is_caught_by_trial_restore(backup_env) -> None:
    run = run_backup(backup_env.settings, policy=backup_env.policy)
    copy = run.copies[0]
    manifest = read_manifest(copy)
    data = json.loads(manifest.to_json())
    data["tables"]["journal.person"]["checksum"] = "12345"
    data["tables"]["journal.setting"]["rows"] += 1
    write_manifest(copy, type(manifest).from_json(json.dumps(data)))

    result = verify_copy(backup_env.settings, copy, policy=backup_env.policy)

    assert result.restored and not result.ok
    text = " ".join(result.problems)
    assert "journal.person: содержимое отличается" in text
    assert "journal.setting: строк" in text


def test_restore_refuses_a_live_database_without_force(backup_env) -> None:
    settings, server = backup_env.settings, backup_env.db.server
    run = run_backup(settings, policy=backup_env.policy)
    with server.connect_superuser(settings.dbname) as conn:
        conn.execute("DELETE FROM journal.person WHERE surname LIKE 'Иванов-1%'")
    changed = _stats(server, settings.dbname)

    with pytest.raises(ValidationError, match="--force"):
        restore_copy(settings, run.copies[0], settings.dbname, policy=backup_env.policy)
    assert _stats(server, settings.dbname) == changed

    result = restore_copy(settings, run.copies[0].name, settings.dbname, force=True,
                          policy=backup_env.policy)
    assert result.replaced
    assert _stats(server, settings.dbname) == read_manifest(run.copies[0]).tables
    with psycopg.connect(backup_env.db.conninfo) as conn:
        assert conn.execute("SELECT count(*) FROM journal.person").fetchone() == (300,)
