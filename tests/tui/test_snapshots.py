"""Snapshots of the main screens (pytest-textual-snapshot): a changed look fails the test.

Regenerate after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the SVGs in the report before committing them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer

from core.journal.page import (
    Cell,
    JournalPage,
    LessonColumn,
    MarkEntry,
    StudentRow,
    StudentSummary,
)
from demo.setup import DemoAccount
from kernel.marks import Attendance, MarkValue
from kernel.settings import Settings
from tui.app import EJournalApp
from tui.widgets.journal_grid import JournalGrid

SURNAMES = ("Артемьев", "Белова", "Воронин", "Голубева", "Дмитриев", "Егорова", "Жуков",
            "Зайцева", "Ильин", "Козлова")


def sample_page() -> JournalPage:
    """A small, fixed page: marks, НУ/НН, a substitute lesson, summaries."""
    students = tuple(StudentRow(i + 1, name, "Иван" if i % 2 else "Анна", 1 + i % 2)
                     for i, name in enumerate(SURNAMES))
    start = date(2026, 9, 1)
    lessons = tuple(LessonColumn(100 + j, start + timedelta(days=2 * j), 1 + j % 3, "ТПЛ"[j % 3],
                                 f"Тема {j + 1}", "Иванов И.", substitute=j == 4)
                    for j in range(24))
    page = JournalPage("СЭЗ-24-1 · Технология строительных процессов · I семестр", students,
                       lessons)
    marks = list(MarkValue)[:4]
    for j, lesson in enumerate(lessons[:16]):
        for i, student in enumerate(students):
            key = (student.student_id, lesson.lesson_id)
            if (i + j) % 7 == 0:
                page.cells[key] = Cell((), Attendance.UNEXCUSED if j % 2 else Attendance.EXCUSED)
            elif (i * 3 + j) % 4 == 0:
                page.cells[key] = Cell((MarkEntry("oral", marks[(i + j) % 4]),), Attendance.PRESENT)
            else:
                page.cells[key] = Cell((), Attendance.PRESENT)
    page.summaries.update({s.student_id: StudentSummary("4", "4,25", "4", "4") for s in students})
    return page


class PageApp(App[None]):
    """The grid as on the journal screen, with its footer."""

    def compose(self) -> ComposeResult:
        yield JournalGrid(sample_page())
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(JournalGrid).select_lesson(110)


def test_journal_grid_snapshot(snap_compare: Any) -> None:
    assert snap_compare(PageApp(), terminal_size=(120, 20))


def test_journal_grid_after_typing_snapshot(snap_compare: Any) -> None:
    assert snap_compare(PageApp(), press=["5", "4", "н", "у"], terminal_size=(120, 20))


def test_login_screen_snapshot(snap_compare: Any) -> None:
    accounts = [DemoAccount("преподаватель", "emelianov.gm", "demo-teacher", "Емельянов Г. М."),
                DemoAccount("обучающийся", "st-jx2h8e", "demo-student", "Родионов М. С.")]
    app = EJournalApp(Settings(data_dir="/nonexistent"), demo_accounts=accounts)
    assert snap_compare(app, terminal_size=(140, 36))
