"""The summary statement PDF: marks, hours missed, averages and the group's figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.printouts.form_summary import SummaryStatement
from printing.summary import render_summary, summary_page_count
from tests.printing.conftest import summary_data


def test_summary_shows_marks_hours_and_figures(
        summary: SummaryStatement, tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    path = tmp_path / "summary.pdf"
    pages = render_summary(summary, path)
    assert pages == summary_page_count(summary)
    text = pdf_text(path)
    for expected in ("СВОДНАЯ ВЕДОМОСТЬ УСПЕВАЕМОСТИ И ПОСЕЩАЕМОСТИ", "СЭЗ-21",
                     "Белов Артём Сергеевич", "Физическая культура (ОУД.06)", "зач.",
                     "Всего по группе", "Абсолютная успеваемость, %", "Качество знаний, %",
                     "средний балл 4,12", "абсолютная успеваемость 92,0 %",
                     "качество знаний 48,0 %", "по уважительной причине (НУ) 74",
                     "без уважительной причины (НН) 50", "4,50", "М. П.",
                     f"Стр. 1 из {pages}"):
        assert expected in text, expected


def test_many_disciplines_split_into_tables(
        tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    data = summary_data(column_count=30)
    render_summary(data, tmp_path / "wide.pdf")
    text = pdf_text(tmp_path / "wide.pdf")
    assert "Дисциплины 1–" in text and "из 30" in text
    assert "Инженерная графика (ОУД.30)" in text
