"""``ejournal year list|close|reopen``: the archive of academic years (R16).

These act through the administrator's own login (the database checks the right and records
who did it); the backup made when a year is closed uses the backup role, as usual.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kernel.settings import load_settings, password_or_ask

EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``year`` command with ``list``, ``close`` and ``reopen``."""
    year = subparsers.add_parser("year", help="учебные годы: закрыть в архив, вернуть из архива")
    actions = year.add_subparsers(dest="year_command", metavar="ДЕЙСТВИЕ", required=True)
    listing = actions.add_parser("list", help="учебные годы и их состояние")
    close = actions.add_parser("close", help="закрыть учебный год: только чтение, копия, печатные формы")
    close.add_argument("year", metavar="ГОД", help="учебный год, например 2025/2026")
    close.add_argument("--yes", action="store_true", help="не спрашивать подтверждения")
    reopen = actions.add_parser("reopen", help="вернуть учебный год из архива (с причиной)")
    reopen.add_argument("year", metavar="ГОД", help="учебный год, например 2025/2026")
    reopen.add_argument("--reason", required=True, help="причина (записывается в историю)")
    for parser, handler in ((listing, list_command), (close, close_command), (reopen, reopen_command)):
        parser.add_argument("--login", required=True, help="ваш логин (заведующий учебной частью)")
        parser.set_defaults(handler=handler)
    from cli.year_setup import add_actions

    add_actions(actions)  # add, period, holidays, break, bells, show, change, readiness


def _session(login: str) -> Any:
    from core.session import log_in

    return log_in(load_settings(), login, password_or_ask())


def list_command(args: argparse.Namespace) -> int:
    """Print the academic years."""
    from core.archive.year import list_years

    session = _session(args.login)
    try:
        for year in list_years(session):
            print(year.describe())
    finally:
        session.close()
    return 0


def _confirmed() -> bool:
    try:
        return input("\nЗакрыть учебный год? Введите «да»: ").strip().lower() == "да"
    except EOFError:
        return False


def close_command(args: argparse.Namespace) -> int:
    """Close a year after confirmation; exit 1 when its copy did not reach two destinations."""
    from core.archive.year import close_year, describe_closing, find_year

    session = _session(args.login)
    try:
        year = find_year(session, args.year)
        print(describe_closing(session, year))
        if not args.yes and not _confirmed():
            print("Отменено.")
            return EXIT_FAILED
        result = close_year(session, year.year_id,
                            progress=lambda text: print(text, file=sys.stderr, flush=True))
    finally:
        session.close()
    print("\n".join(result.lines()))
    return 0 if result.ok else EXIT_FAILED


def reopen_command(args: argparse.Namespace) -> int:
    """Return a year from the archive."""
    from core.archive.year import find_year, reopen_year

    session = _session(args.login)
    try:
        year = reopen_year(session, find_year(session, args.year).year_id, args.reason)
    finally:
        session.close()
    print(f"Учебный год {year.title} возвращён из архива; причина записана в историю.")
    return 0
