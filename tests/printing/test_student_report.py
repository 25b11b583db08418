"""The report for parents: marks, means, finals, hours missed, the curator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.printouts.form_report import StudentReport
from printing.student_report import render_student_report, student_report_page_count


def test_report_shows_marks_attendance_and_curator(
        report: StudentReport, tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    path = tmp_path / "report.pdf"
    pages = render_student_report(report, path)
    assert pages == student_report_page_count(report) == 1
    text = pdf_text(path)
    for expected in ("СВЕДЕНИЯ ОБ УСПЕВАЕМОСТИ И ПОСЕЩАЕМОСТИ", "Белов Артём Сергеевич",
                     "СЭЗ-21", "с 01.09.2024 по 31.10.2024", "ОУД.04 Математика",
                     "5 4 4 3 5", "4,20", "зачёт", "нет отметок",
                     "Итого пропущено часов: 12", "Морозова Елена Петровна",
                     "+7 (3842) 12-34-56", "С отчётом ознакомлен(а)", "М. П.", "Стр. 1 из 1"):
        assert expected in text, expected
