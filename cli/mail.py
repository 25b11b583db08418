"""``ejournal mail send|setup|schedule``: the weekly letter to parents (issue 16.2, R20)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kernel import clock
from kernel.errors import EJournalError
from kernel.settings import load_settings

EXIT_FAILED = 1


def _monday(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"дата «{text}» не в виде ГГГГ-ММ-ДД") from exc


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``mail`` command with its actions."""
    mail = subparsers.add_parser("mail", help="еженедельные письма родителям (оценки, пропуски, задания)")
    actions = mail.add_subparsers(dest="mail_command", metavar="ДЕЙСТВИЕ", required=True)
    send = actions.add_parser("send", help="отправить письма за неделю")
    send.add_argument("--week", type=_monday, help="понедельник недели, ГГГГ-ММ-ДД "
                      "(по умолчанию — текущая неделя)")
    send.add_argument("--group", help="только родителям одной группы")
    send.add_argument("--dry-run", action="store_true", help="показать письма, ничего не отправляя")
    send.add_argument("--force", metavar="ПРИЧИНА",
                      help="отправить повторно уже отправленные за эту неделю (причина в журнале)")
    send.set_defaults(handler=send_command)
    actions.add_parser("setup", help="задать пароль роли ejournal_mail и записать его в файл 0600"
                       ).set_defaults(handler=setup_command)
    schedule = actions.add_parser("schedule", help="расписание еженедельных писем")
    schedule.add_argument("action", choices=("install", "remove", "show"), metavar="install|remove|show")
    schedule.add_argument("--kind", choices=("systemd", "cron", "crontab"),
                          help="способ (по умолчанию — какой есть в системе)")
    schedule.add_argument("--root", type=Path, default=Path("/"), help=argparse.SUPPRESS)
    schedule.set_defaults(handler=schedule_command)


def send_command(args: argparse.Namespace) -> int:
    """Print (``--dry-run``) or send the week's letters as the mail role; 1 when any failed."""
    from core.mail.config import load_setup
    from core.mail.recipients import week_start
    from core.mail.run import check_week, connect_mail_role, preview, send_week

    setup = load_setup(load_settings())
    week = check_week(args.week) if args.week else week_start(clock.today())
    if args.force is not None and not args.force.strip():
        raise EJournalError("Для повторной отправки укажите причину: --force «причина».")
    with connect_mail_role(setup) as conn:
        if args.dry_run:
            texts = preview(conn, week, args.group)
            if texts:
                print(("\n" + "─" * 72 + "\n").join(texts))
            print(f"Писем к отправке: {len(texts)} (пробный запуск: ничего не отправлено).")
            return 0
        report = send_week(conn, setup, week, args.group, force_reason=args.force or "")
    for who in report.sent:
        print(f"отправлено: {who}")
    for who in report.already:
        print(f"уже отправлено раньше: {who}")
    for who, why in report.failed:
        print(f"НЕ отправлено: {who}: {why}", file=sys.stderr)
    print(report.summary())
    return EXIT_FAILED if report.failed else 0


def setup_command(args: argparse.Namespace) -> int:
    """Set the mail role's password (maintenance access) and keep it in its 0600 file."""
    from core.mail.config import load_setup
    from core.mail.run import MAIL_ROLE, set_role_password
    from db.bootstrap import connect_admin

    setup = load_setup(load_settings())
    with connect_admin(setup.settings) as admin:
        set_role_password(admin, setup)
    print(f"Пароль роли {MAIL_ROLE} записан в {setup.role_password_file} (права 0600).")
    return 0


def schedule_command(args: argparse.Namespace) -> int:
    """Install, remove or show the weekly letter's schedule."""
    from core.mail.config import load_setup
    from core.mail.schedule import (
        install_schedule,
        remove_schedule,
        schedule_status,
        scheduled_command,
    )

    setup = load_setup(load_settings())
    if args.action == "install":
        info = install_schedule(setup, scheduled_command(), root=args.root, kind=args.kind)
    elif args.action == "remove":
        info = remove_schedule(setup)
    else:
        info = schedule_status(setup)
    print(info.describe())
    for name in info.files:
        print(f"  {name}")
    return 0
