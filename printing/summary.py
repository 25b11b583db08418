"""Сводная ведомость успеваемости и посещаемости of a group (R8, R22), landscape A4.

Students × disciplines with final marks, hours missed (all, НУ, НН) and each student's
average; below, each discipline's and the group's figures. More disciplines than fit one
page width continue in a second table that repeats the names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from core.printouts.form_summary import SummaryColumn, SummaryStatement
from core.printouts.forms import decimal_text, percent_text, short_final
from printing.fonts import BOLD
from printing.layout import STRIPE, PageSetup, Printout, VerticalText, fields_table, para, ruled_table, title

NUMBER_W = 7 * mm
NAME_W = 58 * mm
TAIL_W = 11 * mm
MIN_COL_W = 8 * mm
MAX_COL_W = 14 * mm
HEAD_H = 42 * mm
TAIL_HEADS = ("Пропущено часов, всего", "в т. ч. по уважительной причине (НУ)",
              "в т. ч. без уважительной причины (НН)", "Средний балл")
FIGURE_ROWS = ("Средний балл", "Абсолютная успеваемость, %", "Качество знаний, %")


def _setup(data: SummaryStatement) -> PageSetup:
    label = f"Сводная ведомость группы {data.group}, {data.period}"
    return PageSetup(data.college, label, wide=True)


def _parts(columns: tuple[SummaryColumn, ...], width: float) -> list[tuple[SummaryColumn, ...]]:
    """Disciplines cut into tables that fit the page width at ``MIN_COL_W`` or more."""
    free = width - NUMBER_W - NAME_W - len(TAIL_HEADS) * TAIL_W
    per_part = max(int(free // MIN_COL_W), 1)
    return [columns[i:i + per_part] for i in range(0, len(columns), per_part)] or [()]


def _body(data: SummaryStatement, part: tuple[SummaryColumn, ...], tail: bool) -> list[list]:
    """Heading row, one row per student and, for the last part, the totals."""
    heads = [*(c.title for c in part), *(TAIL_HEADS if tail else ())]
    rows: list[list[Any]] = [["№", "Фамилия, имя, отчество",
                                 *(VerticalText(h, HEAD_H) for h in heads)]]
    for n, row in enumerate(data.rows, start=1):
        marks = [short_final(row.finals.get(c.key, "")) for c in part]
        missed = [row.missed_total, row.missed_excused, row.missed_unexcused]
        rest = [*missed, decimal_text(row.average)] if tail else []
        rows.append([n, para(row.student.name, 8), *marks, *rest])
    return rows + _figure_rows(data, part, tail)


def _figure_rows(data: SummaryStatement, part: tuple[SummaryColumn, ...],
                 tail: bool) -> list[list[Any]]:
    """Totals of missed hours, then the average, абсолютная успеваемость and качество."""
    total = data.missed_excused + data.missed_unexcused
    rows: list[list[Any]] = []
    if tail:
        rows.append(["", "Всего по группе", *[""] * len(part), total, data.missed_excused,
                     data.missed_unexcused, ""])
    own = data.figures.cells()
    per_column = [c.figures.cells() for c in part]
    for i, label in enumerate(FIGURE_ROWS):
        rest = ["", "", "", own[i]] if tail else []
        rows.append(["", label, *(values[i] for values in per_column), *rest])
    return rows


def summary_table(data: SummaryStatement, part: tuple[SummaryColumn, ...], width: float,
                  tail: bool) -> Table:
    """One table of the statement: all students, the given disciplines."""
    rows = _body(data, part, tail)
    free = width - NUMBER_W - NAME_W - (len(TAIL_HEADS) * TAIL_W if tail else 0)
    col_w = min(MAX_COL_W, free / max(len(part), 1))
    widths = [NUMBER_W, NAME_W, *[col_w] * len(part), *([TAIL_W] * len(TAIL_HEADS) * tail)]
    foot = len(FIGURE_ROWS) + (1 if tail else 0)
    extra = [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("ALIGN", (1, 1), (1, -1), "LEFT"),
             ("VALIGN", (2, 0), (-1, 0), "BOTTOM"),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1 - foot), [None, STRIPE]),
             ("FONT", (0, -foot), (-1, -1), BOLD, 8),
             ("LINEABOVE", (0, -foot), (-1, -foot), 1.2, "black")]
    table = ruled_table(rows, widths, extra)
    table.hAlign = "LEFT"
    return table


def figures_text(data: SummaryStatement) -> str:
    """The group's figures as one sentence under the table."""
    f = data.figures
    total = data.missed_excused + data.missed_unexcused
    return (f"Показатели группы: средний балл {decimal_text(f.average)}; абсолютная "
            f"успеваемость {percent_text(f.absolute)}; качество знаний "
            f"{percent_text(f.quality)}. Пропущено часов: {total}, из них по "
            f"уважительной причине (НУ) {data.missed_excused}, без уважительной причины (НН) "
            f"{data.missed_unexcused}.")


def story(data: SummaryStatement) -> list[Flowable]:
    """Heading, the table (or tables), the group's figures."""
    width = _setup(data).frame_width
    pairs = [("Группа", data.group), ("Специальность", data.specialty),
             ("Период", data.period), ("Куратор", data.curator)]
    flow: list[Flowable] = [title("СВОДНАЯ ВЕДОМОСТЬ УСПЕВАЕМОСТИ И ПОСЕЩАЕМОСТИ"),
                            fields_table(pairs, width), Spacer(1, 3 * mm)]
    parts = _parts(data.columns, width)
    first = 1
    for i, part in enumerate(parts):
        if len(parts) > 1:
            span = f"Дисциплины {first}–{first + len(part) - 1} из {len(data.columns)}"
            flow += [para(span, 9, bold=True), Spacer(1, 1 * mm)]
        flow += [summary_table(data, part, width, tail=i == len(parts) - 1), Spacer(1, 3 * mm)]
        first += len(part)
    return [*flow, para(figures_text(data), 9)]


FORM: Printout[SummaryStatement] = Printout(story, _setup)


def render_summary(data: SummaryStatement, path: Path) -> int:
    """Write the summary statement as a PDF; returns the number of pages."""
    return FORM.render(data, path)


def summary_page_count(data: SummaryStatement) -> int:
    """How many pages the summary statement will take."""
    return FORM.page_count(data)
