"""Verify a copy (checksums, then a trial restore) and restore a copy into a database.

:func:`verify_copy` checks the manifest's own checksum, the size and sha256 of every file,
then restores the dump into a scratch database, compares every table's row count and content
checksum with the manifest, and drops the scratch database (and any role it had to create).
:func:`restore_copy` does the same into a named database; an existing database is replaced
only with ``force``, and only after the restored data has matched the manifest.

Both need the maintenance (superuser) access: the embedded server's own, or
``EJOURNAL_ADMIN_DSN`` for a college server.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from core.backup.auth import maintenance_target
from core.backup.config import BackupPolicy, BackupSetup, load_setup
from core.backup.manifest import (
    DUMP_FILE,
    ROLES_FILE,
    Manifest,
    TableStat,
    compare_stats,
    pin_formats,
    read_manifest,
    sha256_of,
    table_stats,
)
from core.backup.roles import drop_roles, restore_missing_roles
from core.backup.store import find_copy
from db import dump
from db.dump import PgTarget
from kernel.errors import EJournalError, ServerError, ValidationError
from kernel.settings import Settings

Progress = Callable[[str], None]


class CopyDamaged(ValidationError):
    """A copy failed its checks: do not rely on it."""

    title = "Копия повреждена"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking one copy."""

    copy: Path
    manifest: Manifest | None
    problems: tuple[str, ...]
    restored: bool
    seconds: float
    note: str = ""

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return not self.problems

    def summary(self) -> str:
        """One Russian sentence about the result."""
        if not self.ok:
            return f"Копия {self.copy.name} НЕ ПРОШЛА проверку: " + "; ".join(self.problems[:5])
        what = "контрольные суммы и пробное восстановление" if self.restored else "контрольные суммы файлов"
        rows = f", строк: {self.manifest.total_rows}" if self.manifest else ""
        return f"Копия {self.copy.name} исправна ({what}{rows}); {self.seconds:.0f} с."


@dataclass(frozen=True)
class RestoreResult:
    """The outcome of a restore."""

    database: str
    manifest: Manifest
    roles_created: tuple[str, ...]
    replaced: bool
    seconds: float

    def summary(self) -> str:
        """One Russian sentence about the result."""
        how = "заменена" if self.replaced else "создана"
        roles = f"; созданы роли: {len(self.roles_created)} (без паролей)" if self.roles_created else ""
        return (f"База «{self.database}» {how} из копии от {self.manifest.created_at:%d.%m.%Y %H:%M}: "
                f"таблиц {len(self.manifest.tables)}, строк {self.manifest.total_rows}{roles}.")


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def check_files(folder: Path) -> tuple[Manifest | None, list[str]]:
    """The manifest and the problems found by comparing every file with it."""
    try:
        manifest = read_manifest(folder)
    except ValidationError as exc:
        return None, [exc.message]
    problems: list[str] = []
    for name in (DUMP_FILE, ROLES_FILE):
        if name not in manifest.files:
            problems.append(f"в описании копии нет файла {name}")
    for name, entry in sorted(manifest.files.items()):
        path = folder / name
        try:
            if path.stat().st_size != entry.size:
                problems.append(f"файл {name}: размер {path.stat().st_size} вместо {entry.size}")
            elif sha256_of(path) != entry.sha256:
                problems.append(f"файл {name}: не совпадает контрольная сумма sha256")
        except OSError:
            problems.append(f"файл {name} отсутствует или не читается")
    return manifest, problems


def _admin_conn(setup: BackupSetup) -> psycopg.Connection:
    target = maintenance_target(setup, "postgres")
    try:
        return psycopg.connect(target.conninfo(), autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise ServerError("Нет доступа обслуживания к серверу (нужен для восстановления).") from exc


def _database_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _drop_database(conn: psycopg.Connection, name: str) -> None:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _stats_of(setup: BackupSetup, dbname: str) -> dict[str, TableStat]:
    target = maintenance_target(setup, dbname)
    with psycopg.connect(target.conninfo(), autocommit=True, connect_timeout=10) as conn, \
            conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        pin_formats(conn)
        return table_stats(conn)


DATABASE_PRIVILEGES = frozenset({"CREATE", "CONNECT", "TEMPORARY", "TEMP"})
"""The privileges a database can be granted (``aclexplode``'s ``privilege_type``)."""


def database_privilege(privilege: str) -> sql.SQL:
    """A database privilege from a copy's manifest, as SQL once it is one of
    :data:`DATABASE_PRIVILEGES` (the manifest comes from removable media).

    Raises:
        CopyDamaged: anything else (a damaged or forged manifest).
    """
    if not isinstance(privilege, str) or privilege.upper() not in DATABASE_PRIVILEGES:
        raise CopyDamaged(f"В описании копии (manifest.json) указано недопустимое право на базу "
                              f"«{privilege}»: копия повреждена или подменена, она не восстанавливается.")
    return sql.SQL(privilege.upper())


def _apply_database_acl(conn: psycopg.Connection, dbname: str, acl: list[tuple[str, str]]) -> None:
    """Repeat the copy's database grants (pg_dump leaves them out) for existing grantees.

    Raises:
        CopyDamaged: the manifest names a privilege a database does not have.
    """
    grants = [(grantee, database_privilege(privilege)) for grantee, privilege in acl]
    roles = {row[0] for row in conn.execute("SELECT rolname FROM pg_roles").fetchall()}
    name = sql.Identifier(dbname)
    conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(name))
    for grantee, privilege in grants:
        if grantee != "PUBLIC" and grantee not in roles:
            continue
        who = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee)
        conn.execute(sql.SQL("GRANT {} ON DATABASE {} TO {}").format(privilege, name, who))


