"""Print jobs: what to print is read from the database and written as PDF files (R22, R23).

The command line (``ejournal print``), the print screen and the year archive call the same
``print_job``: resolve the period and the groups, load each printout (``core.printouts.data``),
render it, write it under ``out_dir`` (each file appears whole: written beside and renamed).
Long runs report progress and stop between two files when the ``cancel`` event is set.

Rendering is the ``printing`` package's, which sits above ``core`` in the layers; the
interface hands its renderers in (``use_renderers``, done by ``printing.registry.install_renderers``, or
the ``renderers`` argument), so ``core`` never imports it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import psycopg

from core.printouts import slot
from core.printouts.data import (
    GroupRef,
    PeriodChoice,
    SlipEntry,
    credential_slips,
    find_groups,
    groups_of,
    load_journal,
    load_statement,
    load_student_report,
    load_summaries,
    resolve_period,
)
from kernel.errors import ConfigError, EJournalError, ValidationError
from kernel.paths import create_private, private_dir
from kernel.settings import Settings
from kernel.text import plural

DEFAULT_FOLDER = "~/ejournal-print"
LP_TIMEOUT_S = 60


class PrintKind(StrEnum):
    """What can be printed."""

    JOURNAL = "journal"
    SUMMARY = "summary"
    STATEMENT = "statement"
    STUDENT = "student"
    SLIPS = "slips"

    @property
    def label(self) -> str:
        """The printout's name in Russian."""
        return {
            PrintKind.JOURNAL: "Журнал группы",
            PrintKind.SUMMARY: "Сводная ведомость успеваемости и посещаемости",
            PrintKind.STATEMENT: "Ведомость промежуточной аттестации",
            PrintKind.STUDENT: "Сведения об успеваемости и посещаемости для родителей",
            PrintKind.SLIPS: "Листки с логинами и паролями",
        }[self]

    @property
    def per_group(self) -> bool:
        """One file per group (journal, summary statement)."""
        return self in (PrintKind.JOURNAL, PrintKind.SUMMARY)


@dataclass(frozen=True)
class PrintRequest:
    """What a person asked to print.

    Attributes:
        kind: The printout.
        groups: Group names (journal, summary).
        all_groups: Every group the person sees that has loads in the period.
        year: Title («2026/2027») or id of the academic year; None: the current one.
        period: Number of the period; None: the whole year.
        statement_id: The statement (kind ``statement``).
        student_id: The student (kind ``student``).
        date_from: Start of the student report's dates (optional).
        date_to: End of the student report's dates (optional).
        slips: The accounts just issued (kind ``slips``).
        how_to_connect: Printed on each slip.
    """

    kind: PrintKind
    groups: tuple[str, ...] = ()
    all_groups: bool = False
    year: str | int | None = None
    period: int | None = None
    statement_id: int | None = None
    student_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    slips: tuple[SlipEntry, ...] = ()
    how_to_connect: str = ""


@dataclass(frozen=True)
class Document:
    """One printout loaded from the database, ready to render."""

    kind: PrintKind
    title: str
    filename: str
    data: Any


@dataclass(frozen=True)
class PrintedFile:
    """A PDF written: where, how many pages, what it is."""

    path: Path
    pages: int
    title: str


@dataclass(frozen=True)
class Renderer:
    """How the printing layer draws one kind of printout.

    Attributes:
        render: Writes the PDF to a path; returns the number of pages.
        text: The same content as text tables for the screen, when there is one.
    """

    render: Callable[[Any, Path], int]
    text: Callable[[Any], str] | None = None


Renderers = Mapping[PrintKind, Renderer]
Progress = Callable[[int, int, str], None]
use_renderers = slot.use_renderers
"""Install the printing layer's renderers (built on first use; :mod:`core.printouts.slot`)."""


def installed_renderers() -> Renderers:
    """The renderers installed by the interface.

    Raises:
        ConfigError: nothing installed them.
    """
    renderers = slot.built()
    if renderers is None:
        raise ConfigError("Модуль печати не подключён: печать из этой части программы недоступна.")
    return renderers


class PrintCancelled(EJournalError):
    """The person stopped a long print run; the files written so far are kept."""

    title = "Печать прервана"

    def __init__(self, files: Sequence[PrintedFile]) -> None:
        count = len(files)
        super().__init__(f"Печать остановлена: записано {count} {plural(count, 'файл', 'файла', 'файлов')}.")
        self.files = list(files)


