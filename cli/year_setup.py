"""``ejournal year add|period|holidays|break|bells|show|change|readiness``: the yearly setup
(issue 13) for scripted use; ``list``, ``close`` and ``reopen`` are in cli/archive.py.

Everything runs under the person's own login: the database allows the calendar to the admin.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from kernel import clock
from kernel.settings import load_settings, password_or_ask

EXIT_FAILED = 1


def session(login: str) -> Any:
    """The person's session (password from EJOURNAL_PASSWORD or asked)."""
    from core.session import log_in

    return log_in(load_settings(), login, password_or_ask())


def add_actions(actions: argparse._SubParsersAction) -> None:
    """Add the setup actions to ``ejournal year``."""
    add = actions.add_parser("add", help="создать учебный год")
    add.add_argument("year", metavar="ГОД", help="например 2026/2027")
    add.add_argument("--from", dest="starts", help="начало, ДД.ММ.ГГГГ (по умолчанию 01.09)")
    add.add_argument("--to", dest="ends", help="конец, ДД.ММ.ГГГГ (по умолчанию 31.08)")
    period = actions.add_parser("period", help="открыть период (семестр) учебного года")
    period.add_argument("year", metavar="ГОД")
    period.add_argument("number", metavar="НОМЕР", type=int)
    period.add_argument("starts", metavar="С")
    period.add_argument("ends", metavar="ПО")
    hol = actions.add_parser("holidays", help="праздники и переносы дней РФ (пакет holidays)")
    hol.add_argument("year", metavar="ГОД")
    brk = actions.add_parser("break", help="каникулы, практика или свой выходной техникума")
    brk.add_argument("year", metavar="ГОД")
    brk.add_argument("starts", metavar="С")
    brk.add_argument("ends", metavar="ПО")
    brk.add_argument("title", metavar="НАЗВАНИЕ")
    brk.add_argument("--kind", default="каникулы", help="каникулы, праздник или практика")
    brk.add_argument("--group", default="", help="только для этой группы (практика)")
    bells = actions.add_parser("bells", help="расписание звонков: --pair 1 08:30 10:00 2")
    bells.add_argument("year", metavar="ГОД")
    bells.add_argument("--pair", nargs=4, action="append", default=[],
                       metavar=("ПАРА", "НАЧАЛО", "КОНЕЦ", "ЧАСЫ"))
    bells.add_argument("--standard", action="store_true", help="обычные 6 пар по 2 часа")
    show = actions.add_parser("show", help="календарь года: периоды, перерывы, переносы, звонки")
    show.add_argument("year", metavar="ГОД")
    change = actions.add_parser("change", help="переход на следующий учебный год")
    change.add_argument("year", metavar="ГОД", help="завершаемый учебный год")
    change.add_argument("--yes", action="store_true", help="выполнить без вопроса")
    ready = actions.add_parser("readiness", help="готовность к учебному году")
    ready.add_argument("year", metavar="ГОД", nargs="?")
    for parser, handler in ((add, add_command), (period, period_command), (hol, holidays_command),
                            (brk, break_command), (bells, bells_command), (show, show_command),
                            (change, change_command), (ready, readiness_command)):
        parser.add_argument("--login", required=True, help="ваш логин")
        parser.set_defaults(handler=handler)


def _run(args: argparse.Namespace, work: Any) -> int:
    s = session(args.login)
    try:
        result = work(s.conn)
    finally:
        s.close()
    return int(result or 0)


def add_command(args: argparse.Namespace) -> int:
    """Create a year."""
    from core.calendar.year import add_year, parse_date

    first = int(args.year.split("/")[0]) if args.year[:4].isdigit() else clock.today().year
    starts = parse_date(args.starts, "Начало") if args.starts else date(first, 9, 1)
    ends = parse_date(args.ends, "Конец") if args.ends else date(first + 1, 8, 31)

    def work(conn: Any) -> int:
        add_year(conn, args.year, starts, ends)
        print(f"Учебный год {args.year} создан: {starts:%d.%m.%Y} — {ends:%d.%m.%Y}.")
        return 0
    return _run(args, work)


def period_command(args: argparse.Namespace) -> int:
    """Open a period."""
    from core.calendar.year import add_period, find_year, parse_date

    def work(conn: Any) -> int:
        year = find_year(conn, args.year)
        add_period(conn, year.year_id, args.number, parse_date(args.starts, "Начало"),
                   parse_date(args.ends, "Конец"))
        print(f"Период {args.number} учебного года {year.title} открыт.")
        return 0
    return _run(args, work)


