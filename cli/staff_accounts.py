"""The staff subcommands of ``ejournal accounts`` (the admin's; issue 13, item 6)."""

from __future__ import annotations

import argparse
from typing import Any

DEFAULT_FOLDER = "~/ejournal-print"
WHO_HELP = "сотрудник: логин, номер в базе или «Фамилия Имя»"


def register_staff(actions: argparse._SubParsersAction) -> None:
    """Add ``staff``, ``create``, ``reset``, ``block``, ``unblock`` and ``role``."""
    actions.add_parser("staff", help="список сотрудников: роли и состояние учётных записей"
                       ).set_defaults(handler=run_list)
    for name, text in (("create", "выдать сотруднику учётную запись (листок PDF)"),
                       ("reset", "выдать новый одноразовый пароль (листок PDF)")):
        cmd = actions.add_parser(name, help=text)
        cmd.add_argument("who", metavar="КТО", help=WHO_HELP)
        cmd.add_argument("--out", default=DEFAULT_FOLDER, metavar="ПАПКА",
                         help=f"куда записать PDF (по умолчанию {DEFAULT_FOLDER})")
        cmd.set_defaults(handler=run_issue, must_exist=name == "reset")
    for name, text in (("block", "заблокировать учётную запись"),
                       ("unblock", "разблокировать учётную запись")):
        cmd = actions.add_parser(name, help=text)
        cmd.add_argument("who", metavar="КТО", help=WHO_HELP)
        cmd.set_defaults(handler=run_block, blocked=name == "block")
    role = actions.add_parser("role", help="добавить или снять роль сотрудника")
    role.add_argument("change", choices=("add", "remove"), metavar="add|remove",
                      help="add — добавить, remove — снять")
    role.add_argument("who", metavar="КТО", help=WHO_HELP)
    role.add_argument("role", metavar="РОЛЬ", help="например teacher или «преподаватель»")
    role.set_defaults(handler=run_role)


def _member(session: Any, who: str) -> Any:
    from core.people.staff import find_staff

    return find_staff(session, who)


def run_list(args: argparse.Namespace) -> int:
    """Print the staff with roles and account state."""
    from tabulate import tabulate

    from cli.accounts import session_of
    from core.people.staff import describe, list_staff

    with session_of(args) as session:
        rows = [describe(m) for m in list_staff(session)]
    print(tabulate(rows, headers="keys") if rows else "Сотрудников нет.")
    return 0


def run_issue(args: argparse.Namespace) -> int:
    """Create an account (or reset the password); write the slip and say where."""
    from cli.accounts import session_of
    from core.people.group_accounts import slip_path
    from core.people.roster import credential_slips
    from core.people.staff import create_or_reset
    from kernel.errors import ValidationError
    from printing.slips import save_private_slips

    with session_of(args) as session:
        member = _member(session, args.who)
        if args.must_exist and not member.login:
            raise ValidationError(f"У сотрудника «{member.full_name}» нет учётной записи: "
                                  "выдайте её командой create.")
        if not args.must_exist and member.login:
            raise ValidationError(f"У сотрудника «{member.full_name}» уже есть учётная запись "
                                  f"(логин {member.login}); новый пароль — командой reset.")
        issued = create_or_reset(session, member)
        path = slip_path(args.out, issued.login)
        save_private_slips(credential_slips(session, [issued]), path)
    print(f"{issued.person}: логин {issued.login}; одноразовый пароль — в листке {path}")
    print("При первом входе программа попросит сменить пароль. Удалите файл после печати.")
    return 0


def run_block(args: argparse.Namespace) -> int:
    """Block or unblock an account."""
    from cli.accounts import session_of
    from core.people.staff import set_blocked

    with session_of(args) as session:
        member = _member(session, args.who)
        set_blocked(session, member, args.blocked)
    print(f"{member.full_name}: учётная запись {'заблокирована' if args.blocked else 'разблокирована'}.")
    return 0


def run_role(args: argparse.Namespace) -> int:
    """Add or remove a role."""
    from cli.accounts import session_of
    from core.people.staff import ROLE_TITLES, change_role, role_key

    add = args.change == "add"
    with session_of(args) as session:
        member = _member(session, args.who)
        change_role(session, member, args.role, add)
    title = ROLE_TITLES[role_key(args.role)]
    print(f"{member.full_name}: роль «{title}» {'добавлена' if add else 'снята'}.")
    return 0
