"""``ejournal server start|stop|status``: the embedded PostgreSQL server."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kernel.settings import Settings, load_settings

if TYPE_CHECKING:
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


def start(args: argparse.Namespace) -> int:
    """Start the embedded server, or confirm that it runs."""
    server = _server(load_settings())
    if server is None:
        return 1
    _report(server, server.start())
    return 0


def stop(args: argparse.Namespace) -> int:
    """Stop the embedded server."""
    server = _server(load_settings())
    if server is None:
        return 1
    _report(server, server.stop())
    return 0


def status(args: argparse.Namespace) -> int:
    """Print the state of the embedded server; exit code 3 when it is stopped."""
    server = _server(load_settings())
    if server is None:
        return 0
    state = server.status()
    _report(server, state)
    return 0 if state.running else 3
