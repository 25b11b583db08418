"""The one command-line entry point: ``ejournal`` opens the program; subcommands do the rest.

Subcommands live in ``tui/cli_*.py`` modules, each with ``register(subparsers)``; this file
finds them, so adding a command never means editing it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from pathlib import Path

import tui
from kernel.errors import ConfigError, EJournalError


def _command_modules() -> list[str]:
    folder = str(Path(tui.__file__).parent)
    names = [m.name for m in pkgutil.iter_modules([folder]) if m.name.startswith("cli_")]
    return sorted(f"tui.{name}" for name in names)


def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="ejournal", description="Электронный журнал учебных занятий."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="КОМАНДА")
    for name in _command_modules():
        importlib.import_module(name).register(subparsers)
    return parser


def _setup_logging() -> None:
    from tui.logfile import log_path

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
    if not args_list:
        from tui.run import run_program

        return run_program()
    parser = build_parser()
    args = parser.parse_args(args_list)
    _setup_logging()
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
