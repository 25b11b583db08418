"""Ведомость of one exam, зачёт or course work (R6), portrait A4.

Heading (group, discipline, semester, form, date, examiner), numbered students with their
record-book numbers and the result in words, counts by result, the examiner's signature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from core.printouts.form_statement import AttestationForm, AttestationStatement, statement_word
from printing.fonts import BOLD
from printing.layout import STRIPE, PageSetup, Printout, fields_table, para, ruled_table, signature, title

TITLES = {
    AttestationForm.EXAM: "ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ",
    AttestationForm.DIFF_CREDIT: "ВЕДОМОСТЬ ДИФФЕРЕНЦИРОВАННОГО ЗАЧЁТА",
    AttestationForm.CREDIT: "ЗАЧЁТНАЯ ВЕДОМОСТЬ",
    AttestationForm.COURSEWORK: "ВЕДОМОСТЬ ЗАЩИТЫ КУРСОВОЙ РАБОТЫ",
}
WIDTHS = (9 * mm, 78 * mm, 25 * mm, 38 * mm, 30 * mm)


def _setup(data: AttestationStatement) -> PageSetup:
    number = f" № {data.number}" if data.number else ""
    label = f"Ведомость{number}, {data.group}, {data.discipline}"
    return PageSetup(data.college, label)


def heading(data: AttestationStatement, width: float) -> list[Flowable]:
    """Title and the statement's particulars."""
    number = f" № {data.number}" if data.number else ""
    held = f"{data.held_on:%d.%m.%Y}" if data.held_on else "«__» ____________ 20__ г."
    pairs = [("Группа", data.group), ("Специальность", data.specialty),
             ("Дисциплина", data.discipline), ("Семестр", data.semester),
             ("Форма аттестации", data.form.value), ("Дата проведения", held),
             ("Экзаменатор", data.examiner)]
    return [title(TITLES[data.form] + number), fields_table(pairs, width), Spacer(1, 4 * mm)]


def results(data: AttestationStatement) -> Table:
    """Numbered students, record-book numbers, results in words, a column to sign."""
    heads = ("№", "Фамилия, имя, отчество студента", "№ зачётной книжки", "Отметка",
             "Подпись экзаменатора")
    rows: list[list[Any]] = [[para(h, 9, bold=True, center=True) for h in heads]]
    for n, line in enumerate(data.lines, start=1):
        rows.append([n, para(line.student.name), line.student.record_book,
                     para(statement_word(line.value)), ""])
    extra = [("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
             ("ALIGN", (2, 1), (2, -1), "CENTER"),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, STRIPE])]
    return ruled_table(rows, WIDTHS, extra, size=9)


def counts(data: AttestationStatement, width: float) -> Table:
    """How many students got each result, and how many in all, in one row."""
    pairs = [*data.counts(), ("всего в ведомости", len(data.lines))]
    rows = [[para(word, 8, bold=True, center=True) for word, _ in pairs],
            [str(n) for _, n in pairs]]
    extra = [("ALIGN", (0, 1), (-1, 1), "CENTER"), ("FONTSIZE", (0, 1), (-1, 1), 11)]
    needs = [max(stringWidth(w, BOLD, 8) for w in word.split()) + 6 * mm for word, _ in pairs]
    widths = [need * width / sum(needs) for need in needs]
    table = ruled_table(rows, widths, extra, size=9)
    table.hAlign = "LEFT"
    return table


def story(data: AttestationStatement) -> list[Flowable]:
    """Heading, results, counts and the examiner's signature."""
    width = _setup(data).frame_width
    tail = KeepTogether([Spacer(1, 4 * mm), para("Итоги аттестации", 9, bold=True),
                         Spacer(1, 1 * mm), counts(data, width), Spacer(1, 6 * mm),
                         signature("Экзаменатор", data.examiner)])
    return [*heading(data, width), results(data), tail]


FORM: Printout[AttestationStatement] = Printout(story, _setup)


def render_statement(data: AttestationStatement, path: Path) -> int:
    """Write the statement as a PDF; returns the number of pages."""
    return FORM.render(data, path)


def statement_page_count(data: AttestationStatement) -> int:
    """How many pages the statement will take."""
    return FORM.page_count(data)
