"""A program started ahead imports at a low priority in a thread of its own, so that its start
does not slow the visitors logging in meanwhile; the thread that serves the visitor keeps its
priority, and a failed import is not swallowed."""

from __future__ import annotations

import os
import threading

import pytest

from cli.web.tab import IMPORT_NICENESS, import_quietly


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_the_imports_run_lower_and_the_main_thread_keeps_its_priority() -> None:
    before = _niceness()
    seen: list[int] = []
    import_quietly(lambda: seen.append(_niceness()))
    assert seen == [min(19, before + IMPORT_NICENESS)]
    assert _niceness() == before


def test_a_failed_import_is_raised_in_the_main_thread() -> None:
    def broken() -> None:
        raise ImportError("no module named journal_x")

    with pytest.raises(ImportError, match="journal_x"):
        import_quietly(broken)
