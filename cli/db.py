"""``ejournal db upgrade`` and ``ejournal dsn LOGIN``."""

from __future__ import annotations

import argparse
import getpass
import os

from kernel.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` and ``dsn`` commands."""
    db = subparsers.add_parser("db", help="обслуживание базы данных")
    db_sub = db.add_subparsers(dest="db_command", metavar="ДЕЙСТВИЕ")
    upgrade = db_sub.add_parser("upgrade", help="создать базу и применить миграции схемы")
    upgrade.set_defaults(handler=_upgrade)
    dsn = subparsers.add_parser(
        "dsn", help="строка подключения libpq с вашими правами (для psql и других программ)"
    )
    dsn.add_argument("login", help="ваш логин")
    dsn.set_defaults(handler=_dsn)


def _upgrade(args: argparse.Namespace) -> int:
    from db.bootstrap import ensure_database

    ran = ensure_database(load_settings())
    print("Применены миграции: " + ", ".join(ran) if ran else "Схема базы уже актуальна.")
    return 0


def _dsn(args: argparse.Namespace) -> int:
    from db.connect import Credentials, person_uri

    settings = load_settings()
    password = os.environ.get("EJOURNAL_PASSWORD") or getpass.getpass("Пароль: ")
    credentials = Credentials.from_typed(settings, args.login, password)
    print(person_uri(settings, credentials.login, credentials.derived_password))
    return 0
