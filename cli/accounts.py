"""``ejournal accounts …``: accounts for scripted use, under the person's own login.

``issue --group NAME`` gives every student and parent of a group without an account one, and
writes one PDF of slips (0600); the staff commands (``staff``, ``create``, ``block``,
``unblock``, ``reset``, ``role``) are the admin's. The database's account functions decide
who may do what; a refusal ends the command with one Russian sentence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kernel.errors import ValidationError

DEFAULT_FOLDER = "~/ejournal-print"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``accounts`` command."""
    cmd = subparsers.add_parser("accounts", help="учётные записи: выдача группе, сотрудники",
                                description="Учётные записи. Пароль входа: переменная "
                                "EJOURNAL_PASSWORD или запрос.")
    cmd.add_argument("--login", help="от чьего имени действовать (ваш логин)")
    actions = cmd.add_subparsers(dest="action", metavar="ДЕЙСТВИЕ")
    issue = actions.add_parser("issue", help="выдать вход всем обучающимся и родителям группы "
                               "без учётной записи; листки в один PDF")
    issue.add_argument("--group", required=True, metavar="ГРУППА", help="например СЭЗ-24-1")
    issue.add_argument("--out", default=DEFAULT_FOLDER, metavar="ПАПКА",
                       help=f"куда записать PDF (по умолчанию {DEFAULT_FOLDER})")
    issue.set_defaults(handler=run_issue)
    from cli.staff_accounts import register_staff

    register_staff(actions)
    cmd.set_defaults(handler=lambda _a: _no_action(cmd))


def _no_action(cmd: argparse.ArgumentParser) -> int:
    cmd.print_help()
    return 2


@contextmanager
def session_of(args: argparse.Namespace) -> Iterator[Any]:
    """The person's own session (the password from EJOURNAL_PASSWORD or asked)."""
    from core.session import log_in
    from kernel.settings import load_settings, password_or_ask

    if not args.login:
        raise ValidationError("Укажите свой логин: ejournal accounts --login ЛОГИН …")
    settings = load_settings()
    session = log_in(settings, args.login, password_or_ask(f"Пароль ({args.login}): "))
    try:
        yield session
    finally:
        session.close()


def run_issue(args: argparse.Namespace) -> int:
    """Issue the group's missing accounts; print the summary and where the PDF is."""
    from core.people.group_accounts import find_group, group_slips_path, issue_group, summary
    from core.people.roster import credential_slips
    from printing.slips import save_private_slips

    def progress(done: int, total: int, who: str) -> None:
        print(f"[{done}/{total}] {who}", file=sys.stderr, flush=True)

    with session_of(args) as session:
        group = find_group(session, args.group)
        result = issue_group(session, group, progress)
        print(summary(result))
        if result.issued:
            path = group_slips_path(args.out, group)
            save_private_slips(credential_slips(session, list(result.issued)), path)
            print(f"Листки: {path}")
            print("Распечатайте их и удалите файл: в нём пароли.")
    return 0
