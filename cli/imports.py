"""``ejournal import LIST FILE`` and ``ejournal export LIST FILE``: the catalogue's lists as
the office's CSV and XLSX sheets (R12, R23).

Runs with the rights of the person who logs in (``--login``; password from
``EJOURNAL_PASSWORD`` or asked), or, to set up an empty college on the server host, as the
embedded server's superuser (``--as-admin-superuser``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.catalogue.registry import LISTS, find_list
from core.catalogue.spec import CatalogueList, fold
from kernel.errors import ValidationError

NAMES = [s.name for s in LISTS] + [s.alias for s in LISTS]
LIST_HELP = "; ".join(f"{s.name} ({s.alias}) — {s.title.lower()}" for s in LISTS)


def _who(cmd: argparse.ArgumentParser) -> None:
    who = cmd.add_mutually_exclusive_group()
    who.add_argument("--login", help="с правами этого пользователя (пароль: EJOURNAL_PASSWORD "
                                     "или запрос)")
    who.add_argument("--as-admin-superuser", action="store_true",
                     help="как суперпользователь встроенного сервера (на сервере)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` and ``export`` commands."""
    cmd = subparsers.add_parser(
        "import", help="загрузка справочника из CSV или XLSX",
        description="Загрузка списка из таблицы учебной части. Списки: " + LIST_HELP)
    cmd.add_argument("list", choices=NAMES, metavar="СПИСОК", help=", ".join(NAMES))
    cmd.add_argument("file", type=Path, metavar="ФАЙЛ", help=".xlsx или .csv")
    cmd.add_argument("--dry-run", action="store_true",
                     help="только проверить и показать ошибки, ничего не записывать")
    cmd.add_argument("--only-valid", action="store_true",
                     help="записать верные строки, даже если в других есть ошибки")
    cmd.add_argument("--set", action="append", default=[], metavar="СТОЛБЕЦ=ЗНАЧЕНИЕ",
                     help="значение столбца для всех строк (например для КТП: "
                          "--set Группа=ИС-24-1 --set Дисциплина=Математика)")
    _who(cmd)
    cmd.set_defaults(handler=run_import)
    out = subparsers.add_parser("export", help="выгрузка справочника в CSV или XLSX",
                                description="Выгрузка списка. Списки: " + LIST_HELP)
    out.add_argument("list", choices=NAMES, metavar="СПИСОК", help=", ".join(NAMES))
    out.add_argument("file", type=Path, metavar="ФАЙЛ", help=".xlsx или .csv (по расширению)")
    _who(out)
    out.set_defaults(handler=run_export)


@contextmanager
def connection(args: argparse.Namespace) -> Iterator[Any]:
    """The person's own connection, or the embedded superuser's on the server."""
    from core.printouts.jobs import admin_connection
    from kernel.settings import load_settings, password_or_ask

    settings = load_settings()
    if args.as_admin_superuser:
        with admin_connection(settings) as conn:
            yield conn
        return
    if not args.login:
        raise ValidationError("Укажите, от чьего имени работать: --login ЛОГИН "
                              "(или --as-admin-superuser на сервере).")
    from core.session import log_in

    session = log_in(settings, args.login, password_or_ask(f"Пароль ({args.login}): "))
    try:
        yield session.conn
    finally:
        session.close()


def defaults_of(spec: CatalogueList, pairs: list[str]) -> dict[str, object]:
    """``Столбец=значение`` pairs → field values for every row."""
    names = {fold(n): c.field for c in spec.columns for n in (c.header, c.field, *c.aliases)}
    found: dict[str, object] = {}
    for pair in pairs:
        header, sep, value = pair.partition("=")
        name = names.get(fold(header))
        if not sep or name is None:
            raise ValidationError(f"--set {pair}: нет такого столбца в списке «{spec.title}». "
                                  "Столбцы: " + ", ".join(c.header for c in spec.columns))
        found[name] = value
    return found


def run_import(args: argparse.Namespace) -> int:
    """Preview, report the problems, write unless told otherwise."""
    from core.catalogue.importer import import_file, remember_mapping, remembered_mapping

    spec = find_list(args.list)
    defaults = defaults_of(spec, args.set)
    with connection(args) as conn:
        remembered = remembered_mapping(args.login, spec) if args.login else None
        result = import_file(conn, spec, args.file, dry_run=args.dry_run,
                             only_valid=args.only_valid, remembered=remembered,
                             defaults=defaults)
    preview = result.preview
    if args.login and result.written:
        remember_mapping(args.login, spec, preview.mapping, list(preview.mapping))
    for header in preview.ignored:
        print(f"Столбец «{header}» не загружается (его нет в списке «{spec.title}»).")
    for problem in preview.problems:
        print(problem)
    print(result.summary())
    return 1 if preview.problems and not result.written else 0


def run_export(args: argparse.Namespace) -> int:
    """Write the list to the file."""
    from core.catalogue.importer import export_file

    spec = find_list(args.list)
    with connection(args) as conn:
        count = export_file(conn, spec, args.file)
    print(f"Выгружено строк: {count} → {args.file}", file=sys.stdout)
    return 0