@contextlib.contextmanager
def _scratch(setup: BackupSetup, conn: psycopg.Connection, name: str) -> Iterator[str]:
    """A new empty database, dropped on the way out (a no-op once it has been renamed)."""
    conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
        sql.Identifier(name)))
    try:
        yield name
    finally:
        _drop_database(conn, name)


def _restore_checked(setup: BackupSetup, conn: psycopg.Connection, folder: Path,
                     manifest: Manifest, dbname: str, progress: Progress | None) -> list[str]:
    """Restore the dump into the empty ``dbname``; return differences from the manifest."""
    _say(progress, "Восстановление копии (pg_restore)…")
    target: PgTarget = maintenance_target(setup, dbname)
    dump.restore(setup.settings, target, folder / DUMP_FILE, jobs=min(4, os.cpu_count() or 2))
    _say(progress, "Сравнение строк и контрольных сумм таблиц с описанием копии…")
    return compare_stats(manifest.tables, _stats_of(setup, dbname))


def _scratch_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"[:63]


def verify_copy(
    settings: Settings, copy: Path | str, *, policy: BackupPolicy | None = None,
    restore: bool | None = True, progress: Progress | None = None,
) -> VerifyResult:
    """Check a copy: checksums of every file, then (``restore``) a trial restore.

    Args:
        settings: The installation.
        copy: The copy's folder, its manifest, or its name in a destination.
        policy: Backup settings (default: from the settings file).
        restore: True: restore into a scratch database and compare (needs maintenance
            access); None: do so when that access is available; False: checksums only.
        progress: Called with a Russian line at each step.
    """
    setup = load_setup(settings, policy)
    folder = find_copy(setup, str(copy))
    clock = time.monotonic()
    _say(progress, f"Проверка контрольных сумм файлов копии {folder.name}…")
    manifest, problems = check_files(folder)
    if problems or manifest is None or restore is False:
        return VerifyResult(folder, manifest, tuple(problems), False, time.monotonic() - clock)
    try:
        conn = _admin_conn(setup)
    except EJournalError as exc:
        if restore is None:
            note = f"Пробное восстановление не выполнено: {exc.message}"
            return VerifyResult(folder, manifest, (), False, time.monotonic() - clock, note)
        raise
    with conn:
        created: list[str] = []
        try:
            created = restore_missing_roles(conn, (folder / ROLES_FILE).read_text("utf-8"))
            with _scratch(setup, conn, _scratch_name("ej_verify")) as scratch:
                problems = _restore_checked(setup, conn, folder, manifest, scratch, progress)
        except dump.DumpFailed as exc:
            problems = [f"восстановление не удалось: {exc.message}"]
        finally:
            drop_roles(conn, created)
    return VerifyResult(folder, manifest, tuple(problems), True, time.monotonic() - clock)


def restore_copy(
    settings: Settings, copy: Path | str, dbname: str, *, force: bool = False,
    policy: BackupPolicy | None = None, progress: Progress | None = None,
) -> RestoreResult:
    """Restore a copy into the database ``dbname``, roles included.

    The copy is checked first (checksums); it is restored into a temporary database and
    compared with its manifest; only then is an existing ``dbname`` dropped (``force``) and
    the temporary database renamed. Missing roles are recreated (without passwords).

    Raises:
        CopyDamaged: the copy failed its checks, or the restored data differ from the manifest.
        ValidationError: ``dbname`` exists and ``force`` was not given.
        ServerError: no maintenance access, or pg_restore failed.
    """
    setup = load_setup(settings, policy)
    folder = find_copy(setup, str(copy))
    clock = time.monotonic()
    _say(progress, f"Проверка контрольных сумм файлов копии {folder.name}…")
    manifest, problems = check_files(folder)
    if problems or manifest is None:
        raise CopyDamaged(f"Файлы копии {folder.name} не совпадают с её описанием: "
                          + "; ".join(problems[:5]) + ". Используйте копию из другого места хранения.")
    with _admin_conn(setup) as conn:
        exists = _database_exists(conn, dbname)
        if exists and not force:
            raise ValidationError(
                f"База «{dbname}» уже существует. Чтобы заменить её содержимым копии, повторите "
                "с ключом --force (все подключения к ней будут разорваны).", title="Восстановление")
        created = restore_missing_roles(conn, (folder / ROLES_FILE).read_text("utf-8"))
        temporary = _scratch_name(f"{dbname[:40]}_restoring")
        with _scratch(setup, conn, temporary):
            problems = _restore_checked(setup, conn, folder, manifest, temporary, progress)
            if problems:
                raise CopyDamaged("Восстановленные данные не совпали с описанием копии: "
                                  + "; ".join(problems[:5]))
            _say(progress, f"Замена базы «{dbname}»…" if exists else f"Создание базы «{dbname}»…")
            _apply_database_acl(conn, temporary, manifest.database_acl)
            if exists:
                _drop_database(conn, dbname)
            conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(temporary), sql.Identifier(dbname)))
    return RestoreResult(dbname, manifest, tuple(created), exists, time.monotonic() - clock)
