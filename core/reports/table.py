"""A report as a table: what the screen shows, the text table prints and CSV/XLSX/PDF hold.

Every report builds one :class:`ReportTable`; the screen, ``ejournal report`` and the files
all take their rows from it, so what is printed equals what is shown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

Cell = str | int | float | None


@dataclass(frozen=True)
class Jump:
    """Where a row of a report leads in the journal: a load's page, a lesson, a student."""

    load_id: int
    lesson_id: int | None = None
    student_id: int | None = None


@dataclass(frozen=True)
class StudentInLoad:
    """Whose row and where: the first columns of the per-student, per-load report rows
    (``journal.report_results``, ``journal.report_absences``)."""

    load_id: int
    group_id: int
    group: str
    course: int
    discipline: str
    teacher_id: int
    teacher: str
    student_id: int
    student: str


@dataclass(frozen=True)
class Chart:
    """Bars to draw beside the table: one label and one or more values per bar.

    Attributes:
        title: What the chart shows.
        labels: One label per bar (a week, a month, a group).
        series: Name of each series and its values, one per label.
    """

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True)
class ReportTable:
    """One report.

    Attributes:
        title: The report's name («Контроль заполнения журнала»).
        subtitle: The dates, the scope.
        headers: Column titles.
        rows: The rows, each as long as ``headers``.
        marked: Indexes of rows over a threshold (shown in red, bold in the PDF).
        jumps: Per row, where Enter leads (None: nowhere).
        notes: Lines printed under the table (totals, explanation of figures).
        chart: Bars to draw, if any.
    """

    title: str
    subtitle: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    marked: frozenset[int] = frozenset()
    jumps: tuple[Jump | None, ...] = ()
    notes: tuple[str, ...] = ()
    chart: Chart | None = None

    def jump(self, index: int) -> Jump | None:
        """Where row ``index`` leads, or None."""
        return self.jumps[index] if 0 <= index < len(self.jumps) else None

    def text_rows(self) -> list[list[str]]:
        """The rows as the screen shows them: every cell as text, empty for None."""
        return [[cell_text(c) for c in row] for row in self.rows]


def cell_text(value: Cell) -> str:
    """A cell as shown: numbers the Russian way (``3,85``), None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def to_csv(table: ReportTable) -> str:
    """The table as CSV (semicolon-separated, as Russian spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.headers)
    writer.writerows(table.text_rows())
    return out.getvalue()


def to_xlsx(tables: Sequence[ReportTable], path: Path) -> None:
    """Each table on its own sheet: title, subtitle, header, rows (numbers stay numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    red = PatternFill("solid", fgColor="F4CCCC")
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_name(table.title, number))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([table.subtitle])
        sheet.append(list(table.headers))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for index, row in enumerate(table.rows):
            sheet.append(["" if c is None else c for c in row])
            if index in table.marked:
                for cell in sheet[sheet.max_row]:
                    cell.fill = red
        for line in table.notes:
            sheet.append([line])
    book.save(path)


def _sheet_name(title: str, number: int) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return f"{number} {cleaned}"[:31]


def text_table(table: ReportTable) -> str:
    """The table for the terminal (tabulate), with its title and notes."""
    from tabulate import tabulate

    body = tabulate(table.text_rows(), list(table.headers), tablefmt="simple_outline")
    marked = [f"* строк выше порога: {len(table.marked)}"] if table.marked else []
    return "\n".join([table.title, table.subtitle, body, *table.notes, *marked,
                      *chart_text(table.chart)])


def chart_text(chart: Chart | None) -> list[str]:
    """The chart's figures for the terminal: its title and one line per bar."""
    from tabulate import tabulate

    if chart is None:
        return []
    rows = [[label, *(cell_text(int(v) if float(v).is_integer() else v) for v in values)]
            for label, *values in zip(chart.labels, *(v for _n, v in chart.series), strict=True)]
    return ["", chart.title,
            tabulate(rows, ["", *(n for n, _v in chart.series)], tablefmt="simple_outline",
                     disable_numparse=True)]


@dataclass
class Builder:
    """Collects rows with their jumps and marks."""

    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    jumps: list[Jump | None] = field(default_factory=list)
    marked: set[int] = field(default_factory=set)

    def add(self, row: Sequence[Cell], jump: Jump | None = None, *, mark: bool = False) -> None:
        """One row."""
        if mark:
            self.marked.add(len(self.rows))
        self.rows.append(tuple(row))
        self.jumps.append(jump)

    def table(self, title: str, subtitle: str, headers: Sequence[str], *,
              notes: Sequence[str] = (), chart: Chart | None = None) -> ReportTable:
        """The finished table."""
        return ReportTable(title, subtitle, tuple(headers), tuple(self.rows),
                           frozenset(self.marked), tuple(self.jumps), tuple(notes), chart)
