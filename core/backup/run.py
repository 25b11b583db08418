"""Backup (R15): one consistent dump by ``ej_backup``, written to every destination.

:func:`run_backup` takes one snapshot as the backup role (which bypasses row-level security,
so the dump holds every row), dumps it with pg_dump in the custom format while counting and
checksumming every table in the same snapshot, adds the roles (pg_dumpall --roles-only),
writes the manifest (all of that in ``core.backup.snapshot``), and copies the result to each
configured destination (here). A destination that is missing, read-only or full is reported and
skipped; the run fails when fewer than ``min_copies`` (2) destinations got the copy. Each
destination then rotates its copies.

The same functions back ``ejournal backup …`` and the administration screen.
"""

from __future__ import annotations

import errno
import logging
import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from core.backup.auth import backup_target, secure_folder
from core.backup.config import BackupPolicy, BackupSetup, load_setup, no_destinations_message
from core.backup.manifest import MANIFEST_FILE, MANIFEST_SUM, Manifest
from core.backup.snapshot import Progress, Stager, copy_file, open_snapshot
from core.backup.store import (
    PARTIAL,
    check_destination,
    copy_name,
    human_size,
    problem_of,
    prune,
    read_state,
    run_lock,
    write_state,
)
from db.dump import DumpFailed
from kernel.errors import ConfigError, EJournalError, ServerError
from kernel.settings import Settings

SPACE_MARGIN = 16 * 1024 * 1024
log = logging.getLogger("ejournal.backup")


@dataclass(frozen=True)
class DestinationResult:
    """What happened in one destination."""

    destination: Path
    ok: bool
    message: str
    copy: Path | None = None
    pruned: tuple[str, ...] = ()
    not_pruned: tuple[tuple[str, str], ...] = ()


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


class _Writer(Stager):
    """Makes the copy in one destination (the staging one) and replicates it to the others."""

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
                copy_file(source / relative, partial / relative, entry.sha256)
            for name in (MANIFEST_FILE, MANIFEST_SUM):
                copy_file(source / name, partial / name)
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
    snap = open_snapshot(target)
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
    """Delete the destination's old copies; the result's message says how many went and names
    those that could not be deleted, with the reason."""
    if not result.ok:
        return result
    policy = setup.policy
    try:
        pruned = prune(result.destination, setup.settings.dbname, policy.keep_daily,
                       policy.keep_monthly, keep=name)
    except OSError as exc:
        log.warning("rotation in %s failed: %s", result.destination, exc)
        return replace(result, message=f"{result.message}; старые копии не удалены: {problem_of(exc)}")
    message = result.message
    if pruned.deleted:
        message += f"; удалено старых копий: {len(pruned.deleted)}"
    if pruned.not_deleted:
        message += "; не удалось удалить старые копии: " + ", ".join(
            f"{copy} ({reason})" for copy, reason in pruned.not_deleted.items())
    return replace(result, message=message, pruned=tuple(pruned.deleted),
                   not_pruned=tuple(pruned.not_deleted.items()))


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
