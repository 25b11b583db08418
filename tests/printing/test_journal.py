"""The group's journal PDF: cover, month grids, finals, lesson list, certification."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.printouts.form_journal import GroupJournal
from printing.journal import journal_page_count, render_journal
from tests.printing.conftest import journal_data


def test_journal_shows_grid_lessons_and_finals(
        journal: GroupJournal, tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    path = tmp_path / "journal.pdf"
    pages = render_journal(journal, path)
    assert pages == journal_page_count(journal)
    text = pdf_text(path)
    for expected in ("ЖУРНАЛ УЧЕБНЫХ ЗАНЯТИЙ", "группы СЭЗ-21", "Морозова Елена Петровна",
                     "Сентябрь 2024", "Октябрь 2024", "ОГСЭ.02 История", "Итог",
                     "Абдурахмангаджиева", "Щербакова Ева Александровна", "02.09", "НН", "НУ",
                     "5/4", "зач.", "незач.", "Записи о проведённых занятиях",
                     "Решение показательных уравнений", "Учебник Башмакова, § 1",
                     "по нагрузке: Петрова Анна Викторовна", "(замена)",
                     "Всего проведено занятий: 30, часов: 60.", "М. П.",
                     f"Стр. {pages} из {pages}"):
        assert expected in text, expected


def test_busy_month_continues_on_a_second_grid(
        tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    path = tmp_path / "dense.pdf"
    render_journal(journal_data(lesson_count=40, step=1), path)
    text = pdf_text(path)
    assert "Сентябрь 2024 (продолжение)" in text
    assert "Октябрь 2024" in text and "10.10" in text


def test_discipline_without_lessons_still_prints(
        journal: GroupJournal, tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    empty = journal.disciplines[1].__class__("ОП.05 Охрана труда", "Иванов И. И.",
                                             journal.disciplines[1].students, ())
    data = GroupJournal(journal.college, journal.group, journal.period, (empty,))
    render_journal(data, tmp_path / "empty.pdf")
    text = pdf_text(tmp_path / "empty.pdf")
    assert "Занятий не было" in text and "Всего проведено занятий: 0, часов: 0." in text