@dataclass
class Plan:
    """A request resolved against the database: its period, its groups, how many files."""

    request: PrintRequest
    choice: PeriodChoice | None = None
    groups: list[GroupRef] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many files the job writes."""
        return len(self.groups) if self.request.kind.per_group else 1


def plan_job(conn: psycopg.Connection, request: PrintRequest) -> Plan:
    """Check the request and find its period and groups.

    Raises:
        ValidationError: something needed is missing, or the year, period or group is unknown.
    """
    kind = request.kind
    if kind is PrintKind.STATEMENT and request.statement_id is None:
        raise ValidationError("Не указана ведомость.")
    if kind is PrintKind.STUDENT and request.student_id is None:
        raise ValidationError("Не указан обучающийся.")
    if kind is PrintKind.SLIPS and not request.slips:
        raise ValidationError("Нет учётных записей для листков.")
    if kind.per_group and not request.all_groups and not request.groups:
        raise ValidationError("Не выбрана группа.")
    plan = Plan(request)
    if kind.per_group or kind is PrintKind.STUDENT:
        plan.choice = resolve_period(conn, request.year, request.period)
    if kind.per_group:
        assert plan.choice is not None
        plan.groups = (groups_of(conn, plan.choice) if request.all_groups
                       else find_groups(conn, request.groups))
        if not plan.groups:
            raise ValidationError(f"В периоде «{plan.choice.label}» нет доступных групп с нагрузкой.")
    return plan


def safe_name(text: str) -> str:
    """A file name part: letters, digits, «-», «_» and «.» kept, anything else becomes «_»."""
    return re.sub(r"_+", "_", re.sub(r"[^\w.-]+", "_", text)).strip("_")


def _group_document(kind: PrintKind, group: GroupRef, choice: PeriodChoice, data: Any) -> Document:
    prefix = "журнал" if kind is PrintKind.JOURNAL else "сводная_ведомость"
    return Document(kind, f"{kind.label} {group.name}, {choice.label}",
                    safe_name(f"{prefix}_{group.name}_{choice.slug}") + ".pdf", data)


def documents(conn: psycopg.Connection, plan: Plan) -> Iterator[Document]:
    """The printouts of a plan, loaded one at a time (summaries of all groups at once)."""
    request, choice = plan.request, plan.choice
    if request.kind is PrintKind.SUMMARY:
        assert choice is not None
        summaries = load_summaries(conn, [g.id for g in plan.groups], choice)
        for group in plan.groups:
            if group.id in summaries:
                yield _group_document(request.kind, group, choice, summaries[group.id])
    elif request.kind is PrintKind.JOURNAL:
        assert choice is not None
        for group in plan.groups:
            yield _group_document(request.kind, group, choice, load_journal(conn, group.id, choice))
    elif request.kind is PrintKind.STATEMENT:
        assert request.statement_id is not None
        statement = load_statement(conn, request.statement_id)
        yield Document(request.kind, f"Ведомость № {statement.number or request.statement_id}, "
                       f"{statement.group}, {statement.discipline}",
                       safe_name(f"ведомость_{request.statement_id}_{statement.group}_"
                                 f"{statement.discipline}") + ".pdf", statement)
    elif request.kind is PrintKind.STUDENT:
        assert request.student_id is not None and choice is not None
        report = load_student_report(conn, request.student_id, choice, date_from=request.date_from,
                                     date_to=request.date_to)
        yield Document(request.kind, f"Сведения: {report.student}, {report.group}",
                       safe_name(f"сведения_{report.student}_{report.group}_{choice.slug}") + ".pdf",
                       report)
    else:
        slips = credential_slips(conn, request.slips, request.how_to_connect)
        stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
        yield Document(request.kind, f"Листки доступа ({len(slips.slips)})",
                       f"листки_доступа_{stamp}.pdf", slips)


def render_document(doc: Document, out_dir: Path, renderers: Renderers | None = None) -> PrintedFile:
    """Write one document as PDF; the file appears only when complete, readable by the
    person alone (0600; a folder created for it is 0700)."""
    renderer = (renderers or installed_renderers())[doc.kind]
    private_dir(out_dir)
    target = out_dir / doc.filename
    partial = target.with_name(target.name + ".part")
    try:
        create_private(partial)
        pages = renderer.render(doc.data, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return PrintedFile(target, pages, doc.title)


def preview_text(doc: Document, renderers: Renderers | None = None) -> str:
    """The document as text tables, or an empty string where there is no text form."""
    renderer = (renderers or installed_renderers())[doc.kind]
    return renderer.text(doc.data) if renderer.text else ""


def print_job(conn: psycopg.Connection, request: PrintRequest | Plan, out_dir: Path | str, *,
              renderers: Renderers | None = None, progress: Progress | None = None,
              cancel: threading.Event | None = None,
              on_document: Callable[[Document], None] | None = None) -> list[PrintedFile]:
    """Load, render and write every file of a request.

    Args:
        conn: The person's own connection (row-level security applies), or the superuser's.
        request: What to print (or a plan made by ``plan_job``).
        out_dir: Folder for the PDF files (created when missing; ``~`` allowed).
        renderers: The printing layer's renderers; default: the installed ones.
        progress: Called with (files done, files in all, what is being done).
        cancel: When set, the job stops before the next file.
        on_document: Called with each document before it is rendered (a screen's preview).

    Raises:
        PrintCancelled: ``cancel`` was set (the files written so far are kept).
        EJournalError: the request is wrong or the database refused.
    """
    plan = request if isinstance(request, Plan) else plan_job(conn, request)
    folder = Path(out_dir).expanduser()
    renderers = renderers or installed_renderers()
    written: list[PrintedFile] = []
    report = progress or (lambda _done, _total, _what: None)
    report(0, plan.total, "Чтение данных…")
    for doc in documents(conn, plan):
        report(len(written), plan.total, doc.title)
        if cancel is not None and cancel.is_set():
            raise PrintCancelled(written)
        if on_document is not None:
            on_document(doc)
        written.append(render_document(doc, folder, renderers))
    report(len(written), plan.total, "Готово")
    return written


def write_year_printouts(conn: psycopg.Connection, year_id: int, folder: Path | str, *,
                         renderers: Renderers | None = None, progress: Progress | None = None,
                         cancel: threading.Event | None = None) -> list[Path]:
    """The year's paper archive (R16, R22): the journal and the summary statement of every
    group with loads in the year, as PDF files in ``folder``."""
    paths: list[Path] = []
    for kind in (PrintKind.SUMMARY, PrintKind.JOURNAL):
        request = PrintRequest(kind, all_groups=True, year=year_id)
        files = print_job(conn, request, folder, renderers=renderers, progress=progress,
                          cancel=cancel)
        paths += [f.path for f in files]
    return paths


def move_printed(files: Sequence[PrintedFile], out_dir: Path | str) -> list[PrintedFile]:
    """Move files written to a staging folder into ``out_dir`` (replacing older copies)."""
    folder = private_dir(out_dir)
    moved = []
    for item in files:
        target = folder / item.path.name
        shutil.move(str(item.path), target)
        moved.append(PrintedFile(target, item.pages, item.title))
    return moved


@dataclass(frozen=True)
class PrinterOutcome:
    """What became of sending files to the printer."""

    sent: bool
    message: str


def send_to_printer(paths: Sequence[Path], printer: str) -> PrinterOutcome:
    """Send PDF files to a CUPS printer with ``lp -d <printer>``.

    Without a configured printer or without ``lp`` nothing is sent and the outcome says why
    in Russian; the files stay in their folder.

    Raises:
        EJournalError: the printer refused a file.
    """
    if not printer:
        return PrinterOutcome(False, "Принтер не настроен (параметр printer): файлы только сохранены.")
    lp = shutil.which("lp")
    if lp is None:
        return PrinterOutcome(False, "Команда lp не найдена (не установлена система печати CUPS): "
                                     "файлы сохранены, распечатайте их вручную.")
    for path in paths:
        try:
            done = subprocess.run([lp, "-d", printer, "--", str(path)], capture_output=True,
                                  text=True, timeout=LP_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise EJournalError(f"Принтер «{printer}» не ответил за {LP_TIMEOUT_S} с.",
                                title="Печать") from exc
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            detail = f": {reason[0]}" if reason else ""
            raise EJournalError(f"Принтер «{printer}» не принял файл {path.name}{detail}.",
                                title="Печать")
    count = len(paths)
    return PrinterOutcome(True, f"Отправлено на принтер «{printer}»: {count} "
                                f"{plural(count, 'файл', 'файла', 'файлов')}.")


def admin_connection(settings: Settings) -> psycopg.Connection:
    """The superuser's connection (the administrator on the server host, and the archive)."""
    from db.bootstrap import connect_admin

    return connect_admin(settings)
