"""``ejournal homework attach|list|get|remove``: files of a lesson's homework for scripts
(issue 16, item 3). The person's own login decides, as on the screens: the lesson's teacher,
the office and the admin attach and remove; whoever reads the lesson lists and gets its files.
The password comes from ``EJOURNAL_PASSWORD`` or is asked."""

from __future__ import annotations

import argparse
from typing import Any

from cli.year_setup import session

LESSON_HELP = "номер занятия (виден в окне F9 страницы журнала)"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``homework`` command."""
    hw = subparsers.add_parser("homework", help="файлы к домашним заданиям занятий")
    actions = hw.add_subparsers(dest="homework_command", metavar="ДЕЙСТВИЕ", required=True)
    attach = actions.add_parser("attach", help="прикрепить файл (PDF, DOCX, картинку) к заданию занятия")
    attach.add_argument("lesson", metavar="ЗАНЯТИЕ", type=int, help=LESSON_HELP)
    attach.add_argument("path", metavar="ФАЙЛ", help="путь к файлу на этом компьютере")
    listing = actions.add_parser("list", help="файлы задания занятия")
    listing.add_argument("lesson", metavar="ЗАНЯТИЕ", type=int, help=LESSON_HELP)
    listing.add_argument("--all", action="store_true", help="и убранные (кто и когда убрал)")
    get = actions.add_parser("get", help="сохранить файл задания в папку")
    get.add_argument("file", metavar="НОМЕР", type=int, help="номер файла (из list)")
    get.add_argument("--out", default=None, help="папка (по умолчанию — «Загрузки»)")
    remove = actions.add_parser("remove", help="убрать файл из задания (остаётся в истории)")
    remove.add_argument("file", metavar="НОМЕР", type=int, help="номер файла (из list)")
    for parser, handler in ((attach, attach_command), (listing, list_command), (get, get_command),
                            (remove, remove_command)):
        parser.add_argument("--login", required=True, help="ваш логин")
        parser.set_defaults(handler=handler)


def _with_session(args: argparse.Namespace, act: Any) -> int:
    s = session(args.login)
    try:
        return int(act(s))
    finally:
        s.close()


def attach_command(args: argparse.Namespace) -> int:
    """Attach a file."""
    from core.homework.store import attach_path

    def act(s: Any) -> int:
        added = attach_path(s, args.lesson, args.path)
        print(f"Прикреплён файл {added.file_id}: {added.label}.")
        return 0
    return _with_session(args, act)


def list_command(args: argparse.Namespace) -> int:
    """List a lesson's files."""
    from core.homework.store import list_files

    def act(s: Any) -> int:
        files = list_files(s, [args.lesson], with_removed=args.all).get(args.lesson, [])
        if not files:
            print("К заданию этого занятия файлов нет.")
        for f in files:
            gone = f"; убран {f.removed_at:%d.%m.%Y %H:%M} ({f.removed_by})" if f.removed_at else ""
            print(f"{f.file_id}\t{f.label}\tприкреплён {f.added_at:%d.%m.%Y %H:%M} ({f.added_by}){gone}")
        return 0
    return _with_session(args, act)


def get_command(args: argparse.Namespace) -> int:
    """Save a file."""
    from core.homework.store import fetch, save_copy

    def act(s: Any) -> int:
        item, content = fetch(s, args.file)
        print(f"Сохранено: {save_copy(item.name, content, args.out)}")
        return 0
    return _with_session(args, act)


def remove_command(args: argparse.Namespace) -> int:
    """Remove a file from the homework."""
    from core.homework.store import remove

    def act(s: Any) -> int:
        gone = remove(s, args.file)
        print(f"Файл «{gone.name}» убран из задания (запись о нём осталась).")
        return 0
    return _with_session(args, act)
