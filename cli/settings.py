"""``ejournal settings show|set``: the college's settings (issue 13, item 5) — each with its
value, what is allowed and what it does; only the admin changes them (the database checks)."""

from __future__ import annotations

import argparse

from cli.year_setup import session


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``settings`` command."""
    st = subparsers.add_parser("settings", help="настройки техникума: показать, изменить")
    actions = st.add_subparsers(dest="settings_command", metavar="ДЕЙСТВИЕ", required=True)
    show = actions.add_parser("show", help="все настройки с допустимыми значениями")
    put = actions.add_parser("set", help="изменить настройку (заведующий учебной частью)")
    put.add_argument("key", metavar="КЛЮЧ", help="например reason_after_days или working_hours.from")
    put.add_argument("value", metavar="ЗНАЧЕНИЕ")
    put.add_argument("--reason", default="", help="причина (записывается в историю)")
    for parser, handler in ((show, show_command), (put, set_command)):
        parser.add_argument("--login", required=True, help="ваш логин")
        parser.set_defaults(handler=handler)


def show_command(args: argparse.Namespace) -> int:
    """Print every setting."""
    from core.settings.college import read_all

    s = session(args.login)
    try:
        for current in read_all(s.conn):
            item = current.item
            print(f"{item.key}: {current.value}\n    {item.title}. Допустимо: {item.allowed}.\n"
                  f"    {item.meaning}")
    finally:
        s.close()
    return 0


def set_command(args: argparse.Namespace) -> int:
    """Change one setting."""
    from core.settings.college import BY_KEY, change

    s = session(args.login)
    try:
        shown = change(s.conn, args.key, args.value, args.reason)
    finally:
        s.close()
    print(f"{BY_KEY[args.key].title}: {shown}.")
    return 0
