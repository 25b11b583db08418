"""The shared frame: fonts, page numbers, certification block, import boundaries."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from core.printouts.forms import College
from printing.fonts import BOLD, REGULAR, register_fonts
from printing.layout import PageSetup, count_pages, para, render

ROOT = Path(__file__).resolve().parents[2]


def test_pt_sans_is_registered() -> None:
    register_fonts()
    register_fonts()
    assert {REGULAR, BOLD} <= set(pdfmetrics.getRegisteredFontNames())


def test_every_page_is_numbered_and_ends_certified(
        tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    setup = PageSetup(College("Техникум «Пример»", "И. И. Петров"), "Проба")
    def story() -> list:
        return [para(f"Строка номер {n}") for n in range(150)]
    pages = render(story, setup, tmp_path / "x.pdf")
    assert pages == count_pages(story, setup) > 1
    text = pdf_text(tmp_path / "x.pdf")
    assert f"Стр. 1 из {pages}" in text and f"Стр. {pages} из {pages}" in text
    assert text.count("Техникум «Пример»") == pages
    last = text.split(f"Стр. {pages - 1} из {pages}")[-1]
    assert "Директор" in last and "/ И. И. Петров /" in last and "М. П." in last
    assert "Дата «__» ____________ 20__ г." in last


def test_blank_director_leaves_a_line(tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    render(lambda: [para("Текст")], PageSetup(College("Колледж"), "Проба", wide=True),
           tmp_path / "y.pdf")
    assert "/ ________________________ /" in pdf_text(tmp_path / "y.pdf")


def test_printing_imports_no_textual_no_database() -> None:
    code = ("import sys, printing.journal, printing.summary, printing.statement, "
            "printing.student_report, printing.slips, printing.text_tables, core.printouts.forms\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'tui', 'db', 'psycopg', 'sqlalchemy', 'sqlmodel')]\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_core_printouts_needs_no_reportlab() -> None:
    code = ("import sys, core.printouts.forms, core.printouts.form_journal, "
            "core.printouts.form_summary, core.printouts.form_statement, core.printouts.form_report\n"
            "assert 'reportlab' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
