"""Helpers of the print tests on the demo: a group the demo teacher teaches in."""

from __future__ import annotations

from typing import Any

import pytest

from core.printouts import slot
from printing.registry import printing_renderers

TEACHER_GROUP = """
SELECT g.name FROM journal.teaching_load t
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.account a ON a.person_id = t.teacher_id
 WHERE a.login = %s AND p.number = 1
 GROUP BY g.name ORDER BY count(*) DESC, g.name LIMIT 1
"""


@pytest.fixture(autouse=True)
def renderers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Print jobs render with the printing layer, installed as the cli and the admin screen do
    (before the move, an earlier test of the command line happened to install it)."""
    monkeypatch.setattr(slot, "_factory", [printing_renderers])
    monkeypatch.setattr(slot, "_cache", {})


@pytest.fixture
def demo_group(demo_db: Any) -> str:
    """The group where the demo teacher has the most loads of the first semester (the demo
    is built for the year running today, so its group names follow the calendar)."""
    with demo_db.connect() as conn:
        row = conn.execute(TEACHER_GROUP, (demo_db.account("преподаватель").login,)).fetchone()
    assert row is not None
    return str(row[0])


# The forms tests (test_forms.py) use the sample statement of the renderer tests.
from tests.printing.conftest import statement  # noqa: E402,F401  (fixture)
