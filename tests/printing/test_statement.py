"""The attestation statement PDF: heading, results in words, counts, signatures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from core.printouts.form_statement import AttestationForm, AttestationStatement
from printing.statement import render_statement, statement_page_count


def test_statement_shows_results_in_words(
        statement: AttestationStatement, tmp_path: Path,
        pdf_text: Callable[[Path], str]) -> None:
    path = tmp_path / "statement.pdf"
    pages = render_statement(statement, path)
    assert pages == statement_page_count(statement) == 1
    text = pdf_text(path)
    for expected in ("ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ № 12", "ОП.01 Инженерная графика",
                     "1 семестр 2024/2025 учебного года", "экзамен", "15.01.2025",
                     "Петрова Анна Викторовна", "21-001", "Абдурахмангаджиева",
                     "отлично (5)", "хорошо (4)", "удовлетворительно (3)",
                     "неудовлетворительно (2)", "неявка", "Итоги аттестации", "не заполнено",
                     "Экзаменатор", "Директор", "/ А. В. Кузнецова /", "М. П.", "Стр. 1 из 1"):
        assert expected in text, expected


def test_credit_without_date_leaves_blanks(
        statement: AttestationStatement, tmp_path: Path,
        pdf_text: Callable[[Path], str]) -> None:
    data = replace(statement, form=AttestationForm.CREDIT, held_on=None, number="")
    render_statement(data, tmp_path / "credit.pdf")
    text = pdf_text(tmp_path / "credit.pdf")
    assert "ЗАЧЁТНАЯ ВЕДОМОСТЬ" in text and "«__» ____________ 20__ г." in text
