"""The terminal text versions carry the same content as the PDFs."""

from __future__ import annotations

from core.printouts.form_journal import GroupJournal
from core.printouts.form_report import StudentReport
from core.printouts.form_statement import AttestationStatement
from core.printouts.form_summary import SummaryStatement
from printing.text_tables import (
    journal_text,
    statement_text,
    student_report_text,
    summary_text,
)


def test_journal_text(journal: GroupJournal) -> None:
    text = journal_text(journal)
    assert "Журнал группы СЭЗ-21" in text and "Сентябрь 2024" in text
    assert "Белов Артём Сергеевич" in text and "НН" in text and "(замена)" in text


def test_summary_text(summary: SummaryStatement) -> None:
    text = summary_text(summary)
    assert "абсолютная успеваемость: 92,0 %" in text and "качество знаний: 48,0 %" in text
    assert "Математика (ОУД.01)" in text and "4,50" in text


def test_statement_text(statement: AttestationStatement) -> None:
    text = statement_text(statement)
    assert "неудовлетворительно (2)" in text and "21-025" in text
    assert "отлично (5) — 5" in text


def test_student_report_text(report: StudentReport) -> None:
    text = student_report_text(report)
    assert "5 4 4 3 5" in text and "Итого пропущено часов: 12 (НУ 6, НН 6)." in text
