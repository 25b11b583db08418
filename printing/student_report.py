"""A student's performance and attendance for parents (R20), portrait A4.

Per discipline: current marks, their mean, the final mark, hours missed (НУ, НН); then the
totals, the curator's name and how to reach them, and lines for the signatures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from core.printouts.form_report import StudentReport
from core.printouts.forms import decimal_text
from printing.fonts import BOLD
from printing.layout import STRIPE, PageSetup, Printout, fields_table, para, ruled_table, signature, title

WIDTHS = (8 * mm, 52 * mm, 56 * mm, 17 * mm, 19 * mm, 14 * mm, 14 * mm)
HEADS = ("№", "Дисциплина", "Текущие отметки", "Средний балл", "Итоговая отметка",
         "Пропущено часов", "")
SUBHEADS = ("", "", "", "", "", "НУ", "НН")
LEGEND = ("НУ — часы, пропущенные по уважительной причине; НН — без уважительной причины. "
          "«з» — зачёт, «нз» — незачёт.")


def _setup(data: StudentReport) -> PageSetup:
    return PageSetup(data.college, f"Отчёт: {data.student}, {data.group}, {data.period}")


def marks_table(data: StudentReport) -> Table:
    """One row per discipline and a row of totals."""
    rows: list[list[Any]] = [[para(h, 8, bold=True, center=True) for h in HEADS],
                                list(SUBHEADS)]
    for n, item in enumerate(data.disciplines, start=1):
        marks = " ".join(m.short for m in item.marks) or "нет отметок"
        rows.append([n, para(item.name), para(marks), decimal_text(item.mean), item.final,
                     item.missed_excused, item.missed_unexcused])
    total = data.missed_excused + data.missed_unexcused
    rows.append(["", para(f"Итого пропущено часов: {total}", bold=True), "", "", "",
                 data.missed_excused, data.missed_unexcused])
    extra = [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("ALIGN", (1, 1), (2, -1), "LEFT"),
             ("ROWBACKGROUNDS", (0, 2), (-1, -2), [None, STRIPE]),
             ("SPAN", (1, -1), (4, -1)), ("FONT", (0, -1), (-1, -1), BOLD, 9),
             ("SPAN", (5, 0), (6, 0)), *(("SPAN", (i, 0), (i, 1)) for i in range(5))]
    return ruled_table(rows, WIDTHS, extra, header_rows=2, size=9)


def contacts(data: StudentReport) -> Flowable:
    """Legend, the curator's contact and the signatures of curator and parent."""
    contact = f"Связь с куратором: {data.curator_contact}" if data.curator_contact else ""
    parts: list[Flowable] = [Spacer(1, 3 * mm), para(LEGEND, 8), Spacer(1, 5 * mm)]
    if contact:
        parts += [para(contact, 10), Spacer(1, 6 * mm)]
    parts += [signature("Куратор группы", data.curator), Spacer(1, 4 * mm),
              para("С отчётом ознакомлен(а):", 10), Spacer(1, 2 * mm),
              signature("Родитель", "")]
    return KeepTogether(parts)


def story(data: StudentReport) -> list[Flowable]:
    """Heading, the table of disciplines, contacts and signatures."""
    width = _setup(data).frame_width
    pairs = [("Обучающийся", data.student), ("Группа", data.group), ("Период", data.period),
             ("Куратор", data.curator)]
    return [title("СВЕДЕНИЯ ОБ УСПЕВАЕМОСТИ И ПОСЕЩАЕМОСТИ"),
            para("для родителей (законных представителей)", 10, center=True),
            Spacer(1, 4 * mm), fields_table(pairs, width), Spacer(1, 4 * mm),
            marks_table(data), contacts(data)]


FORM: Printout[StudentReport] = Printout(story, _setup)


def render_student_report(data: StudentReport, path: Path) -> int:
    """Write the report as a PDF; returns the number of pages."""
    return FORM.render(data, path)


def student_report_page_count(data: StudentReport) -> int:
    """How many pages the report will take."""
    return FORM.page_count(data)
