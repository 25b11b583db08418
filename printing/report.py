"""A report (:class:`core.reports.table.ReportTable`) as a PDF: the table, its notes and its
chart drawn as bars (the same figures the screen draws with plotext)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from core.printouts.forms import College
from core.reports.table import Chart, ReportTable
from printing.fonts import BOLD, REGULAR, register_fonts
from printing.layout import PageSetup, para, render, ruled_table, title

SERIES_COLOURS = (colors.Color(0.35, 0.55, 0.8), colors.Color(0.85, 0.3, 0.25),
                  colors.Color(0.4, 0.7, 0.4))
MARKED = colors.Color(0.98, 0.85, 0.85)


def chart_drawing(chart: Chart, width: float, height: float = 60 * mm) -> Drawing:
    """Bars of every series side by side per label, with a legend and the title."""
    register_fonts()
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 12 * mm, 12 * mm
    bars.width, bars.height = width - 40 * mm, height - 22 * mm
    bars.data = [list(values) for _name, values in chart.series]
    bars.categoryAxis.categoryNames = list(chart.labels)
    bars.categoryAxis.labels.fontName = REGULAR
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = REGULAR
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    for index in range(len(chart.series)):
        bars.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = width - 25 * mm, height - 15 * mm
    legend.fontName = REGULAR
    legend.fontSize = 8
    legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
                             for i, (name, _v) in enumerate(chart.series)]
    drawing.add(legend)
    drawing.add(String(width / 2, height - 5 * mm, chart.title, fontName=BOLD, fontSize=9,
                       textAnchor="middle"))
    return drawing


def _widths(table: ReportTable, width: float) -> list[float]:
    """Column widths by the longest text in each column (at least 12 mm)."""
    longest = [max([len(h), *(len(r[i]) for r in table.text_rows())]) + 2
               for i, h in enumerate(table.headers)]
    total = sum(longest) or 1
    return [max(width * n / total, 12 * mm) * width / max(width, sum(
        max(width * m / total, 12 * mm) for m in longest)) for n in longest]


def story(table: ReportTable, width: float) -> list[Flowable]:
    """Title, subtitle, the table (marked rows shaded), notes, the chart."""
    rows: list[Sequence[object]] = [[para(h, 7, bold=True) for h in table.headers]]
    rows += [[para(c, 7) for c in row] for row in table.text_rows()]
    extra = [("BACKGROUND", (0, i + 1), (-1, i + 1), MARKED) for i in sorted(table.marked)]
    flow: list[Flowable] = [title(table.title.upper()), para(table.subtitle, 9, center=True),
                            Spacer(1, 3 * mm)]
    if table.rows:
        flow.append(ruled_table(rows, _widths(table, width), extra, size=7))
    else:
        flow.append(para("Нет строк: нарушений и данных за эти даты нет.", 9))
    flow += [Spacer(1, 2 * mm), *(para(line, 8) for line in table.notes)]
    if table.chart is not None:
        flow += [Spacer(1, 4 * mm), chart_drawing(table.chart, width)]
    return flow


def render_report(tables: Sequence[ReportTable], college: College, path: Path) -> int:
    """Write the reports (one after another, landscape) to ``path``; the number of pages."""
    setup = PageSetup(college, tables[0].title if tables else "Отчёт", wide=True)
    width = setup.frame_width

    def build() -> list[Flowable]:
        flow: list[Flowable] = []
        for index, table in enumerate(tables):
            if index:
                flow.append(Spacer(1, 8 * mm))
            flow += story(table, width)
        return flow

    return render(build, setup, path)
