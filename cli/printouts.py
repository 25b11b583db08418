"""``ejournal print journal|summary|statement|student|slips``: printouts as PDF (R22, R23).

Prints with the rights of the person who logs in (``--login``; password from
``EJOURNAL_PASSWORD`` or asked), or, for the administrator on the server host, as the
embedded server's superuser (``--as-admin-superuser``).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cli.russian import day_argument
from core.printouts import jobs as print_jobs
from core.printouts.data import SlipEntry
from core.printouts.jobs import DEFAULT_FOLDER, PrintKind, PrintRequest
from kernel.errors import ValidationError

KINDS = {
    "journal": "журнал группы за семестр или год",
    "summary": "сводная ведомость успеваемости и посещаемости",
    "statement": "ведомость промежуточной аттестации (--statement)",
    "student": "сведения об обучающемся для родителей (--student)",
    "slips": "листки с логинами и одноразовыми паролями (--slips-file)",
    "guide": "руководство по работе для роли (--role), без подключения к базе",
}




def _period(text: str) -> int | None:
    if text.lower() in ("year", "год"):
        return None
    if text.isdigit() and 1 <= int(text) <= 4:
        return int(text)
    raise argparse.ArgumentTypeError(f"период «{text}»: укажите 1, 2 (семестр) или year (год)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``print`` command."""
    cmd = subparsers.add_parser(
        "print", help="печать журнала, ведомостей и сведений в PDF",
        description="Печать в PDF. Виды: " + "; ".join(f"{k} — {v}" for k, v in KINDS.items()))
    cmd.add_argument("kind", choices=list(KINDS), metavar="ВИД", help=", ".join(KINDS))
    who = cmd.add_mutually_exclusive_group()
    who.add_argument("--login", help="печатать с правами этого пользователя "
                     "(пароль: EJOURNAL_PASSWORD или запрос)")
    who.add_argument("--as-admin-superuser", action="store_true",
                     help="печатать как суперпользователь встроенного сервера (на сервере)")
    cmd.add_argument("--group", action="append", default=[], metavar="ГРУППА",
                     help="группа, например СЭЗ-24-1 (можно повторять)")
    cmd.add_argument("--all-groups", action="store_true", help="все доступные группы")
    cmd.add_argument("--period", type=_period, default=None, metavar="1|2|year",
                     help="семестр (1, 2) или весь год (year, по умолчанию)")
    cmd.add_argument("--year", help="учебный год, например 2026/2027 (по умолчанию текущий)")
    cmd.add_argument("--statement", type=int, metavar="НОМЕР", help="номер ведомости в базе")
    cmd.add_argument("--student", type=int, metavar="НОМЕР", help="обучающийся (номер в базе)")
    cmd.add_argument("--from", dest="date_from", type=day_argument, metavar="ДАТА",
                     help="сведения для родителей: с этой даты")
    cmd.add_argument("--to", dest="date_to", type=day_argument, metavar="ДАТА",
                     help="сведения для родителей: по эту дату")
    cmd.add_argument("--slips-file", metavar="CSV", help="листки: файл «ФИО;роль;логин;пароль"
                     "[;примечание]» («-» — стандартный ввод)")
    cmd.add_argument("--connect", default="", metavar="ТЕКСТ",
                     help="листки: как запустить программу (печатается на каждом листке)")
    cmd.add_argument("--out", default=DEFAULT_FOLDER, metavar="ПАПКА",
                     help=f"куда записать PDF (по умолчанию {DEFAULT_FOLDER})")
    cmd.add_argument("--text", action="store_true", help="вывести таблицы на экран, без PDF")
    cmd.add_argument("--send", action="store_true",
                     help="отправить на принтер из настроек (параметр «printer»)")
    cmd.add_argument("--role", choices=("teacher", "curator", "office", "admin", "parent", "student"),
                     default="teacher", metavar="РОЛЬ",
                     help="руководство: teacher, curator, office, admin, parent или student")
    cmd.set_defaults(handler=run)


