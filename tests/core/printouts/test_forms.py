"""The plain helpers of core.printouts.forms: cell text, months, counts, words, numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.grading.performance import performance
from core.printouts.form_journal import DisciplineJournal, JournalCell, JournalLesson
from core.printouts.form_statement import AttestationStatement, statement_word
from core.printouts.form_summary import GroupFigures
from core.printouts.forms import decimal_text, percent_number, percent_text, short_final
from kernel.marks import Attendance, MarkValue, StatementValue


def test_cell_text_shows_absence_and_marks() -> None:
    assert JournalCell(Attendance.PRESENT).text == ""
    assert JournalCell(Attendance.UNEXCUSED).text == "НН"
    assert JournalCell(Attendance.EXCUSED).text == "НУ"
    assert JournalCell(Attendance.PRESENT, (MarkValue.FIVE, MarkValue.FOUR)).text == "5/4"
    assert JournalCell(None, (MarkValue.PASS,)).text == "з"


def test_months_group_lessons_in_date_order() -> None:
    days = (date(2024, 10, 1), date(2024, 9, 30), date(2024, 9, 2))
    lessons = tuple(JournalLesson(d, 2, "Тема", "Петрова А. В.") for d in days)
    item = DisciplineJournal("Математика", "Петрова А. В.", (), lessons)
    months = item.months()
    assert [name for name, _ in months] == ["Сентябрь 2024", "Октябрь 2024"]
    assert [x.day.day for x in months[0][1]] == [2, 30]
    assert item.hours == 6


def test_statement_words_and_counts(statement: AttestationStatement) -> None:
    assert statement_word(StatementValue.FIVE) == "отлично (5)"
    assert statement_word(StatementValue.FAIL) == "не зачтено"
    assert statement_word(None) == ""
    counts = dict(statement.counts())
    assert counts["отлично (5)"] == 5
    assert counts["не заполнено"] == 4
    assert sum(counts.values()) == len(statement.lines)


def test_numbers_are_written_with_a_decimal_comma() -> None:
    assert decimal_text(Decimal("4.25")) == "4,25"
    assert decimal_text(Decimal(4), 1) == "4,0"
    assert decimal_text(None) == "—"
    assert percent_text(Decimal("0.875")) == "87,5 %"
    assert percent_number(Decimal("0.875")) == "87,5"
    assert short_final("незачёт") == "незач."
    assert short_final("5") == "5"


def test_figures_come_from_core_performance() -> None:
    perf = performance({1: [MarkValue.FIVE, MarkValue.FOUR], 2: [MarkValue.TWO]})
    figures = GroupFigures.of(perf)
    assert figures.cells() == ("3,67", "50,0", "50,0")
