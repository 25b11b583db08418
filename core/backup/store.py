"""Copies on disk: their names, the destinations' checks, the listing, the rotation, the state.

A destination is a folder on some medium (a local disk, a mounted USB drive, a network
share). The program never creates a destination folder: an unplugged drive leaves an empty
mount point, and writing there would put the "external" copy on the local disk. After the
first copy a destination holds a marker file; a destination that had copies before but lost
its marker is reported as an unplugged medium.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.backup.auth import secure_folder, write_private
from core.backup.config import BackupSetup
from core.backup.manifest import Manifest, read_manifest
from core.backup.retention import Stamp, to_delete
from kernel.errors import ConfigError, EJournalError, ValidationError

log = logging.getLogger("ejournal.backup")

PREFIX = "ejournal-"
PARTIAL = ".partial-"
MARKER = ".ejournal-backup"
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^ejournal-(?P<db>.+)-(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})-(?P<kind>[a-z]+)$")
KIND_TITLES = {"daily": "по расписанию", "manual": "вручную", "year": "закрытие года"}


def copy_name(dbname: str, at: datetime, kind: str) -> str:
    """Folder name of a copy: ``ejournal-<db>-<YYYY-MM-DD_HHMMSS>-<kind>`` (local time)."""
    return f"{PREFIX}{dbname}-{at.strftime(STAMP_FORMAT)}-{kind}"


def parse_name(name: str) -> Stamp | None:
    """The copy's database-independent stamp from its folder name, or None."""
    found = _NAME.match(name)
    if found is None:
        return None
    try:
        at = datetime.strptime(found["stamp"], STAMP_FORMAT)
    except ValueError:
        return None
    return Stamp(name, at, found["kind"])


def human_size(size: int) -> str:
    """Bytes as ``12,3 МБ``."""
    value = float(size)
    for unit in ("Б", "КБ", "МБ", "ГБ"):
        if value < 1024 or unit == "ГБ":
            text = f"{value:.0f}" if unit == "Б" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return f"{size} Б"


def problem_of(error: OSError) -> str:
    """An OS error on a destination in plain Russian."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "на носителе нет места"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "нет прав на запись (или носитель только для чтения)"
    if error.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO):
        return f"носитель недоступен ({error.strerror})"
    return f"ошибка записи: {error.strerror or error}"


def check_destination(folder: Path, had_copies: bool) -> str | None:
    """Why a copy cannot go to ``folder`` now (Russian), or None when it can."""
    if not folder.exists():
        return "папка не найдена: носитель не подключён или путь указан неверно"
    if not folder.is_dir():
        return "указанный путь — не папка"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "нет прав на запись в папку"
    if had_copies and not (folder / MARKER).exists():
        return (f"в папке нет файла {MARKER}, хотя раньше сюда записывались копии: носитель, "
                f"вероятно, не подключён (если это новый носитель, создайте в папке файл {MARKER})")
    return None


def mark_destination(folder: Path) -> None:
    """Leave the marker that tells a prepared destination from an empty mount point."""
    marker = folder / MARKER
    if not marker.exists():
        marker.write_text("Здесь хранятся резервные копии электронного журнала (ejournal).\n",
                          encoding="utf-8")


@dataclass(frozen=True)
class StoredCopy:
    """A copy found in a destination."""

    destination: Path
    path: Path
    stamp: Stamp
    manifest: Manifest | None
    problem: str = ""

    @property
    def name(self) -> str:
        """The copy's folder name."""
        return self.path.name


def copies_in(folder: Path, dbname: str | None = None) -> list[StoredCopy]:
    """The copies in one destination (of ``dbname`` only, when given), oldest first."""
    found: list[StoredCopy] = []
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []
    for entry in entries:
        stamp = parse_name(entry.name)
        if stamp is None or not entry.is_dir():
            continue
        if dbname is not None and not entry.name.startswith(f"{PREFIX}{dbname}-"):
            continue
        try:
            found.append(StoredCopy(folder, entry, stamp, read_manifest(entry)))
        except (ValidationError, OSError) as exc:
            found.append(StoredCopy(folder, entry, stamp, None, str(exc)))
    return sorted(found, key=lambda c: c.stamp.created_at)


def all_copies(setup: BackupSetup) -> list[StoredCopy]:
    """Copies of the journal's database in every destination, newest first."""
    copies = [c for d in setup.destinations for c in copies_in(d, setup.settings.dbname)]
    return sorted(copies, key=lambda c: (c.stamp.created_at, str(c.destination)), reverse=True)


