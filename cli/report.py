"""``ejournal report control|performance|attendance|program|…``: the office's reports (R8, R9,
R11) as text tables, CSV, XLSX or PDF, with the rights of the person who logs in.

The fortnightly control (regulation 3.8) on a schedule: ``ejournal report control --raise
--record --login OFFICE`` (cron, password in ``EJOURNAL_PASSWORD``) raises remarks to the
teachers, closes the filled ones and records the check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.russian import day_argument
from core.reports import service
from core.reports.performance import DIMENSIONS as PERFORMANCE_BY
from core.reports.table import ReportTable, text_table, to_csv, to_xlsx
from kernel.errors import ValidationError

REPORTS = {
    "control": "контроль заполнения журнала (по умолчанию — последние две недели)",
    "control-summary": "нарушения по преподавателям и группам",
    "controls": "журнал проверок учебной части",
    "remarks": "мои открытые замечания",
    "performance": "успеваемость (--by группа|дисциплина|преподаватель|курс|колледж)",
    "compare": "успеваемость за два периода (--from/--to и --from2/--to2)",
    "attendance": "пропуски НУ/НН (--by студент|группа|месяц|дисциплина; --chart неделя)",
    "program": "выполнение программы: часы по плану и проведённые",
    "behind": "нагрузки с отставанием от плана",
    "forecast": "прогноз итоговых отметок по нагрузкам (--group)",
    "risk": "студенты в группе риска и что нужно для исправления (--group)",
    "debts": "академические задолженности и даты пересдачи",
    "parents": "сведения для родителей: всей группе (--group) или студенту (--student ФАМИЛИЯ)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` command."""
    cmd = subparsers.add_parser(
        "report", help="отчёты учебной части: контроль, успеваемость, посещаемость, программа",
        description="Отчёты. Виды: " + "; ".join(f"{k} — {v}" for k, v in REPORTS.items()))
    cmd.add_argument("kind", choices=list(REPORTS), metavar="ВИД", help=", ".join(REPORTS))
    cmd.add_argument("--login", required=True, help="с правами этого пользователя "
                     "(пароль: EJOURNAL_PASSWORD или запрос)")
    cmd.add_argument("--from", dest="first", type=day_argument, metavar="ДАТА", help="с этой даты")
    cmd.add_argument("--to", dest="last", type=day_argument, metavar="ДАТА", help="по эту дату")
    cmd.add_argument("--from2", dest="first2", type=day_argument, metavar="ДАТА",
                     help="compare: второй период с")
    cmd.add_argument("--to2", dest="last2", type=day_argument, metavar="ДАТА",
                     help="compare: второй период по")
    cmd.add_argument("--by", default="group", type=_dimension, metavar="РАЗРЕЗ",
                     help="разрез: группа, дисциплина, преподаватель, курс, колледж; для "
                          "посещаемости студент, группа, месяц, дисциплина")
    cmd.add_argument("--chart", default="месяц", choices=("месяц", "неделя"),
                     help="attendance: график пропусков по месяцам (по умолчанию) или неделям")
    cmd.add_argument("--group", metavar="ГРУППА", help="forecast, risk: одна группа, например "
                     "СЭЗ-24-1")
    cmd.add_argument("--student", metavar="ФАМИЛИЯ",
                     help="parents: студент группы (фамилия или фамилия и имя)")
    cmd.add_argument("--format", choices=("text", "csv", "xlsx", "pdf"), default="text",
                     help="text (по умолчанию), csv, xlsx или pdf")
    cmd.add_argument("--out", metavar="ФАЙЛ", help="файл для csv, xlsx и pdf")
    cmd.add_argument("--raise", dest="raise_remarks", action="store_true",
                     help="control: выставить замечания преподавателям и закрыть исправленные")
    cmd.add_argument("--record", action="store_true",
                     help="control: записать проверку в журнал проверок учебной части")
    cmd.add_argument("--note", default="", help="control --record: примечание к проверке")
    cmd.set_defaults(handler=run)


def _dates(args: argparse.Namespace, session: service.UserSession) -> service.Dates:
    if args.kind.startswith("control") and args.first is None:
        default = service.fortnight(args.last)
    else:
        default = service.school_year(session, args.last)
    return service.Dates(args.first or default.first, args.last or default.last)


