"""Backup (R15): the dump — the backup role's snapshot and the copy staged from it.

:func:`open_snapshot` logs in as ``ej_backup`` and opens the read-only transaction whose
snapshot pg_dump uses; :class:`Stager` dumps it into one destination (pg_dump, the table counts
and checksums, the roles, the extras, the manifest) and renames the finished folder into place.
``core.backup.run`` then copies the staged copy to the other destinations.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from core.backup.auth import secure_folder
from core.backup.config import BackupSetup
from core.backup.manifest import (
    CHUNK,
    DUMP_FILE,
    ROLES_FILE,
    FileEntry,
    Manifest,
    TableStat,
    database_acl,
    file_entry,
    fsync_path,
    pin_formats,
    table_stats,
    write_manifest,
)
from core.backup.store import PARTIAL, mark_destination
from db import dump
from db.dump import PgTarget
from kernel.errors import ServerError

Progress = Callable[[str], None]


@dataclass
class Snapshot:
    """The backup role's open read-only transaction whose snapshot the dump uses."""

    conn: psycopg.Connection
    snapshot: str
    server_version: str
    schema_version: str
    acl: list[tuple[str, str]]


def _login_failure(exc: psycopg.OperationalError) -> ServerError:
    text = str(exc)
    if "password authentication failed" in text:
        reason = ("пароль в файле учётных данных не подходит; выполните «ejournal backup setup» "
                  "от имени администратора сервера")
    elif "no password supplied" in text or "Peer authentication failed" in text:
        reason = "сервер не принимает этот способ входа (см. параметр auth раздела [backup])"
    elif "not permitted to log in" in text or "does not exist" in text:
        reason = "роли ej_backup нет или ей запрещён вход; обновите схему (ejournal db upgrade)"
    else:
        reason = text.strip().splitlines()[-1] if text.strip() else "сервер недоступен"
    return ServerError(f"Роль резервного копирования ej_backup не смогла войти в базу: {reason}.",
                       title="Резервное копирование")


def open_snapshot(target: PgTarget) -> Snapshot:
    try:
        conn = psycopg.connect(target.conninfo(), autocommit=True, connect_timeout=10,
                               application_name="ejournal-backup")
    except psycopg.OperationalError as exc:
        raise _login_failure(exc) from exc
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        conn.execute("SET LOCAL row_security = off")  # every row, or a loud error
        pin_formats(conn)
        row = conn.execute(
            "SELECT pg_export_snapshot(), current_setting('server_version'), "
            "(SELECT max(version) FROM public.ejournal_migration)").fetchone()
        assert row is not None
        return Snapshot(conn, row[0], row[1], row[2] or "", database_acl(conn))
    except psycopg.Error as exc:
        conn.close()
        raise ServerError(f"Не удалось начать резервное копирование: {exc}".strip()) from exc


def copy_file(source: Path, target: Path, expected: str | None = None) -> None:
    """Copy a file, flushing it to the medium; check its sha256 on the way when given."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    if expected is not None and digest.hexdigest() != expected:
        raise OSError(errno.EIO, "копия файла не совпала с оригиналом", str(target))


def _add_extras(folder: Path, extras: dict[str, Path]) -> None:
    for relative, source in extras.items():
        copy_file(source, folder / relative)


class Stager:
    """Makes the copy in one destination (the staging one): the dump, the roles, the manifest."""

    def __init__(self, setup: BackupSetup, name: str, kind: str, note: str,
                 extras: dict[str, Path], progress: Progress) -> None:
        self.setup, self.name, self.kind, self.note = setup, name, kind, note
        self.extras, self.progress = extras, progress
        self.stats: dict[str, TableStat] | None = None
        self.roles: str | None = None

    def stage(self, dest: Path, snap: Snapshot, target: PgTarget, started: datetime) -> Manifest:
        """Dump into ``dest``; raise OSError/DumpFailed(no_space) for a destination problem."""
        partial = dest / f"{PARTIAL}{self.name}"
        shutil.rmtree(partial, ignore_errors=True)
        secure_folder(partial, self.setup)
        try:
            return self._stage_into(partial, snap, target, started)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise

    def _stage_into(self, partial: Path, snap: Snapshot, target: PgTarget,
                    started: datetime) -> Manifest:
        settings = self.setup.settings
        self.progress(f"Выгрузка базы (pg_dump) в {partial.parent}…")
        process = dump.start_dump(settings, target, partial / DUMP_FILE, snapshot=snap.snapshot)
        try:
            if self.stats is None:
                self.progress("Подсчёт строк и контрольных сумм таблиц…")
                self.stats = table_stats(snap.conn)
        except BaseException:
            process.kill()
            process.wait()
            raise
        dump.finish(process, "Выгрузка базы (pg_dump)")
        if self.roles is None:
            self.roles = dump.dump_roles(settings, target)
        (partial / ROLES_FILE).write_text(self.roles, encoding="utf-8")
        _add_extras(partial, self.extras)
        manifest = Manifest(
            created_at=started.astimezone(), kind=self.kind, database=settings.dbname,
            server_version=snap.server_version, schema_version=snap.schema_version,
            dump_version=dump.program_version(dump.program(settings, "pg_dump")),
            files=self._entries(partial), tables=self.stats, database_acl=snap.acl, note=self.note,
        )
        write_manifest(partial, manifest)
        return self._finish(partial, manifest)

    def _entries(self, partial: Path) -> dict[str, FileEntry]:
        names = [DUMP_FILE, ROLES_FILE, *sorted(self.extras)]
        for name in names:
            fsync_path(partial / name)
        return {name: file_entry(partial / name) for name in names}

    def _finish(self, partial: Path, manifest: Manifest) -> Manifest:
        final = partial.parent / self.name
        fsync_path(partial)
        partial.rename(final)
        fsync_path(final.parent)
        mark_destination(final.parent)
        return manifest