def find_copy(setup: BackupSetup, given: str) -> Path:
    """A copy's folder from a path (folder or its manifest) or a bare name in a destination.

    Raises:
        ValidationError: no such copy.
    """
    path = Path(given).expanduser()
    if path.name == "manifest.json":
        path = path.parent
    if path.is_dir():
        return path
    for folder in setup.destinations:
        if (folder / given).is_dir():
            return folder / given
    raise ValidationError(f"Копия «{given}» не найдена ни по пути, ни в местах хранения копий.")


@dataclass(frozen=True)
class Pruned:
    """What a rotation did in one folder: the copies deleted and those it could not delete,
    each with the reason in Russian."""

    deleted: list[str]
    not_deleted: dict[str, str]


def prune(folder: Path, dbname: str, keep_daily: int, keep_monthly: int, keep: str) -> Pruned:
    """Delete the copies of ``dbname`` in ``folder`` the rotation does not keep, and stale
    unfinished ones.

    A copy that cannot be deleted (all or part of it) is logged with the reason and named in
    ``not_deleted`` instead of ``deleted``, so the run's outcome counts only what is really gone
    and says what stays.
    """
    stamps = [c.stamp for c in copies_in(folder, dbname)]
    doomed = to_delete(stamps, keep_daily, keep_monthly, always=[keep])
    leftovers = sorted(p.name for p in folder.glob(f"{PARTIAL}{PREFIX}{dbname}-*"))
    deleted: list[str] = []
    not_deleted: dict[str, str] = {}
    for name in [*doomed, *leftovers]:
        problem = _remove(folder / name)
        if problem is not None:
            not_deleted[name] = problem
        elif name in doomed:
            deleted.append(name)
    return Pruned(deleted, not_deleted)


def _remove(path: Path) -> str | None:
    """Delete a copy's folder; the reason in Russian (and a warning in the log) when it stays,
    wholly or partly; None when it is gone."""
    failures: list[str] = []
    reasons: list[str] = []

    def failed(_function: object, name: str, info: tuple[type[BaseException], BaseException, object]) -> None:
        failures.append(f"{name}: {info[1]}")
        error = info[1]
        reason = problem_of(error) if isinstance(error, OSError) else str(error)
        if reason not in reasons:
            reasons.append(reason)

    shutil.rmtree(path, onerror=failed)
    if failures or path.exists():
        log.warning("old backup %s not deleted: %s", path, "; ".join(failures) or "still there")
        return "; ".join(reasons) or "папка осталась на месте"
    return None


def read_state(setup: BackupSetup) -> dict[str, dict[str, str | bool]]:
    """The last run's result per destination (``{path: {ok, at, message, copy, last_ok_at}}``)."""
    try:
        data = json.loads(setup.state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = data.get("destinations", {}) if isinstance(data, dict) else {}
    return found if isinstance(found, dict) else {}


def write_state(setup: BackupSetup, entries: dict[str, dict[str, str | bool]]) -> bool:
    """Merge this run's results into the state file; False when it cannot be written."""
    state = read_state(setup)
    for path, entry in entries.items():
        previous = state.get(path, {})
        merged = {**entry}
        if not entry.get("ok") and previous.get("last_ok_at"):
            merged["last_ok_at"] = previous["last_ok_at"]
        state[path] = merged
    try:
        secure_folder(setup.home, setup, group_writes=True)
        write_private(setup.state_file, json.dumps({"destinations": state}, ensure_ascii=False,
                                                   indent=1) + "\n", setup)
    except OSError:
        return False
    return True


class BackupBusy(EJournalError):
    """Another backup of this installation is running."""

    title = "Резервное копирование"


@contextlib.contextmanager
def run_lock(setup: BackupSetup) -> Iterator[None]:
    """Only one backup run of an installation at a time (a lock file in its home)."""
    try:
        secure_folder(setup.home, setup, group_writes=True)
        handle = setup.lock_file.open("a")
    except OSError as exc:
        # Without the lock two runs could write and rotate the same folders at once: refuse.
        raise ConfigError(
            f"Резервное копирование не запущено: не удалось открыть файл блокировки "
            f"{setup.lock_file} ({exc.strerror or exc}). Проверьте, что папка {setup.home} "
            f"доступна на запись этой учётной записи (группа «{setup.policy.group}»).",
            title="Резервное копирование") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise BackupBusy("Резервное копирование уже выполняется; дождитесь его окончания.") from exc
        yield
