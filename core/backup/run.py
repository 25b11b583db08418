"""Backup (R15): one consistent dump by ``ej_backup``, written to every destination.

:func:`run_backup` takes one snapshot as the backup role (which bypasses row-level security,
so the dump holds every row), dumps it with pg_dump in the custom format while counting and
checksumming every table in the same snapshot, adds the roles (pg_dumpall --roles-only),
writes the manifest, and copies the result to each configured destination. A destination
that is missing, read-only or full is reported and skipped; the run fails when fewer than
``min_copies`` (2) destinations got the copy. Each destination then rotates its copies.

The same functions back ``ejournal backup …`` and the administration screen.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from core.backup.auth import backup_target, secure_folder
from core.backup.config import BackupPolicy, BackupSetup, load_setup, no_destinations_message
from core.backup.manifest import (
    CHUNK,
    DUMP_FILE,
    MANIFEST_FILE,
    MANIFEST_SUM,
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
from core.backup.store import (
    PARTIAL,
    check_destination,
    copy_name,
    human_size,
    mark_destination,
    problem_of,
    prune,
    read_state,
    run_lock,
    write_state,
)
from db import dump
from db.dump import DumpFailed, PgTarget
from kernel.errors import ConfigError, EJournalError, ServerError
from kernel.settings import Settings

Progress = Callable[[str], None]
SPACE_MARGIN = 16 * 1024 * 1024


@dataclass(frozen=True)
class DestinationResult:
    """What happened in one destination."""

    destination: Path
    ok: bool
    message: str
    copy: Path | None = None
    pruned: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackupRun:
    """The result of one run."""

    name: str
    started_at: datetime
    seconds: float
    results: tuple[DestinationResult, ...]
    manifest: Manifest | None
    min_copies: int
    notes: tuple[str, ...] = field(default=())

    @property
    def written(self) -> int:
        """How many destinations got the copy."""
        return sum(1 for r in self.results if r.ok)

    @property
    def ok(self) -> bool:
        """True when at least ``min_copies`` destinations got the copy."""
        return self.written >= self.min_copies

    @property
    def copies(self) -> list[Path]:
        """Folders of the copies written."""
        return [r.copy for r in self.results if r.ok and r.copy is not None]

    def summary(self) -> str:
        """One Russian sentence about the run."""
        if self.ok:
            return f"Резервная копия {self.name} записана в {self.written} места за {self.seconds:.0f} с."
        return (f"ОШИБКА: копия записана только в {self.written} из {len(self.results)} мест "
                f"(нужно не меньше {self.min_copies}).")


def _nothing(_text: str) -> None:
    return None


@dataclass
class _Snapshot:
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


def _open_snapshot(target: PgTarget) -> _Snapshot:
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
        return _Snapshot(conn, row[0], row[1], row[2] or "", database_acl(conn))
    except psycopg.Error as exc:
        conn.close()
        raise ServerError(f"Не удалось начать резервное копирование: {exc}".strip()) from exc


def _copy_file(source: Path, target: Path, expected: str | None = None) -> None:
    """Copy a file, flushing it to the medium; check its sha256 on the way when given."""
    import hashlib

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
        _copy_file(source, folder / relative)


class _Writer:
    """Makes the copy in one destination (the staging one) and replicates it to the others."""

    def __init__(self, setup: BackupSetup, name: str, kind: str, note: str,
                 extras: dict[str, Path], progress: Progress) -> None:
        self.setup, self.name, self.kind, self.note = setup, name, kind, note
        self.extras, self.progress = extras, progress
        self.stats: dict[str, TableStat] | None = None
        self.roles: str | None = None

    def stage(self, dest: Path, snap: _Snapshot, target: PgTarget, started: datetime) -> Manifest:
        """Dump into ``dest``; raise OSError/DumpFailed(no_space) for a destination problem."""
        partial = dest / f"{PARTIAL}{self.name}"
        shutil.rmtree(partial, ignore_errors=True)
        secure_folder(partial, self.setup)
        try:
            return self._stage_into(partial, snap, target, started)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise

    def _stage_into(self, partial: Path, snap: _Snapshot, target: PgTarget,
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

    def replicate(self, source: Path, dest: Path, manifest: Manifest) -> Path:
        """Copy the finished copy ``source`` into ``dest``; raise OSError on a problem there."""
        free = shutil.disk_usage(dest).free
        if free < manifest.size + SPACE_MARGIN:
            raise OSError(errno.ENOSPC, f"нужно {human_size(manifest.size)}, "
                                        f"свободно {human_size(free)}")
        partial = dest / f"{PARTIAL}{self.name}"
        shutil.rmtree(partial, ignore_errors=True)
        secure_folder(partial, self.setup)
        try:
            for relative, entry in manifest.files.items():
                _copy_file(source / relative, partial / relative, entry.sha256)
            for name in (MANIFEST_FILE, MANIFEST_SUM):
                _copy_file(source / name, partial / name)
            self._finish(partial, manifest)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return dest / self.name


def _destination_problem(exc: BaseException, partial_dir: Path) -> str | None:
    """The Russian reason when ``exc`` is a problem of one destination, else None."""
    if isinstance(exc, DumpFailed):
        if exc.no_space:
            return "на носителе нет места"
        if str(partial_dir) in exc.detail:
            return f"pg_dump не смог записать файл: {exc.detail.splitlines()[-1]}"
        return None
    if isinstance(exc, OSError):
        return problem_of(exc)
    return None


def _record(setup: BackupSetup, name: str, results: list[DestinationResult]) -> bool:
    at = datetime.now().astimezone().isoformat(timespec="seconds")
    entries: dict[str, dict[str, str | bool]] = {}
    for r in results:
        entry: dict[str, str | bool] = {"ok": r.ok, "at": at, "message": r.message, "copy": name}
        if r.ok:
            entry["last_ok_at"] = at
        entries[str(r.destination)] = entry
    return write_state(setup, entries)


def _write_everywhere(setup: BackupSetup, writer: _Writer, usable: list[Path],
                      started: datetime) -> tuple[Manifest | None, dict[Path, DestinationResult]]:
    results: dict[Path, DestinationResult] = {}
    target = backup_target(setup)
    snap = _open_snapshot(target)
    manifest: Manifest | None = None
    staged: Path | None = None
    try:
        for dest in usable:
            try:
                manifest = writer.stage(dest, snap, target, started)
            except (DumpFailed, OSError) as exc:
                reason = _destination_problem(exc, dest / f"{PARTIAL}{writer.name}")
                if reason is None:
                    raise
                results[dest] = DestinationResult(dest, False, reason)
                continue
            staged = dest / writer.name
            results[dest] = DestinationResult(dest, True, f"записана, {human_size(manifest.size)}",
                                              staged)
            break
    finally:
        snap.conn.close()
    if manifest is None or staged is None:
        return None, results
    for dest in usable:
        if dest in results:
            continue
        writer.progress(f"Копирование в {dest}…")
        try:
            copy = writer.replicate(staged, dest, manifest)
            results[dest] = DestinationResult(dest, True, f"записана, {human_size(manifest.size)}", copy)
        except OSError as exc:
            results[dest] = DestinationResult(dest, False, problem_of(exc))
    return manifest, results


def _rotate(setup: BackupSetup, result: DestinationResult, name: str) -> DestinationResult:
    if not result.ok:
        return result
    policy = setup.policy
    try:
        pruned = prune(result.destination, setup.settings.dbname, policy.keep_daily,
                       policy.keep_monthly, keep=name)
    except OSError:
        return result
    if not pruned:
        return result
    return DestinationResult(result.destination, True,
                             f"{result.message}; удалено старых копий: {len(pruned)}",
                             result.copy, tuple(pruned))


def _free_name(setup: BackupSetup, started: datetime, kind: str) -> str:
    """The copy's name; a second run within the same second gets the next second's name."""
    for shift in range(3600):
        name = copy_name(setup.settings.dbname, started + timedelta(seconds=shift), kind)
        if not any((d / name).exists() for d in setup.destinations):
            return name
    raise ServerError("Не удалось выбрать имя для новой копии.")


def run_backup(
    settings: Settings, *, policy: BackupPolicy | None = None, kind: str = "manual",
    note: str = "", extras: dict[str, Path] | None = None, progress: Progress | None = None,
    rotate: bool = True,
) -> BackupRun:
    """Make one copy and write it to every configured destination.

    Args:
        settings: The installation (database, server, ``backup_dirs``).
        policy: Backup settings (default: ``[backup]`` of the settings file).
        kind: ``manual``, ``daily`` (scheduled) or ``year`` (closing a year; never rotated).
        note: A line kept in the manifest (e.g. the year closed).
        extras: Files to put into the copy (relative name → file), e.g. printouts.
        progress: Called with a Russian line at each step.
        rotate: Delete old copies per the policy after a successful write.

    Returns:
        The run's result; ``.ok`` is False when fewer than ``min_copies`` copies were written.

    Raises:
        ConfigError: no destinations, or the backup role's credentials are missing.
        ServerError: the backup role could not log in, or pg_dump failed.
    """
    setup = load_setup(settings, policy)
    say = progress or _nothing
    if not setup.destinations:
        raise ConfigError(no_destinations_message(), title="Резервное копирование")
    started = datetime.now().astimezone()
    clock = time.monotonic()
    with run_lock(setup):
        name = _free_name(setup, started, kind)
        state = read_state(setup)
        results: dict[Path, DestinationResult] = {}
        usable: list[Path] = []
        for dest in setup.destinations:
            problem = check_destination(dest, bool(state.get(str(dest), {}).get("last_ok_at")))
            if problem is None:
                usable.append(dest)
            else:
                results[dest] = DestinationResult(dest, False, problem)
        manifest: Manifest | None = None
        writer = _Writer(setup, name, kind, note, dict(extras or {}), say)
        try:
            if usable:
                manifest, written = _write_everywhere(setup, writer, usable, started)
                results.update(written)
        except EJournalError as exc:
            failed = [DestinationResult(d, False, exc.message) for d in usable]
            _record(setup, name, [*results.values(), *failed])
            raise
        ordered = [results[d] for d in setup.destinations]
        if rotate and kind != "year":
            say("Удаление старых копий…")
            ordered = [_rotate(setup, r, name) for r in ordered]
        notes = () if _record(setup, name, ordered) else (
            f"Не удалось записать состояние в {setup.state_file}.",)
    return BackupRun(name, started, time.monotonic() - clock, tuple(ordered), manifest,
                     setup.policy.min_copies, notes)
