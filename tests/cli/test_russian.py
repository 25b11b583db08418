"""The command line's own words in Russian: usage, sections, -h, argparse's errors."""

from __future__ import annotations

import pytest

from cli import build_parser
from cli.russian import russian_error


def test_help_of_the_program(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Использование: ejournal")
    assert "позиционные аргументы:" in out and "параметры:" in out
    assert "показать эту справку и выйти" in out
    for english in ("usage", "positional arguments", "options", "show this help"):
        assert english not in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["no-such"], "аргумент КОМАНДА: недопустимое значение 'no-such' (возможны:"),
    (["dsn"], "не указаны обязательные аргументы: ЛОГИН"),
    (["dsn", "a", "b"], "лишние аргументы: b"),
    (["demo", "--seed", "x"], "аргумент --seed: недопустимое значение 'x'"),
    (["demo", "--seed"], "аргумент --seed: нужно указать значение"),
])
def test_errors(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Использование: ejournal")
    assert ": ошибка: " + expected in err


def test_unknown_messages_keep_their_words() -> None:
    assert russian_error("argument --x: something new") == "аргумент --x: something new"
    assert russian_error("one of the arguments --a --b is required") == \
        "нужно указать один из аргументов: --a --b"
