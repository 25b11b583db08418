"""Closing an academic year into the archive (R16) and reopening it.

Closing a year, after the administrator confirmed what will happen:

1. ``journal.archive_year(id)`` through the administrator's own login: from then on the
   database refuses every change to the year's data for everyone (enforced by triggers, not by
   the program); the year stays readable.
2. The year's printouts (journals and summary statements of every group) are written by the
   printing module (``core.printouts.jobs.write_year_printouts``).
3. A backup of kind ``year`` is made to every destination with the printouts inside the copy
   (``printouts/``), listed with their sha256 in its manifest. The rotation never deletes it.

Closing an already archived year repeats steps 2–3, so a failed copy can simply be retried.
``journal.reopen_year(id, reason)`` returns a year from the archive; the reason is recorded.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg

from core.backup.config import BackupPolicy, load_setup
from core.backup.manifest import PRINTOUTS_DIR
from core.backup.run import BackupRun, run_backup
from core.printouts.jobs import write_year_printouts
from core.session import UserSession
from db.errors import translate
from kernel.errors import AccessDenied, EJournalError, ValidationError
from kernel.text import plural

Progress = Callable[[str], None]
log = logging.getLogger("ejournal.archive")
YEARS_SQL = ("SELECT id, title, starts_on, ends_on, archived_at, archived_by "
             "FROM journal.academic_year ORDER BY starts_on DESC")


@dataclass(frozen=True)
class AcademicYear:
    """An academic year as the archive sees it."""

    year_id: int
    title: str
    starts_on: date
    ends_on: date
    archived_at: datetime | None
    archived_by: str | None

    @property
    def archived(self) -> bool:
        """True when the year is in the archive (read-only)."""
        return self.archived_at is not None

    def describe(self) -> str:
        """``2025/2026 (01.09.2025–30.06.2026), в архиве с 01.07.2026``."""
        span = f"{self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"
        state = f"в архиве с {self.archived_at:%d.%m.%Y}" if self.archived_at else "открыт"
        return f"{self.title} ({span}), {state}"


@dataclass(frozen=True)
class YearClosing:
    """What closing a year did."""

    year: AcademicYear
    archived_now: bool
    backup: BackupRun | None
    printouts: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """The year is archived and its copy reached enough destinations."""
        return self.backup is not None and self.backup.ok

    def lines(self) -> list[str]:
        """Russian lines reporting every step."""
        lines = [f"Учебный год {self.year.title} переведён в архив (только чтение)."
                 if self.archived_now else f"Учебный год {self.year.title} уже был в архиве."]
        count = len(self.printouts)
        lines.append(f"Печатные формы: {count} {plural(count, 'файл', 'файла', 'файлов')} в папке "
                     f"{PRINTOUTS_DIR} каждой копии." if count else "Печатные формы не записаны.")
        lines += list(self.notes)
        if self.backup is not None:
            lines.append(self.backup.summary())
            lines += [f"  {r.destination}: {r.message}" for r in self.backup.results]
        return lines


def _call(session: UserSession, query: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
    try:
        with session.cursor() as cur:
            cur.execute(query.encode(), params)
            return cur.fetchall() if cur.description else []
    except psycopg.Error as exc:
        raise translate(exc) from exc


def list_years(session: UserSession) -> list[AcademicYear]:
    """Every academic year the person may see, newest first."""
    return [AcademicYear(*row) for row in _call(session, YEARS_SQL, ())]


def find_year(session: UserSession, given: str | int) -> AcademicYear:
    """A year by its title (``2025/2026``) or id.

    Raises:
        ValidationError: there is no such year.
    """
    for year in list_years(session):
        if str(given) in (year.title, str(year.year_id)):
            return year
    raise ValidationError(f"Учебный год «{given}» не найден (пишите как 2025/2026).",
                          title="Архив учебного года")


def _require_admin(session: UserSession) -> None:
    if not session.person.has("admin"):
        raise AccessDenied("Закрывать и открывать учебный год может только заведующий учебной частью.")


def describe_closing(session: UserSession, year: AcademicYear, policy: BackupPolicy | None = None) -> str:
    """The confirmation text: what closing ``year`` will do, in Russian."""
    setup = load_setup(session.settings, policy)
    dests = ", ".join(str(d) for d in setup.destinations) or "(места хранения не заданы!)"
    first = ("" if not year.archived else
             "Год уже в архиве: будут заново записаны печатные формы и резервная копия.\n\n")
    return (
        f"{first}Учебный год {year.title} ({year.starts_on:%d.%m.%Y}–{year.ends_on:%d.%m.%Y}) "
        "будет закрыт:\n"
        "• все данные года (отметки, посещаемость, темы, ведомости) станут доступны только для "
        "чтения — изменить их не сможет никто, включая администратора;\n"
        "• будут сформированы печатные формы года: журналы и сводные ведомости всех групп;\n"
        f"• будет создана резервная копия с печатными формами в каждом месте хранения: {dests}.\n\n"
        "Вернуть год из архива можно только с указанием причины (ejournal year reopen); "
        "это записывается в историю."
    )


def _printouts(session: UserSession, year: AcademicYear, folder: Path,
               progress: Progress) -> tuple[dict[str, Path], list[str]]:
    progress("Формирование печатных форм года…")

    def step(done: int, total: int, what: str) -> None:
        if done < total:
            progress(f"Печатные формы: {done + 1} из {total} — {what}")

    conn = session.new_connection()
    try:
        written = write_year_printouts(conn, year.year_id, folder, progress=step)
        paths = [Path(p) for p in written]
    except EJournalError as exc:
        return {}, [f"Печатные формы не записаны: {exc.message}"]
    except Exception:  # the copy matters more than the paper: report, log, go on
        log.exception("year printouts failed")
        return {}, ["Печатные формы не записаны: ошибка модуля печати (подробности в журнале "
                    "программы)."]
    finally:
        conn.close()
    return {f"{PRINTOUTS_DIR}/{_relative(p, folder)}": p for p in paths}, []


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


def close_year(session: UserSession, year_id: int, *, policy: BackupPolicy | None = None,
               progress: Progress | None = None) -> YearClosing:
    """Archive the year (if it is not yet), write its printouts and a backup with them.

    Raises:
        AccessDenied: the person is not the administrator (the database checks it too).
        ConfigError, ServerError: the backup could not start at all (the year stays archived;
            closing it again retries the copy).
    """
    say = progress or (lambda _text: None)
    _require_admin(session)
    year = next((y for y in list_years(session) if y.year_id == year_id), None)
    if year is None:
        raise ValidationError("Учебный год не найден.", title="Архив учебного года")
    archived_now = False
    if not year.archived:
        say(f"Перевод учебного года {year.title} в архив…")
        _call(session, "SELECT journal.archive_year(%s)", (year.year_id,))
        archived_now = True
        year = next(y for y in list_years(session) if y.year_id == year_id)
    staging = Path(tempfile.mkdtemp(prefix="ejournal-year-"))
    try:
        extras, notes = _printouts(session, year, staging, say)
        run = run_backup(session.settings, policy=policy, kind="year",
                         note=f"Закрытие учебного года {year.title}", extras=extras, progress=say)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return YearClosing(year, archived_now, run, tuple(sorted(extras)), tuple(notes))


def reopen_year(session: UserSession, year_id: int, reason: str) -> AcademicYear:
    """Return a year from the archive; the reason is recorded in the history.

    Raises:
        ValidationError: no reason given, or the year is not archived.
        AccessDenied: the person is not the administrator.
    """
    _require_admin(session)
    if not reason.strip():
        raise ValidationError("Укажите причину возврата учебного года из архива.",
                              title="Архив учебного года")
    _call(session, "SELECT journal.reopen_year(%s, %s)", (year_id, reason.strip()))
    return next(y for y in list_years(session) if y.year_id == year_id)
