"""The one command-line entry point: ``ejournal`` opens the program; subcommands do the rest.

Subcommands live in ``cli/<command>.py`` modules, each with ``register(subparsers)``, listed in
``COMMANDS``. No Textual here: the full-screen program is imported only when it is run.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from kernel.errors import ConfigError, EJournalError

# Not "print": a submodule of that name would shadow the builtin inside this package.
COMMANDS = ("accounts", "archive", "backup", "db", "demo", "homework", "imports", "mail", "printouts",
            "report", "server", "settings", "timetable", "web")
"""The subcommand modules of this package, in the order of the help."""


def _command_modules() -> list[str]:
    return [f"cli.{name}" for name in COMMANDS]


def _empty_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    from cli.russian import RussianParser

    parser = RussianParser(prog="ejournal", description="Электронный журнал учебных занятий.")
    return parser, parser.add_subparsers(dest="command", metavar="КОМАНДА")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every registered subcommand — or only ``command``'s, when the module of
    that name registers it (``web``, ``report``…): a command's module may import heavy
    libraries for its arguments (the catalogue's lists, the reports), and each browser tab of
    ``ejournal web`` starts as ``ejournal web --tab``; importing every command's module cost
    it a second or more before the login screen (issue 16, ``web_login_p95_s``)."""
    parser, subparsers = _empty_parser()
    if command in COMMANDS:
        importlib.import_module(f"cli.{command}").register(subparsers)
        if command in subparsers.choices:
            return parser
        parser, subparsers = _empty_parser()
    for name in _command_modules():
        importlib.import_module(name).register(subparsers)
    return parser


def setup_logging() -> None:
    """Send this process's log to the log file (tracebacks go there, never to the screen)."""
    from kernel.logfile import log_path

    logging.basicConfig(
        filename=log_path(), level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


SETTINGS_ERROR = 2
"""Exit code of a broken settings file or variable (as argparse's for a wrong command line)."""


def main(argv: list[str] | None = None) -> int:
    """Run ``ejournal``; return the process exit code.

    Every way of running the program ends a refusal the same way: one Russian sentence on
    stderr (the traceback goes to the log file) and exit code 2 for broken settings
    (:class:`ConfigError`), 1 for other refusals.
    """
    args_list = sys.argv[1:] if argv is None else argv
    try:
        return _run(args_list)
    except EJournalError as exc:
        logging.getLogger("ejournal").exception("command failed")
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return SETTINGS_ERROR if isinstance(exc, ConfigError) else 1
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``… | head``): nothing more to say
        sys.stderr.close()
        return 0


def _run(args_list: list[str]) -> int:
    from printing.registry import install_renderers

    install_renderers()
    if not args_list:
        from core.install.ssh import not_interactive_reason
        from kernel.settings import load_settings, ssh_original_command
        from tui.run import run_program

        setup_logging()
        settings = load_settings()   # broken settings are named first (exit code 2)
        reason = not_interactive_reason(ssh_original_command(), sys.stdin.isatty(),
                                        sys.stdout.isatty())
        if reason:
            print(reason, file=sys.stderr)
            return 1
        return run_program(settings)
    parser = build_parser(args_list[0])
    args = parser.parse_args(args_list)
    setup_logging()
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
