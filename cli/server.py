"""``ejournal server start|stop|status|install|uninstall|ssh-config``: the embedded PostgreSQL
server and the college server's install (docs/server.md)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kernel.settings import Settings, load_settings

if TYPE_CHECKING:
    from core.install.files import Target
    from db.server.launcher import EmbeddedServer, ServerStatus


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``server`` command with its actions ``start``, ``stop`` and ``status``."""
    server = subparsers.add_parser("server", help="встроенный сервер PostgreSQL")
    actions = server.add_subparsers(dest="server_command", metavar="ДЕЙСТВИЕ", required=True)
    for name, text, handler in (
        ("start", "запустить сервер (при первом запуске — создать базу)", start),
        ("stop", "остановить сервер", stop),
        ("status", "показать, работает ли сервер и где его файлы", status),
    ):
        actions.add_parser(name, help=text).set_defaults(handler=handler)
    _register_install(actions)


def _register_install(actions: argparse._SubParsersAction) -> None:
    install_parser = actions.add_parser(
        "install", help="установить на сервер колледжа для всех пользователей (от root)")
    _common(install_parser)
    install_parser.add_argument("--port", type=int, default=54329, help="порт встроенного сервера")
    install_parser.add_argument("--backup-dir", action="append", dest="backup_dirs", metavar="ПАПКА",
                                help="место хранения копий (не меньше двух; по умолчанию "
                                     "/var/backups/ejournal и /var/lib/ejournal/backups)")
    install_parser.add_argument("--from", dest="source", metavar="ИСТОЧНИК",
                                help="папка с исходным кодом или файл .whl (по умолчанию — эта программа)")
    install_parser.add_argument("--venv", type=Path,
                                help="готовое окружение Python вместо /opt/ejournal/venv")
    install_parser.add_argument("--upgrade", action="store_true", help="переустановить программу")
    install_parser.set_defaults(handler=install)
    remove = actions.add_parser("uninstall", help="удалить установку (данные остаются)")
    _common(remove)
    remove.add_argument("--purge-data", action="store_true", help="удалить и базу данных (спросит)")
    remove.add_argument("--yes", action="store_true", help="не спрашивать подтверждения")
    remove.set_defaults(handler=uninstall)
    ssh = actions.add_parser("ssh-config", help="фрагмент sshd_config: вход по SSH сразу в журнал")
    ssh.add_argument("--command", default="/usr/local/bin/ejournal", help="путь к программе")
    ssh.add_argument("--group", default="ejournal", help="группа ОС учётных записей журнала")
    ssh.set_defaults(handler=ssh_config)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--prefix", type=Path, default=Path("/"), metavar="ПАПКА",
                        help="установить в эту папку вместо корня системы (проверка, тесты)")


def _server(settings: Settings) -> EmbeddedServer | None:
    if not settings.embedded:
        print(
            f"Программа настроена на сервер PostgreSQL колледжа ({settings.host}, порт "
            f"{settings.port}); встроенный сервер не используется."
        )
        return None
    from db.server.launcher import EmbeddedServer

    return EmbeddedServer(settings)


def describe(state: ServerStatus, password_file: str) -> list[str]:
    """Russian lines describing the server's state."""
    headline = (
        f"Сервер работает (PID {state.pid}, PostgreSQL {state.version})"
        if state.running else "Сервер остановлен"
    )
    return [
        headline,
        f"Каталог данных:     {state.data_dir}",
        f"Каталог сокета:     {state.socket_dir}",
        f"Порт:               {state.port} (TCP только на 127.0.0.1)",
        f"Суперпользователь:  {state.superuser} (пароль в файле {password_file})",
    ]


def _report(server: EmbeddedServer, state: ServerStatus) -> None:
    print("\n".join(describe(state, str(server.layout.password_file))))


def _change(action: Callable[[EmbeddedServer], ServerStatus]) -> int:
    """Start or stop the embedded server and say its state; 1 when there is none here."""
    server = _server(load_settings())
    if server is None:
        return 1
    _report(server, action(server))
    return 0


def start(args: argparse.Namespace) -> int:
    """Start the embedded server, or confirm that it runs."""
    return _change(lambda server: server.start())


def stop(args: argparse.Namespace) -> int:
    """Stop the embedded server."""
    return _change(lambda server: server.stop())


def status(args: argparse.Namespace) -> int:
    """Print the state of the embedded server; exit code 3 when it is stopped."""
    server = _server(load_settings())
    if server is None:
        return 0
    state = server.status()
    _report(server, state)
    return 0 if state.running else 3


def _target(args: argparse.Namespace) -> Target | None:
    from core.install.files import Target

    root = args.prefix.absolute()
    if root.resolve() == Path("/") and os.geteuid() != 0:
        print("Установку на сервер выполняет root: sudo ejournal server "
              f"{args.server_command}.", file=sys.stderr)
        return None
    values: dict[str, object] = {"root": root}
    if getattr(args, "port", None):
        values["port"] = args.port
    if getattr(args, "backup_dirs", None):
        values["backup_dirs"] = tuple(args.backup_dirs)
    if getattr(args, "venv", None):
        values["venv"] = args.venv.absolute()
    return Target(**values)  # type: ignore[arg-type]  # checked by argparse


def install(args: argparse.Namespace) -> int:
    """Install the program, the database service, the settings and the backup schedule."""
    from core.install.steps import install as run_install

    target = _target(args)
    if target is None:
        return 1
    for line in run_install(target, source=args.source, upgrade=args.upgrade):
        print(f"• {line.rstrip('.')}.")
    print("Готово: теперь любой пользователь сервера запускает журнал командой ejournal.")
    return 0


def uninstall(args: argparse.Namespace) -> int:
    """Remove the install; the data stays unless --purge-data is confirmed."""
    from core.install.steps import uninstall as run_uninstall

    target = _target(args)
    if target is None:
        return 1
    if args.purge_data and not args.yes:
        data = target.data_dir
        if not sys.stdin.isatty():
            print(f"Удаление данных {data} нужно подтвердить: добавьте --yes.", file=sys.stderr)
            return 1
        answer = input(f"База журнала в {data} будет удалена безвозвратно. Введите «удалить»: ")
        if answer.strip().lower() != "удалить":
            print("Ничего не удалено.")
            return 1
    for line in run_uninstall(target, purge_data=args.purge_data):
        print(f"• {line.rstrip('.')}.")
    return 0


def ssh_config(args: argparse.Namespace) -> int:
    """Print the sshd_config snippet that opens the journal on login."""
    from core.install.ssh import sshd_snippet

    print(sshd_snippet(args.command, args.group), end="")
    return 0