def holidays_command(args: argparse.Namespace) -> int:
    """Import the Russian public holidays and transfers."""
    from core.calendar.year import find_year, import_public_holidays

    def work(conn: Any) -> int:
        done = import_public_holidays(conn, find_year(conn, args.year))
        print(f"Добавлено праздников: {done.holidays}; рабочих дней по переносу: {done.transfers}.")
        return 0
    return _run(args, work)


def break_command(args: argparse.Namespace) -> int:
    """Add a break of the college or of one group."""
    from core.calendar.year import add_holiday, find_year, parse_date

    def work(conn: Any) -> int:
        year = find_year(conn, args.year)
        add_holiday(conn, year.year_id, parse_date(args.starts, "Начало"), parse_date(args.ends, "Конец"),
                    args.title, args.kind, args.group)
        print(f"Добавлено: {args.title}.")
        return 0
    return _run(args, work)


def bells_command(args: argparse.Namespace) -> int:
    """Set the bells."""
    from core.calendar.year import Bell, copy_bells, find_year, parse_time, set_bell

    def work(conn: Any) -> int:
        year = find_year(conn, args.year)
        if args.standard:
            copy_bells(conn, None, year.year_id)
        for pair, starts, ends, hours in args.pair:
            set_bell(conn, year.year_id, Bell(int(pair), parse_time(starts, "Начало"),
                                              parse_time(ends, "Конец"), int(hours)))
        return show_command_for(conn, year.title)
    return _run(args, work)


def show_command_for(conn: Any, title: str) -> int:
    """Print a year's calendar."""
    from core.calendar.year import (
        WEEKDAYS,
        find_year,
        list_bells,
        list_holidays,
        list_periods,
        list_transfers,
    )

    year = find_year(conn, title)
    print(f"Учебный год {year.title}: {year.starts_on:%d.%m.%Y} — {year.ends_on:%d.%m.%Y}"
          + (" (в архиве)" if year.archived else ""))
    for p in list_periods(conn, year.year_id):
        print(f"  период {p.number}: {p.title}, {p.starts_on:%d.%m.%Y} — {p.ends_on:%d.%m.%Y}"
              + (" (закрыт)" if p.closed else ""))
    for h in list_holidays(conn, year.year_id):
        group = f" [{h.group}]" if h.group else ""
        print(f"  {h.kind}: {h.starts_on:%d.%m.%Y} — {h.ends_on:%d.%m.%Y} {h.title}{group}")
    for t in list_transfers(conn, year.year_id):
        print(f"  рабочий день {t.work_date:%d.%m.%Y}: расписание {WEEKDAYS[t.as_weekday]}")
    for b in list_bells(conn, year.year_id):
        print(f"  {b.pair_no} пара: {b.starts_at:%H:%M}–{b.ends_at:%H:%M}, {b.hours} ч")
    return 0


def show_command(args: argparse.Namespace) -> int:
    """Print the year's calendar."""
    return _run(args, lambda conn: show_command_for(conn, args.year))


def change_command(args: argparse.Namespace) -> int:
    """Preview the year change, then apply it after confirmation."""
    from core.calendar.year import find_year
    from core.calendar.year_change import apply_change, plan_change

    def work(conn: Any) -> int:
        change = plan_change(conn, find_year(conn, args.year))
        print("\n".join(change.lines()))
        if not args.yes:
            try:
                answer = input("\nВыполнить переход? Введите «да»: ").strip().lower()
            except EOFError:
                answer = ""
            if answer != "да":
                print("Отменено.")
                return EXIT_FAILED
        apply_change(conn, change)
        print(f"Открыт учебный год {change.new_title}.")
        return 0
    return _run(args, work)


def readiness_command(args: argparse.Namespace) -> int:
    """Print the checklist; exit 1 when something is missing."""
    from core.calendar.year import find_year
    from core.readiness.checklist import checklist, year_to_check

    def work(conn: Any) -> int:
        year = find_year(conn, args.year) if args.year else year_to_check(conn)
        if year is None:
            print("Учебных лет нет: создайте год (ejournal year add).")
            return EXIT_FAILED
        checks = checklist(conn, year)
        print(f"Готовность к учебному году {year.title}:")
        for check in checks:
            print(f"  {check.text}")
        return 0 if all(c.ok for c in checks) else EXIT_FAILED
    return _run(args, work)
