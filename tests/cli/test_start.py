"""The program's start stays light: a typed command builds only its own parser, and a browser
tab's program (``ejournal web --tab``) reaches its first frame without psycopg, argon2, the
calendar or SQLModel (issue 16, ``web_login_p95_s``: each tab is a fresh program)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("psycopg", "argon2", "holidays", "sqlmodel", "sqlalchemy", "reportlab", "openpyxl")

BEFORE_FIRST_FRAME = """
import sys
import cli
from printing.registry import install_renderers
install_renderers()
cli.build_parser("web").parse_args(["web", "--tab"])
from core.web.config import load_web_policy
load_web_policy()
from tui.run import run_program
from tui.app import EJournalApp
from tui.screens.start.login import LoginScreen
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_a_typed_command_builds_only_its_parser() -> None:
    everything = _commands(build_parser())
    assert _commands(build_parser("web")) == {"web"}
    assert _commands(build_parser("report")) == {"report"}
    # a module whose name is not its command («archive» registers «year»), or no command:
    # every command, so that the error lists them all
    assert _commands(build_parser("archive")) == everything
    assert _commands(build_parser(None)) == everything
    assert {"web", "year", "print", "import"} <= everything and "archive" in COMMANDS


def test_the_command_line_still_refuses_in_russian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser("archive").parse_args(["archive"])
    assert "недопустимое значение 'archive' (возможны: " in capsys.readouterr().err


def test_a_browser_tab_draws_its_login_screen_without_heavy_libraries() -> None:
    done = subprocess.run([sys.executable, "-c", BEFORE_FIRST_FRAME.format(heavy=HEAVY)],
                          cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "", f"imported before the first frame: {done.stdout}"


def test_printing_still_finds_its_renderers_installed_lightly() -> None:
    done = subprocess.run([sys.executable, "-c", (
        "from printing.registry import install_renderers\n"
        "install_renderers()\n"
        "from core.printouts.jobs import PrintKind, installed_renderers\n"
        "assert set(installed_renderers()) == set(PrintKind)\n"
        "print('ok')\n")], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "ok"
