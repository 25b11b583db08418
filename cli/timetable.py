"""``ejournal timetable show|slot|change|generate|substitute``: the timetable, its one-off
changes, the year's lessons generated from it (previewed; ``--dry-run`` writes nothing) and
substitutions planned by the office (issue 13). Runs under the person's own login: the
admin and the office write the timetable; the database refuses anyone else."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from cli.year_setup import EXIT_FAILED, session
from kernel import clock


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``timetable`` command."""
    tt = subparsers.add_parser("timetable", help="расписание, генерация занятий года, замены")
    actions = tt.add_subparsers(dest="timetable_command", metavar="ДЕЙСТВИЕ", required=True)
    show = actions.add_parser("show", help="расписание группы на дату (её период)")
    show.add_argument("group", metavar="ГРУППА")
    show.add_argument("day", metavar="ДАТА", help="любая дата периода, ДД.ММ.ГГГГ")
    slot = actions.add_parser("slot", help="поставить дисциплину в расписание")
    slot.add_argument("group", metavar="ГРУППА")
    slot.add_argument("discipline", metavar="ДИСЦИПЛИНА")
    slot.add_argument("day", metavar="ДАТА", help="любая дата периода")
    slot.add_argument("weekday", metavar="ДЕНЬ", type=int, help="1 (пн) … 6 (сб)")
    slot.add_argument("pair", metavar="ПАРА", type=int)
    slot.add_argument("--week", default="", help="числитель или знаменатель (по умолчанию каждую)")
    slot.add_argument("--room", default="")
    slot.add_argument("--subgroup", default="")
    change = actions.add_parser("change", help="разовое изменение: отмена или добавление пары")
    change.add_argument("kind", choices=("отмена", "добавление"), metavar="ВИД",
                        help="отмена или добавление")
    change.add_argument("group", metavar="ГРУППА")
    change.add_argument("discipline", metavar="ДИСЦИПЛИНА")
    change.add_argument("day", metavar="ДАТА")
    change.add_argument("pair", metavar="ПАРА", type=int)
    change.add_argument("--room", default="")
    change.add_argument("--subgroup", default="")
    gen = actions.add_parser("generate", help="занятия года по расписанию (сначала просмотр)")
    gen.add_argument("year", metavar="ГОД")
    gen.add_argument("--group", action="append", default=[], help="только эти группы")
    gen.add_argument("--dry-run", action="store_true", help="только показать, ничего не записывать")
    gen.add_argument("--from", dest="since", help="с какой даты (по умолчанию с сегодняшнего дня)")
    gen.add_argument("--yes", action="store_true", help="записать без вопроса")
    sub = actions.add_parser("substitute", help="назначить замену")
    sub.add_argument("group", metavar="ГРУППА")
    sub.add_argument("discipline", metavar="ДИСЦИПЛИНА")
    sub.add_argument("day", metavar="ДАТА")
    sub.add_argument("pair", metavar="ПАРА", type=int)
    sub.add_argument("substitute", metavar="КТО", help="фамилия или логин заменяющего")
    sub.add_argument("--reason", default="")
    sub.add_argument("--subgroup", default="")
    for parser, handler in ((show, show_command), (slot, slot_command), (change, change_command),
                            (gen, generate_command), (sub, substitute_command)):
        parser.add_argument("--login", required=True, help="ваш логин")
        parser.set_defaults(handler=handler)


def _run(args: argparse.Namespace, work: Any) -> int:
    s = session(args.login)
    try:
        return int(work(s.conn) or 0)
    finally:
        s.close()


def show_command(args: argparse.Namespace) -> int:
    """Print a group's timetable."""
    from core.calendar.timetable import group_slots
    from core.calendar.year import group_by_name, parse_date, rows

    def work(conn: Any) -> int:
        day = parse_date(args.day)
        group = group_by_name(conn, args.group)
        periods = rows(conn, "SELECT id FROM journal.period WHERE %s BETWEEN starts_on AND ends_on", (day,))
        if not periods:
            print(f"На {day:%d.%m.%Y} нет открытого периода.")
            return EXIT_FAILED
        for slot in group_slots(conn, group, periods[0][0]):
            print(slot.text)
        return 0
    return _run(args, work)


def slot_command(args: argparse.Namespace) -> int:
    """Add a slot."""
    from core.calendar.timetable import add_slot, find_load, parse_parity
    from core.calendar.year import parse_date

    def work(conn: Any) -> int:
        load = find_load(conn, args.group, args.discipline, parse_date(args.day), args.subgroup)
        add_slot(conn, load, args.weekday, args.pair, parse_parity(args.week), args.room)
        print("Добавлено в расписание.")
        return 0
    return _run(args, work)


def _load_on_day(conn: Any, args: argparse.Namespace) -> tuple[date, Any]:
    """The day typed (--day) and the load of the group's discipline (and subgroup) on it."""
    from core.calendar.timetable import find_load
    from core.calendar.year import parse_date

    day = parse_date(args.day)
    return day, find_load(conn, args.group, args.discipline, day, args.subgroup)


def change_command(args: argparse.Namespace) -> int:
    """Add a one-off change."""
    from core.calendar.timetable import add_change

    def work(conn: Any) -> int:
        day, load = _load_on_day(conn, args)
        add_change(conn, load, day, args.pair, "cancel" if args.kind == "отмена" else "add", args.room)
        print(f"{args.kind.capitalize()}: {day:%d.%m.%Y}, {args.pair} пара.")
        return 0
    return _run(args, work)


def generate_command(args: argparse.Namespace) -> int:
    """Preview the year's lessons; write them after confirmation (never with --dry-run)."""
    from core.calendar.generate import plan_year, write_plan
    from core.calendar.year import find_year, group_by_name, parse_date

    def work(conn: Any) -> int:
        year = find_year(conn, args.year)
        groups = [group_by_name(conn, g) for g in args.group] or None
        since = parse_date(args.since, "С какой даты") if args.since else clock.today()
        plan = plan_year(conn, year.year_id, groups, since)
        print("\n".join(plan.lines()))
        if args.dry_run:
            print("\nПросмотр (--dry-run): ничего не записано.")
            return 0
        if not args.yes:
            try:
                answer = input("\nСоздать занятия? Введите «да»: ").strip().lower()
            except EOFError:
                answer = ""
            if answer != "да":
                print("Отменено: ничего не записано.")
                return EXIT_FAILED
        print(f"Создано занятий: {write_plan(conn, plan)}.")
        return 0
    return _run(args, work)


def substitute_command(args: argparse.Namespace) -> int:
    """Plan a substitution."""
    from core.calendar.timetable import find_teacher, plan_substitution

    def work(conn: Any) -> int:
        day, load = _load_on_day(conn, args)
        plan_substitution(conn, load, day, args.pair, find_teacher(conn, args.substitute), args.reason)
        print(f"Замена назначена: {day:%d.%m.%Y}, {args.pair} пара.")
        return 0
    return _run(args, work)
