"""``ejournal web``: the same program served to browsers (parents and students at home).

Each browser tab runs its own copy of the program (``ejournal web --tab``) with the same
login screen, the same argon2 derivation and the same row-level security as in a terminal;
the server only carries the screen and the keys. It listens on 127.0.0.1 by default and is
meant to sit behind the college's HTTPS reverse proxy (docs/web.md).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

DEFAULT_PORT = 8080


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``web`` command."""
    parser = subparsers.add_parser(
        "web", help="журнал в браузере для родителей и обучающихся",
        description="Открыть журнал для браузеров: каждая вкладка — своя программа со своим "
                    "входом. Ставится за прокси-сервер колледжа с шифрованием (docs/web.md).")
    parser.add_argument("--host", default="127.0.0.1",
                        help="адрес, на котором принимать соединения (по умолчанию 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"порт (по умолчанию {DEFAULT_PORT})")
    parser.add_argument("--public-url", default="",
                        help="адрес журнала для браузеров, например «https://journal.college.ru» "
                             "(по умолчанию «http://АДРЕС:ПОРТ»)")
    parser.add_argument("--tab", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--zygote", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=web_command)


def tab_command(role: str = "--tab") -> str:
    """The shell command that runs one browser tab's program (``--zygote``: the program
    the tabs' programs are forked from, ``cli.web.zygote``)."""
    return shlex.join([sys.executable, "-m", "cli", "web", role])


def web_command(args: argparse.Namespace) -> int:
    """Serve the journal until Ctrl+C, or (``--tab``) run one tab's program."""
    from core.web.config import load_web_policy
    from kernel.settings import load_settings

    if args.tab or args.zygote:
        from cli.web.tab import wait_for_visitor
        from cli.web.zygote import serve_forks
        from tui.run import import_ahead, run_program

        (serve_forks if args.zygote else wait_for_visitor)(import_ahead)
        # read now, not before a fork: the settings as they are when the visitor comes
        return run_program(load_settings(), web_roles=load_web_policy().roles)
    from cli.web.server import JournalServer

    load_settings()   # a settings file in error is told now, not by every tab
    forks = hasattr(os, "pidfd_open")   # Linux: a forked tab's end is seen through a pidfd
    JournalServer(tab_command(), args.host, args.port, load_web_policy(), args.public_url,
                  zygote=tab_command("--zygote") if forks else "").serve()
    return 0
