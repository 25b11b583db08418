"""The data layers never import Textual (architecture: only tui/ does)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["kernel", "demo", "core", "db", "printing"])
def test_no_textual_below_tui(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if any(name == "textual" or name.startswith(("textual.", "tui")) for name in _imports(path))
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["kernel", "cli", "demo", "core", "tui"])
def test_reportlab_only_in_printing(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if any(name.startswith("reportlab") for name in _imports(path))
    ]
    assert offenders == []
