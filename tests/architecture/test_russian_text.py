"""Russian everywhere a person looks (R18): no English word in what the program shows.

Collected: every screen's HELP, every binding's description, the role guides, the string
literals passed to what shows text (notify, dialogs, labels, buttons, placeholders, errors of
the ``kernel.errors`` family) in tui/, core/, cli/ and kernel/, and the command line's
``--help`` of every subcommand and its argparse errors, run at ``LANG=C``. A Latin word fails
unless it is on the short allow-list: names of formats and programs, keys, logins, file
names, environment variables, and what is typed on the command line (commands, options,
their choices).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import os
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from textual.binding import Binding

import tui
from cli import build_parser
from core.guides import GUIDES
from tests.tui.test_help import screen_classes

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    "SQL", "PDF", "CSV", "XLSX", "PostgreSQL", "SSH", "libpq", "psql", "DBeaver", "TOML", "SCRAM",
    "UTF", "JSON", "URI", "ID", "Ctrl", "Esc", "Enter", "Tab", "Shift", "Alt", "PgUp", "PgDn",
    "Home", "End", "Del", "Ins", "Delete", "Backspace", "Insert", "systemd", "cron", "crontab",
    "root", "sudo", "Python", "ejournal",
    "groupadd", "DOCX", "PNG", "JPEG", "GIF",
}
"""Words that are names, not language: formats, programs, keys."""
SHOWN_BY = {"notify", "ConfirmScreen", "PromptScreen", "ErrorScreen", "Label", "Static", "Button",
            "Option", "update", "add_option", "ValidationError", "LoginError", "ServerError",
            "ConfigError", "AccessError", "ConflictError", "EJournalError", "NotFoundError",
            "LockedError", "ArgumentTypeError", "add_parser", "add_argument", "print"}
"""Calls whose string arguments a person reads."""
SHOWN_KEYWORDS = {"title", "message", "placeholder", "help", "description", "hint"}

MARKUP = re.compile(r"\[/?[a-z #$0-9.-]*\]")
CODE = re.compile(r"`[^`]*`|«[^»]*»")
NAMES = re.compile(
    r"--?[a-z][a-z-]*"                      # options
    r"|[A-Za-z0-9_./~-]*[./@][A-Za-z0-9_./@-]+"  # file names, paths, logins, e-mail addresses
    r"|\b[a-z][a-z0-9]*_[a-z0-9_]+\b"          # settings keys and role names (keep_daily)
    r"|[a-z]+-[a-z0-9]+"                      # logins like st-jx2h8e
    r"|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"         # environment variables
    r"|\bF\d{1,2}\b|\b[A-Za-z]\b"             # F-keys, single letters (keys)
    r"|%\([a-z_]+\)[sdr]|\{[a-z_]*\}"         # format placeholders
)
WORD = re.compile(r"[A-Za-z]{2,}")
CYRILLIC = re.compile("[А-Яа-яЁё]")


def latin_words(text: str, allowed: set[str]) -> list[str]:
    """The Latin words of ``text`` outside markup, code, names and the allow-list."""
    cleaned = NAMES.sub(" ", CODE.sub(" ", MARKUP.sub(" ", text)))
    return [w for w in WORD.findall(cleaned) if w not in allowed and w not in ALLOWED]


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.BinOp):
        yield from _strings(node.left)
        yield from _strings(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def source_texts() -> Iterator[tuple[str, str]]:
    """(where, text) of every string literal shown by a call in the program's packages."""
    for package in ("tui", "core", "cli", "kernel", "printing"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            if package == "tui":  # module constants of the screens: legends, hints
                for node in tree.body:
                    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                        for text in _strings(node.value):
                            if CYRILLIC.search(text):
                                yield f"{path.relative_to(ROOT)}:{node.lineno}", text
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or _call_name(node) not in SHOWN_BY:
                    continue
                args = list(node.args)
                if _call_name(node) in ("add_parser", "add_argument"):
                    args = []  # names and flags; their help= is collected below
                args += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
                for arg in args:
                    for text in _strings(arg):
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", text


Parsers = Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Parsers:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def command_words() -> set[str]:
    """What is typed on the command line: commands, their choices, metavars of values."""
    words: set[str] = set()
    for path, parser in _parsers(build_parser()):
        words.update(path)
        for action in parser._actions:
            for value in action.choices or ():
                words.update(WORD.findall(str(value)))
            words.update(WORD.findall(str(action.metavar or "")))
    return words


def _run(args: list[str]) -> str:
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "EJOURNAL_CONFIG": "/nonexistent.toml"}
    done = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60, check=False)
    return done.stdout + done.stderr


def test_the_check_catches_english() -> None:
    assert latin_words("Do you want to quit? Press ctrl+q", set()) == ["Do", "you", "want", "to", "quit",
                                                                      "Press", "ctrl"]
    assert latin_words("Логин: ivanova.ma, файл journal.pdf, F1, `ejournal print`, PDF", set()) == []


def test_screens_bindings_and_guides_are_russian() -> None:
    found = []
    for cls in screen_classes():
        found += [f"{cls.__qualname__}.HELP: {w}" for w in latin_words(cls.HELP or "", set())]
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            for binding in cls.__dict__.get("BINDINGS", ()) if cls.__module__ == info.name else ():
                if isinstance(binding, Binding):
                    found += [f"{cls.__qualname__} {binding.key}: {w}"
                              for w in latin_words(binding.description, set())]
    for guide in GUIDES.values():
        found += [f"guide {guide.role}: {w}" for w in latin_words(guide.text, command_words())]
    assert not found, "\n".join(found)


def test_shown_string_literals_are_russian() -> None:
    allowed = command_words()
    found = [f"{where}: {w} in {text!r}" for where, text in source_texts()
             for w in latin_words(text, allowed)]
    assert not found, "\n".join(found)


def test_every_subcommands_help_and_errors_are_russian_at_lang_c() -> None:
    allowed = command_words()
    runs = [["--help"], ["no-such-command"], ["--no-such-option"]]
    for path, parser in _parsers(build_parser()):
        if path:
            runs += [[*path, "--help"], [*path, "--no-such-option"]]
            if any(a.required for a in parser._actions if not isinstance(a, argparse._HelpAction)):
                runs.append(list(path))
    found = []
    for args in runs:
        output = _run(args)
        assert output.strip(), args
        found += [f"ejournal {' '.join(args)}: {w}" for w in latin_words(output, allowed)]
    assert not found, "\n".join(found)
