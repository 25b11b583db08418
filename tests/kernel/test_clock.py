"""The program's clock: EJOURNAL_TODAY freezes what screens call today and now."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kernel import clock
from kernel.errors import ConfigError
from kernel.settings import OTHER_VARIABLES, check_variables


def test_a_running_clock_is_the_computers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EJOURNAL_TODAY", raising=False)
    assert clock.frozen() is None
    assert abs(clock.now() - datetime.now()) < timedelta(seconds=5)
    assert clock.today() in (date.today(), date.today() - timedelta(days=1))


def test_a_date_freezes_the_day_at_nine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_TODAY", "2026-11-18")
    assert clock.today() == date(2026, 11, 18)
    assert clock.now() == datetime(2026, 11, 18, 9, 0)


def test_a_moment_freezes_that_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_TODAY", "2026-11-18T10:15")
    assert clock.now() == datetime(2026, 11, 18, 10, 15)
    assert clock.today() == date(2026, 11, 18)


def test_a_wrong_value_is_named_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_TODAY", "18.11.2026")
    with pytest.raises(ConfigError) as caught:
        clock.today()
    assert "EJOURNAL_TODAY" in caught.value.message and "«18.11.2026»" in caught.value.message


def test_the_variable_is_known_and_a_typo_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "EJOURNAL_TODAY" in OTHER_VARIABLES
    monkeypatch.setenv("EJOURNAL_TODAYY", "2026-11-18")
    with pytest.raises(ConfigError):
        check_variables(OTHER_VARIABLES)


ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(r"\b(?:date\.today\(\)|datetime\.now\(|datetime\.today\(\)|time\.localtime\()")
STORED_OR_FILES = {
    "core/journal/cell_save.py": "when a change was typed: stored with the change",
    "core/journal/outbox.py": "when a change was typed: stored in the outbox and the database",
    "core/printouts/jobs.py": "a printout's file name",
    "core/people/group_accounts.py": "a slips file's name",
    "core/backup/run.py": "when a copy was made (real time, stored in its stamp)",
    "core/scheduling.py": "the next backup or letter, when a job was installed (the system's timer)",
    "db/server/files.py": "the server log's lines",
}
"""Modules that read the real clock on purpose: what they read is stored or names a file."""


def _python_files() -> list[Path]:
    return [p for package in ("kernel", "core", "db", "cli", "tui", "printing", "demo")
            for p in sorted((ROOT / package).rglob("*.py"))]


def test_what_people_see_reads_the_programs_clock() -> None:
    readers = {str(p.relative_to(ROOT)) for p in _python_files() if READS.search(p.read_text("utf-8"))}
    assert readers - set(STORED_OR_FILES) == {"kernel/clock.py"}


def test_queries_take_today_from_the_program() -> None:
    """The server's current_date is the program's only where it is stored (a new thread's
    year is the server's, as its timestamp is)."""
    users = {str(p.relative_to(ROOT)) for p in _python_files() if "current_date" in p.read_text("utf-8")}
    assert users == {"core/messages/service.py", "kernel/clock.py"}
