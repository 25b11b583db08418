"""One place for each outside thing: environment variables in kernel/settings.py, platformdirs
in kernel/paths.py; an import inside a function never repeats one at the top of its file."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kernel", "core", "db", "cli", "tui", "printing", "demo")
PASS_ON_ENVIRONMENT = {
    "db/dump.py": "hands the environment, minus PG*, to pg_dump/pg_restore",
    "db/server/account.py": "hands TZ to the server started under its own account",
}
"""Modules that pass the environment on to a child process (they read no setting from it)."""


def _sources() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(ROOT)), ast.parse(path.read_text("utf-8")))
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def _reads_environment(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
               and isinstance(node.value, ast.Name) and node.value.id == "os" for node in ast.walk(tree))


def _imported(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return {node.module}
    return set()


def test_environment_is_read_in_kernel_settings_only() -> None:
    readers = {name for name, tree in _sources() if _reads_environment(tree)}
    assert readers - set(PASS_ON_ENVIRONMENT) == {"kernel/settings.py"}


def test_platformdirs_is_asked_in_kernel_paths_only() -> None:
    askers = {name for name, tree in _sources()
              if any("platformdirs" in _imported(node) for node in ast.walk(tree))}
    assert askers == {"kernel/paths.py"}


def test_no_import_inside_a_function_repeats_a_top_import() -> None:
    repeats = []
    for name, tree in _sources():
        top = set().union(*(_imported(node) for node in tree.body))
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                repeats += [f"{name}:{node.lineno}" for node in ast.walk(function)
                            if _imported(node) & top]
    assert repeats == []
