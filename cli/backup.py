"""``ejournal backup run|list|verify|status|schedule|setup`` and ``ejournal restore COPY``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kernel.settings import load_settings

if TYPE_CHECKING:
    from core.backup.run import BackupRun

EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``backup`` command with its actions, and ``restore``."""
    backup = subparsers.add_parser("backup", help="резервные копии базы (в два места и больше)")
    actions = backup.add_subparsers(dest="backup_command", metavar="ДЕЙСТВИЕ", required=True)
    run = actions.add_parser("run", help="сделать резервную копию сейчас")
    run.add_argument("--scheduled", action="store_true",
                     help="запуск по расписанию: ежедневная копия и её проверка восстановлением")
    run.add_argument("--verify", action="store_true", help="проверить копию восстановлением")
    run.add_argument("--no-rotate", action="store_true", help="не удалять старые копии")
    run.set_defaults(handler=run_command)
    actions.add_parser("list", help="список копий во всех местах хранения").set_defaults(
        handler=list_command)
    verify = actions.add_parser("verify", help="проверить копию (контрольные суммы и восстановление)")
    verify.add_argument("copy", metavar="КОПИЯ", help="папка копии или её имя")
    verify.add_argument("--checksums-only", action="store_true",
                        help="только контрольные суммы файлов, без пробного восстановления")
    verify.set_defaults(handler=verify_command)
    actions.add_parser("status", help="последний запуск по каждому месту и расписание").set_defaults(
        handler=status_command)
    schedule = actions.add_parser("schedule", help="установить и показать расписание копий")
    schedule.add_argument("--time", help="время ежедневной копии, ЧЧ:ММ")
    schedule.add_argument("--show", action="store_true", help="только показать")
    schedule.add_argument("--remove", action="store_true", help="удалить расписание")
    schedule.add_argument("--kind", choices=("systemd", "cron", "crontab"),
                          help="способ (по умолчанию — какой есть в системе)")
    schedule.add_argument("--root", type=Path, default=Path("/"), help=argparse.SUPPRESS)
    schedule.set_defaults(handler=schedule_command)
    actions.add_parser(
        "setup", help="задать пароль роли ej_backup и записать его в файл для администраторов",
    ).set_defaults(handler=setup_command)
    restore = subparsers.add_parser("restore", help="восстановить базу из резервной копии")
    restore.add_argument("copy", metavar="КОПИЯ", help="папка копии или её имя")
    restore.add_argument("--db", help="имя базы (по умолчанию — база журнала)")
    restore.add_argument("--force", action="store_true", help="заменить существующую базу")
    restore.set_defaults(handler=restore_command)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def print_run(run: BackupRun) -> None:
    """The run's result per destination, then its summary."""
    from tabulate import tabulate

    rows = [("да" if r.ok else "НЕТ", str(r.destination), r.message) for r in run.results]
    print(tabulate(rows, headers=("Записана", "Место", "Результат")))
    for note in run.notes:
        print(note)
    print(run.summary())


def run_command(args: argparse.Namespace) -> int:
    """Make a copy; exit 1 when fewer than two destinations got it or its check failed."""
    from core.backup.run import run_backup
    from core.backup.verify import verify_copy

    settings = load_settings()
    kind = "daily" if args.scheduled else "manual"
    run = run_backup(settings, kind=kind, progress=_say, rotate=not args.no_rotate)
    print_run(run)
    if not run.ok:
        return EXIT_FAILED
    if args.scheduled or args.verify:
        result = verify_copy(settings, run.copies[0], restore=True if args.verify else None,
                             progress=_say)
        print(result.summary())
        if result.note:
            print(result.note)
        if not result.ok:
            return EXIT_FAILED
    return 0


def list_command(args: argparse.Namespace) -> int:
    """The copies of every destination as a table."""
    from tabulate import tabulate

    from core.backup.status import list_copies
    from core.backup.store import KIND_TITLES, human_size

    copies = list_copies(load_settings())
    rows = []
    for c in copies:
        m = c.manifest
        rows.append((
            str(c.destination), c.name, KIND_TITLES.get(c.stamp.kind, c.stamp.kind),
            f"{c.stamp.created_at:%d.%m.%Y %H:%M}",
            human_size(m.size) if m else "—",
            m.files["journal.dump"].sha256[:16] if m and "journal.dump" in m.files else "—",
            m.schema_version if m else "—", m.total_rows if m else "—",
            "" if m else f"ПОВРЕЖДЕНА: {c.problem}",
        ))
    if not rows:
        print("Копий нет.")
        return 0
    print(tabulate(rows, headers=("Место", "Копия", "Вид", "Создана", "Размер", "sha256 дампа",
                                  "Схема", "Строк", "Состояние")))
    return 0


def verify_command(args: argparse.Namespace) -> int:
    """Check a copy; exit 1 when it is damaged."""
    from core.backup.verify import verify_copy

    result = verify_copy(load_settings(), args.copy, restore=not args.checksums_only, progress=_say)
    print(result.summary())
    for problem in result.problems:
        print(f"  — {problem}")
    return 0 if result.ok else EXIT_FAILED


def status_command(args: argparse.Namespace) -> int:
    """Last run per destination, the schedule, and whether this account may back up."""
    from core.backup.status import backup_overview

    overview = backup_overview(load_settings())
    if not overview.destinations:
        from core.backup.config import no_destinations_message

        print(no_destinations_message())
    for dest in overview.destinations:
        print(dest.describe())
    print(overview.schedule.describe())
    if overview.credentials:
        print(f"Запуск копии с этой учётной записи невозможен: {overview.credentials}.")
    return 0 if overview.healthy else EXIT_FAILED


def schedule_command(args: argparse.Namespace) -> int:
    """Install (default), show or remove the daily backup schedule."""
    from core.backup.config import load_policy, load_setup, save_backup_settings
    from core.backup.schedule import (
        install_schedule,
        remove_schedule,
        schedule_status,
        scheduled_command,
    )

    policy = load_policy(**({"time": args.time} if args.time else {}))
    setup = load_setup(load_settings(), policy)
    if args.remove:
        info = remove_schedule(setup)
    elif args.show:
        info = schedule_status(setup)
    else:
        info = install_schedule(setup, scheduled_command(), root=args.root, kind=args.kind)
        if args.time:  # the settings file says the same time as the schedule (settings screen)
            save_backup_settings(time=args.time)
        print("Расписание установлено: " + ", ".join(info.files))
    print(info.describe())
    return 0


def setup_command(args: argparse.Namespace) -> int:
    """Give ej_backup a new password and store it for the administrators' group."""
    from core.backup.auth import setup_credentials
    from core.backup.config import load_setup

    setup = load_setup(load_settings())
    path, shared = setup_credentials(setup)
    print(f"Пароль роли ej_backup записан в файл {path}.")
    if shared:
        print(f"Файл могут читать члены группы ОС «{setup.policy.group}»: они запускают копии из программы.")
    else:
        print(f"Группы ОС «{setup.policy.group}» нет: файл читает только эта учётная запись. "
              f"Создайте группу (groupadd {setup.policy.group}), добавьте в неё администраторов и "
              "повторите команду.")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    """Restore a copy into a database (the journal's by default)."""
    from core.backup.verify import restore_copy

    settings = load_settings()
    result = restore_copy(settings, args.copy, args.db or settings.dbname, force=args.force,
                          progress=_say)
    print(result.summary())
    if result.roles_created:
        print("Созданные роли не имеют паролей: выдайте людям новые пароли.")
    return 0
