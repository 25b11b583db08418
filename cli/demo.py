"""``ejournal demo``: the embedded database with the demo college, then the program."""

from __future__ import annotations

import argparse

from kernel.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` command."""
    demo = subparsers.add_parser("demo", help="демонстрационный колледж на встроенном сервере")
    demo.add_argument("--no-tui", action="store_true", help="не открывать программу, вывести логины")
    demo.add_argument("--reset", action="store_true", help="пересоздать демонстрационную базу")
    demo.add_argument(
        "--scale", choices=("small", "college"), default="small",
        help="small: несколько групп; college: ~60 групп и 1500 студентов (для замеров)",
    )
    demo.add_argument("--seed", type=int, default=2026, help="зерно генератора данных")
    demo.add_argument("--samples", metavar="ПАПКА", help="только записать образцы таблиц "
                      "колледжа для загрузки (ejournal import) в эту папку и выйти")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    if args.samples:
        from pathlib import Path

        from demo.samples import write_samples

        for path in write_samples(Path(args.samples), args.scale, args.seed):
            print(path)
        return 0
    from tabulate import tabulate

    from demo.setup import demo_settings, prepare_demo

    settings = demo_settings(load_settings())
    if not args.no_tui:
        print("Подготовка демонстрационной базы…", flush=True)
    accounts = prepare_demo(settings, reset=args.reset, scale=args.scale, seed=args.seed)
    if args.no_tui:
        rows = [(a.role, a.login, a.password, a.full_name) for a in accounts]
        print(tabulate(rows, headers=("роль", "логин", "пароль", "ФИО")))
        print("\nСервер оставлен запущенным. Остановить: ejournal server stop")
        return 0
    from tui.run import run_program

    return run_program(settings=settings, demo_accounts=accounts)