def build(args: argparse.Namespace, session: service.UserSession) -> ReportTable:
    """The report the arguments ask for."""
    dates = _dates(args, session)
    kind = args.kind
    if kind in ("performance", "compare") and args.by not in PERFORMANCE_BY:
        raise ValidationError(f"Разрез «{BY_TITLES.get(args.by, args.by)}»: укажите "
                              f"{', '.join(BY_TITLES.get(d, d) for d in PERFORMANCE_BY)}.")
    if kind == "compare":
        if args.first2 is None or args.last2 is None:
            raise ValidationError("Укажите второй период: --from2 ДАТА --to2 ДАТА.")
        return service.compare(session, dates, service.Dates(args.first2, args.last2), args.by)
    makers = {
        "control": lambda: service.control(session, dates),
        "control-summary": lambda: service.control_summary(session, dates),
        "controls": lambda: service.control_history(session),
        "remarks": lambda: service.my_remarks(session),
        "performance": lambda: service.performance(session, dates, args.by),
        "attendance": lambda: service.attendance(session, dates, _attendance_by(args.by),
                                                 weeks=args.chart == "неделя"),
        "program": lambda: service.program(session, dates),
        "behind": lambda: service.program(session, dates, behind_only=True),
        "forecast": lambda: service.forecast(session, dates, _group(session, args.group)),
        "risk": lambda: service.at_risk(session, dates, _group(session, args.group)),
        "debts": lambda: service.debts(session, dates),
    }
    return makers[kind]()


def _group(session: service.UserSession, name: str | None) -> int | None:
    return service.group_id(session, name) if name else None


BY_RUSSIAN = {"группа": "group", "дисциплина": "discipline", "преподаватель": "teacher",
              "курс": "course", "колледж": "college", "студент": "student", "месяц": "month"}
"""The report's dimensions as a teacher types them (the English names are accepted too)."""
BY_TITLES = {english: russian for russian, english in BY_RUSSIAN.items()}


def _dimension(text: str) -> str:
    return BY_RUSSIAN.get(text.strip().lower(), text.strip().lower())


def _attendance_by(by: str) -> str:
    from core.reports.attendance import DIMENSIONS

    if by not in DIMENSIONS:
        raise ValidationError(f"Разрез «{BY_TITLES.get(by, by)}»: укажите "
                              f"{', '.join(BY_TITLES.get(d, d) for d in DIMENSIONS)}.")
    return by


def write(table: ReportTable, fmt: str, out: str | None, session: service.UserSession) -> str:
    """Print or write the report; what to tell the person."""
    if fmt == "text":
        return text_table(table)
    if fmt == "csv" and out is None:
        return to_csv(table).rstrip("\n")
    if out is None:
        raise ValidationError(f"Укажите файл: --out отчёт.{fmt}.")
    path = Path(out)
    if fmt == "csv":
        path.write_text(to_csv(table), encoding="utf-8-sig")
    elif fmt == "xlsx":
        to_xlsx([table], path)
    else:
        from printing.report import render_report

        pages = render_report([table], service.college(session), path)
        return f"{path} — страниц: {pages}"
    return str(path)


def _parents(args: argparse.Namespace, session: service.UserSession) -> int:
    """Print the parents' reports; without --format pdf only list whom they are for."""
    from core.printouts.jobs import DEFAULT_FOLDER

    if not args.group:
        raise ValidationError("Укажите группу: --group СЭЗ-24-1 (и --student ФАМИЛИЯ для одного).")
    if args.format != "pdf":
        print(write(service.parents_list(session, args.group, args.student or ""), args.format,
                    args.out, session))
        return 0
    dates = service.Dates(args.first, args.last) if args.first and args.last else None
    files = service.print_parents(session, args.group, args.student or "",
                                  args.out or DEFAULT_FOLDER, dates)
    for item in files:
        print(f"{item.path} — страниц: {item.pages}")
    print(f"Записано файлов: {len(files)}.")
    return 0


def run(args: argparse.Namespace) -> int:
    """Log in, do what is asked, print the result."""
    from core.session import log_in
    from kernel.settings import load_settings, password_or_ask

    password = password_or_ask(f"Пароль ({args.login}): ")
    session = log_in(load_settings(), args.login, password)
    try:
        if args.kind == "parents":
            return _parents(args, session)
        if args.kind == "control" and (args.raise_remarks or args.record):
            dates = _dates(args, session)
            if args.raise_remarks:
                raised, closed = service.raise_remarks(session, dates)
                print(f"Замечаний выставлено: {raised}, закрыто исправленных: {closed}.",
                      file=sys.stderr)
            if args.record:
                number, found = service.record_control(session, dates, args.note)
                print(f"Проверка № {number} записана: {found}.", file=sys.stderr)
        print(write(build(args, session), args.format, args.out, session))
    finally:
        session.close()
    return 0
