"""What the journal page explains on request: the forecast (F8) and a cell's history (F3)."""

from __future__ import annotations

from core.journal.lesson_record import cell_history
from core.journal.page import Cell
from core.journal.service import forecast_reasons, load_page, student_summary
from kernel.marks import Attendance
from tests.demo_fixture import DemoDb, teacher_load


def test_forecast_explanation_counts_the_absences_the_grid_counts(demo_db: DemoDb) -> None:
    """F8 explains the «Прогноз» column: the same record, НН hours included."""
    session, load_id = teacher_load(demo_db)
    data = load_page(session, load_id)
    page = data.page
    student = page.students[0].student_id
    for lesson in page.lessons[::2]:
        page.cells[(student, lesson.lesson_id)] = Cell(page.cell(student, lesson.lesson_id).marks,
                                                       Attendance.UNEXCUSED)
    text = forecast_reasons(data, student)
    summary = student_summary(data, student, data.planned)
    assert "пропущено" in text and "НН" in text
    assert text.startswith(f"Прогноз: {summary.forecast or 'нет прогноза'} (")
    assert text.split("). ", 1)[1][:1].isupper()


def test_cell_history_names_the_kind_of_work_in_russian(demo_db: DemoDb) -> None:
    session, load_id = teacher_load(demo_db)
    with demo_db.connect() as conn:
        lesson_id, student_id = conn.execute(
            "SELECT m.lesson_id, m.student_id FROM journal.mark m JOIN journal.lesson l "
            "ON l.id = m.lesson_id WHERE l.load_id = %s LIMIT 1", (load_id,)).fetchone()
        titles = [t.lower() for (t,) in conn.execute("SELECT title FROM journal.work_kind")]
    entries = [e for e in cell_history(session, lesson_id, student_id) if "(" in e.new]
    assert entries
    for entry in entries:
        kind = entry.new.split("(", 1)[1].rstrip(")")
        assert kind in titles, entry.new