def read_slips(source: str) -> tuple[SlipEntry, ...]:
    """Accounts from a CSV file (or «-» for standard input): ФИО, роль, логин, пароль[, примечание].

    Raises:
        ValidationError: the file cannot be read or a line has too few fields.
    """
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8-sig")
    except OSError as exc:
        raise ValidationError(f"Не удалось прочитать файл {source}: {exc.strerror}.") from exc
    first = text.splitlines()[0] if text.strip() else ""
    rows = csv.reader(io.StringIO(text), delimiter=";" if ";" in first else ",")
    entries = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].lower() in ("фио", "person")):
            continue
        if len(cells) < 4 or not all(cells[:4]):
            raise ValidationError(f"Строка {number} файла {source}: нужны ФИО, роль, логин и пароль.")
        entries.append(SlipEntry(*cells[:5]))
    return tuple(entries)


def request_of(args: argparse.Namespace) -> PrintRequest:
    """The print request the command line describes."""
    kind = PrintKind(args.kind)
    if kind.per_group and not args.group and not args.all_groups:
        raise ValidationError("Укажите группу (--group СЭЗ-24-1) или --all-groups.")
    slips = read_slips(args.slips_file) if kind is PrintKind.SLIPS and args.slips_file else ()
    if kind is PrintKind.SLIPS and not slips:
        raise ValidationError("Укажите файл с учётными записями: --slips-file ФАЙЛ.csv.")
    if kind is PrintKind.STATEMENT and args.statement is None:
        raise ValidationError("Укажите ведомость: --statement НОМЕР.")
    if kind is PrintKind.STUDENT and args.student is None:
        raise ValidationError("Укажите обучающегося: --student НОМЕР.")
    return PrintRequest(kind, groups=tuple(args.group), all_groups=args.all_groups,
                        year=args.year, period=args.period, statement_id=args.statement,
                        student_id=args.student, date_from=args.date_from, date_to=args.date_to,
                        slips=slips, how_to_connect=args.connect)


@contextmanager
def connection(args: argparse.Namespace) -> Iterator[Any]:
    """The connection to print with: the person's own, or the embedded superuser's."""
    from kernel.settings import load_settings, password_or_ask

    settings = load_settings()
    if args.as_admin_superuser:
        with print_jobs.admin_connection(settings) as conn:
            yield conn
        return
    if not args.login:
        raise ValidationError("Укажите, от чьего имени печатать: --login ЛОГИН "
                              "(или --as-admin-superuser на сервере).")
    from core.session import log_in

    password = password_or_ask(f"Пароль ({args.login}): ")
    session = log_in(settings, args.login, password)
    try:
        yield session.conn
    finally:
        session.close()


def _progress(done: int, total: int, what: str) -> None:
    if total > 1:
        print(f"[{done}/{total}] {what}", file=sys.stderr, flush=True)


def print_guide(role: str, folder: Path) -> int:
    """Write the role's guide as PDF into ``folder``."""
    from core.guides import GUIDES
    from kernel.text import plural
    from printing.guide import render_guide

    path = folder / f"руководство-{role}.pdf"
    pages = render_guide(GUIDES[role], path)
    print(f"{path} — {pages} {plural(pages, 'страница', 'страницы', 'страниц')}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Print what the arguments ask for; list the files written with their pages."""
    from kernel.settings import load_settings
    from kernel.text import plural

    if args.kind == "guide":
        return print_guide(args.role, Path(args.out).expanduser())
    request = request_of(args)
    with connection(args) as conn:
        if args.text:
            if request.kind is PrintKind.SLIPS:
                raise ValidationError("Листки с паролями печатаются только в PDF.")
            plan = print_jobs.plan_job(conn, request)
            for doc in print_jobs.documents(conn, plan):
                print(print_jobs.preview_text(doc), end="\n\n")
            return 0
        files = print_jobs.print_job(conn, request, Path(args.out), progress=_progress)
    for item in files:
        print(f"{item.path} — {item.pages} {plural(item.pages, 'страница', 'страницы', 'страниц')}")
    pages = sum(item.pages for item in files)
    print(f"Записано: {len(files)} {plural(len(files), 'файл', 'файла', 'файлов')}, "
          f"{pages} {plural(pages, 'страница', 'страницы', 'страниц')}.")
    if args.send:
        outcome = print_jobs.send_to_printer([f.path for f in files], load_settings().printer)
        print(outcome.message)
    return 0
