"""``ejournal web``: the same program served to browsers (parents and students at home).

Each browser tab runs its own copy of the program (``ejournal web --tab``) with the same
login screen, the same argon2 derivation and the same row-level security as in a terminal;
the server only carries the screen and the keys. It listens on 127.0.0.1 by default and is
meant to sit behind the college's HTTPS reverse proxy (docs/web.md).
"""

from __future__ import annotations

import argparse
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
    parser.set_defaults(handler=web_command)


def tab_command() -> str:
    """The shell command that runs one browser tab's program."""
    return shlex.join([sys.executable, "-m", "cli", "web", "--tab"])


def web_command(args: argparse.Namespace) -> int:
    """Serve the journal until Ctrl+C, or (``--tab``) run one tab's program."""
    from core.web.config import load_web_policy
    from kernel.settings import load_settings

    settings = load_settings()
    policy = load_web_policy()
    if args.tab:
        from cli.web.tab import wait_for_visitor
        from tui.run import import_ahead, run_program

        wait_for_visitor(import_ahead)

        return run_program(settings, web_roles=policy.roles)
    from cli.web.server import JournalServer

    JournalServer(tab_command(), args.host, args.port, policy, args.public_url).serve()
    return 0
