"""Homework files in the database (migration 0105): attach, list, fetch, remove, save.

Everything runs on the person's own connection: row-level security decides who reads a
lesson's files (whoever reads the lesson) and who attaches or removes them (the lesson's
teacher, the office, the admin). The program checks the size and the kind first, so the
person gets a clear Russian sentence before a large file travels to the server; the database
checks both again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import psycopg

from core.homework.kinds import DEFAULT_LIMIT_MB, HomeworkFile, check_content, check_size, clean_name
from core.session import UserSession
from db.connect import transaction
from db.errors import translate
from kernel.errors import EJournalError, ValidationError
from kernel.paths import downloads_folder, private_dir, write_private_bytes

COLUMNS = "id, lesson_id, file_name, kind, size_bytes, added_at, added_by, removed_at, removed_by"
LIMIT_SQL = "SELECT value #>> '{}' FROM journal.setting WHERE key = 'homework_file_max_mb'"


def _file(row: tuple[object, ...]) -> HomeworkFile:
    return HomeworkFile(*row)  # type: ignore[arg-type]


def limit_mb(session: UserSession) -> int:
    """The largest file allowed, in megabytes (setting ``homework_file_max_mb``)."""
    try:
        with session.cursor() as cur:
            row = cur.execute(LIMIT_SQL).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    try:
        return int(float(row[0])) if row and row[0] is not None else DEFAULT_LIMIT_MB
    except ValueError:
        return DEFAULT_LIMIT_MB


def read_path(path: Path | str, limit: int) -> tuple[str, bytes]:
    """The file's name and content, checked for size before it is read.

    Raises:
        ValidationError: no such file, not a file, unreadable, too big or empty (Russian).
    """
    source = Path(path).expanduser()
    try:
        if not source.is_file():
            raise ValidationError(f"Файла «{source}» нет (или это папка). Проверьте путь.", field="path")
        check_size(source.stat().st_size, limit)
        return source.name, source.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Файл «{source}» не прочитан: {exc.strerror or exc}.", field="path") from exc


def attach_bytes(session: UserSession, lesson_id: int, name: str, content: bytes) -> HomeworkFile:
    """Attach ``content`` under ``name`` to the lesson's homework.

    Raises:
        ValidationError: too big, empty, or not a PDF, DOCX or picture; nothing is stored.
        EJournalError: the database refused (no right to the lesson, server down).
    """
    check_content(content, name, limit_mb(session))
    try:
        with session.cursor() as cur, transaction(cur.connection):
            row = cur.execute(
                f"INSERT INTO journal.homework_file (lesson_id, file_name, content) "
                f"VALUES (%s, %s, %s) RETURNING {COLUMNS}",
                (lesson_id, clean_name(name), content)).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    assert row is not None
    return _file(row)


def attach_path(session: UserSession, lesson_id: int, path: Path | str) -> HomeworkFile:
    """Attach the file at ``path`` (on this computer) to the lesson's homework."""
    name, content = read_path(path, limit_mb(session))
    return attach_bytes(session, lesson_id, name, content)


def list_files(session: UserSession, lesson_ids: Iterable[int], *,
               with_removed: bool = False) -> dict[int, list[HomeworkFile]]:
    """The files of these lessons the person may read, by lesson, oldest first."""
    ids = sorted(set(lesson_ids))
    if not ids:
        return {}
    removed = "" if with_removed else " AND removed_at IS NULL"
    try:
        with session.cursor() as cur:
            rows = cur.execute(f"SELECT {COLUMNS} FROM journal.homework_file "
                               f"WHERE lesson_id = ANY(%s){removed} ORDER BY added_at, id",
                               (ids,)).fetchall()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    found: dict[int, list[HomeworkFile]] = {}
    for row in rows:
        item = _file(row)
        found.setdefault(item.lesson_id, []).append(item)
    return found


def fetch(session: UserSession, file_id: int) -> tuple[HomeworkFile, bytes]:
    """A file and its content.

    Raises:
        EJournalError: no such file for this person (or it was removed), server down.
    """
    try:
        with session.cursor() as cur:
            row = cur.execute(f"SELECT {COLUMNS}, content FROM journal.homework_file "
                              "WHERE id = %s AND removed_at IS NULL", (file_id,)).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    if row is None:
        raise EJournalError("Файла нет: его убрали из задания или он вам недоступен.",
                            title="Файл задания")
    return _file(row[:-1]), bytes(row[-1])


def remove(session: UserSession, file_id: int) -> HomeworkFile:
    """Take a file away from the homework; the row stays with who removed it and when.

    Raises:
        EJournalError: no right, already removed, or no such file (Russian).
    """
    try:
        with session.cursor() as cur, transaction(cur.connection):
            row = cur.execute(f"UPDATE journal.homework_file SET removed_at = now() "
                              f"WHERE id = %s RETURNING {COLUMNS}", (file_id,)).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    if row is None:
        raise EJournalError("Убрать этот файл нельзя: его нет или он не вашего занятия.",
                            title="Файл задания")
    return _file(row)


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``… when taken (nothing is overwritten)."""
    target = folder / name
    stem, suffix = target.stem, target.suffix
    number = 2
    while target.exists():
        target = folder / f"{stem} ({number}){suffix}"
        number += 1
    return target


def save_copy(name: str, content: bytes, folder: Path | str | None = None) -> Path:
    """Write the file into ``folder`` (default: the person's downloads folder), 0600; its path."""
    where = private_dir(folder) if folder is not None else private_dir(downloads_folder())
    target = free_path(where, clean_name(name))
    write_private_bytes(target, content)
    return target
