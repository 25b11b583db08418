"""The command line in Russian: usage, section titles, ``-h``, and argparse's errors.

argparse writes its own words in English whatever the locale. :class:`RussianParser` (given to
the top parser; its subcommand parsers inherit the class) renames the sections, says
``-h/--help`` in Russian, writes «Использование:» instead of «usage:», names values without a
metavar in Russian, and translates every error argparse raises before printing it.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, datetime
from typing import Any, NoReturn

USAGE = "Использование: "
HELP_TEXT = "показать эту справку и выйти"

ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"не указаны обязательные аргументы: \1"),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"недопустимое значение \1 (возможны: \2)"),
    (r"unrecognized arguments: (.*)", r"лишние аргументы: \1"),
    (r"expected one argument", r"нужно указать значение"),
    (r"expected at least one argument", r"нужно хотя бы одно значение"),
    (r"expected at most one argument", r"можно не больше одного значения"),
    (r"expected (\d+) arguments?", r"нужно значений: \1"),
    (r"ignored explicit argument (.*)", r"значение \1 здесь не принимается"),
    (r"invalid (\S+) value: (.*)", r"недопустимое значение \2"),
    (r"not allowed with argument (.*)", r"нельзя указывать вместе с \1"),
    (r"one of the arguments (.*) is required", r"нужно указать один из аргументов: \1"),
    (r"ambiguous option: (.*?) could match (.*)", r"неоднозначный параметр \1, подходят: \2"),
)
"""argparse's error messages (Python 3.11–3.13) and their Russian sentences."""

METAVARS = {"login": "ЛОГИН", "role": "РОЛЬ", "time": "ЧЧ:ММ", "db": "БАЗА", "year": "ГОД",
            "reason": "ПРИЧИНА", "kind": "ВИД", "seed": "ЧИСЛО", "scale": "РАЗМЕР",
            "out": "ПАПКА", "group": "ГРУППА", "file": "ФАЙЛ", "path": "ПУТЬ"}
"""Russian names of values whose argument has no metavar of its own (else «ЗНАЧЕНИЕ»)."""


def russian_error(message: str) -> str:
    """argparse's English error ``message`` in Russian (unknown ones keep their words)."""
    head, sep, rest = message.partition(": ")
    prefix = ""
    if head.startswith("argument ") and sep:
        prefix, message = f"аргумент {head.removeprefix('argument ')}: ", rest
    for pattern, replacement in ERRORS:
        if re.fullmatch(pattern, message):
            return prefix + re.sub(pattern, replacement, message)
    return prefix + message


class RussianFormatter(argparse.HelpFormatter):
    """«Использование:» and Russian names of values."""

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        return super()._format_usage(usage, actions, groups, USAGE if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, "ЗНАЧЕНИЕ")

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, "ЗНАЧЕНИЕ")


class RussianParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Russian; subcommand parsers are of the same class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", RussianFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # the Russian -h is added below
        super().__init__(*args, **kwargs)
        self._positionals.title = "позиционные аргументы"
        self._optionals.title = "параметры"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=HELP_TEXT)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """As argparse's; a positional without a metavar is named in Russian (errors too)."""
        action = super().add_argument(*args, **kwargs)
        if not action.option_strings and action.metavar is None and action.choices is None:
            action.metavar = METAVARS.get(action.dest, "ЗНАЧЕНИЕ")
        return action

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Russian; exit with code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {russian_error(message)}\n")


def day_argument(text: str) -> date:
    """An argument's date as people type it: ДД.ММ.ГГГГ (or ГГГГ-ММ-ДД)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"дата «{text}»: укажите в виде ДД.ММ.ГГГГ")
