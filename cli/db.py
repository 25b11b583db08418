"""``ejournal db upgrade``, ``ejournal db check`` and ``ejournal dsn LOGIN``."""

from __future__ import annotations

import argparse

from kernel.settings import load_settings, password_or_ask


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` and ``dsn`` commands."""
    db = subparsers.add_parser("db", help="обслуживание базы данных")
    db_sub = db.add_subparsers(dest="db_command", metavar="ДЕЙСТВИЕ")
    upgrade = db_sub.add_parser("upgrade", help="создать базу и применить миграции схемы")
    upgrade.set_defaults(handler=_upgrade)
    check = db_sub.add_parser(
        "check", help="проверить работающий сервер по списку docs/security.md (нужен "
                      "суперпользователь: встроенный сервер или EJOURNAL_ADMIN_DSN)")
    check.set_defaults(handler=_check)
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


def _check(args: argparse.Namespace) -> int:
    from db.bootstrap import connect_admin
    from db.check import run_checks

    settings = load_settings()
    with connect_admin(settings) as conn:
        results = run_checks(conn)
    for result in results:
        print(result.line())
    failed = sum(result.failed for result in results)
    if failed:
        print(f"Не выполнено проверок: {failed} из {len(results)}.")
        return 1
    print(f"Все проверки пройдены ({len(results)}).")
    return 0


def _dsn(args: argparse.Namespace) -> int:
    from db.connect import Credentials, person_uri

    settings = load_settings()
    credentials = Credentials.from_typed(settings, args.login, password_or_ask())
    with credentials.connect():  # a wrong password ends here, in Russian, with exit code 1
        pass
    print(person_uri(settings, credentials.login, credentials.derived_password))
    return 0
