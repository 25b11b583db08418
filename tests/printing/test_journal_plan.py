"""The printed journal shows the plan beside the hours held (R11)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from core.printouts.form_journal import GroupJournal
from printing.journal import render_journal
from printing.text_tables import journal_text
from tests.printing.conftest import journal_data


def test_hours_held_beside_the_plan(tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    data = journal_data()
    maths = replace(data.disciplines[0], planned=72)  # 30 lessons of 2 h = 60 of 72 h
    planned = GroupJournal(data.college, data.group, data.period, (maths, data.disciplines[1]))
    render_journal(planned, tmp_path / "j.pdf")
    text = pdf_text(tmp_path / "j.pdf")
    assert "Всего проведено занятий: 30, часов: 60 из 72 по плану (83,3 %)." in text
    assert "Всего проведено занятий: 6, часов: 12." in text  # no plan known: as before
    assert "часов: 60 из 72 по плану (83,3 %)" in journal_text(planned)


def test_the_loader_reads_the_plan(demo_db: object) -> None:
    from core.printouts.data_base import LOADS, load_rows

    with demo_db.connect() as conn:  # type: ignore[attr-defined]
        group, period = conn.execute(
            "SELECT group_id, period_id FROM journal.teaching_load ORDER BY id LIMIT 1").fetchone()
        rows = load_rows(conn.execute(LOADS, {"groups": [group], "periods": [period]}).fetchall())
        planned = dict(conn.execute(
            "SELECT id, planned_hours FROM journal.teaching_load WHERE group_id = %s "
            "AND period_id = %s", (group, period)).fetchall())
    assert {r.id: r.planned for r in rows} == planned and all(planned.values())
