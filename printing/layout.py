"""The frame every printout shares (R22).

A4 with 15 mm margins, the college name at the top of every page, a footer with the
document's name and «Стр. N из M», and the certification block for the director's
signature, its transcript, the date and the seal after the last line of every printout.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.printouts.forms import College
from printing.fonts import BOLD, REGULAR, register_fonts

MARGIN = 15 * mm
TOP = 20 * mm
GRID = colors.black
SHADE = colors.Color(0.9, 0.9, 0.9)
STRIPE = colors.Color(0.96, 0.96, 0.96)

StoryFactory = Callable[[], list[Flowable]]
Data = TypeVar("Data")


@dataclass(frozen=True)
class PageSetup:
    """How the pages of one printout look.

    Attributes:
        college: Name for the header, director for the certification block.
        label: Short name of the document for the footer («Ведомость № 12, СЭЗ-21»).
        wide: Landscape A4 when True, portrait otherwise.
    """

    college: College
    label: str
    wide: bool = False

    @property
    def size(self) -> tuple[float, float]:
        """Page size in points."""
        return landscape(A4) if self.wide else A4

    @property
    def frame_width(self) -> float:
        """Width available to the content."""
        return self.size[0] - 2 * MARGIN


def style(size: float = 9, *, bold: bool = False, center: bool = False,
          leading: float | None = None, space_after: float = 0) -> ParagraphStyle:
    """A paragraph style in PT Sans."""
    return ParagraphStyle(
        name=f"s{size}{bold}{center}", fontName=BOLD if bold else REGULAR, fontSize=size,
        leading=leading or size * 1.2, alignment=TA_CENTER if center else 0,
        spaceAfter=space_after)


def para(text: object, size: float = 9, *, bold: bool = False, center: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    body = escape(str(text)).replace("\n", "<br/>")
    return Paragraph(body, style(size, bold=bold, center=center))


def title(text: str, size: float = 13) -> Paragraph:
    """A centred bold heading."""
    return Paragraph(escape(text), style(size, bold=True, center=True, space_after=2 * mm))


def grid_style(header_rows: int = 1, size: float = 8) -> list[tuple[Any, ...]]:
    """Table commands of a ruled grid with a shaded, bold header."""
    return [
        ("FONT", (0, 0), (-1, -1), REGULAR, size),
        ("FONT", (0, 0), (-1, header_rows - 1), BOLD, size),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]


def ruled_table(rows: Sequence[Sequence[Any]], widths: Sequence[float],
                extra: Sequence[tuple[Any, ...]] = (), header_rows: int = 1,
                size: float = 8) -> Table:
    """A ruled grid whose header repeats on every page it spans."""
    table = Table(list(rows), colWidths=list(widths), repeatRows=header_rows)
    table.setStyle(TableStyle([*grid_style(header_rows, size), *extra]))
    return table


def fields_table(pairs: Sequence[tuple[str, str]], width: float) -> Table:
    """«Label: value» lines of a document heading, values bold."""
    rows = [[para(label), para(value, bold=True)] for label, value in pairs if value]
    table = Table(rows, colWidths=[38 * mm, width - 38 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    return table


def signature(role: str, name: str, *, captions: bool = True) -> Table:
    """«Роль ____________ / И. О. Фамилия /» with «(подпись)» and its transcript below."""
    rows = [[para(role, 10), para("____________________", 10, center=True),
             para(f"/ {name or '_' * 24} /", 10, center=True)]]
    if captions:
        rows.append(["", para("(подпись)", 7, center=True),
                     para("(расшифровка подписи)", 7, center=True)])
    table = Table(rows, colWidths=[45 * mm, 45 * mm, 75 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 1), (-1, -1), 0)]))
    return table


def certification(director: str) -> Flowable:
    """The block for the director's signature, transcript, date and seal (R22)."""
    date_line = Table([[para("Дата «__» ____________ 20__ г.", 10), para("М. П.", 10, bold=True)]],
                      colWidths=[90 * mm, 75 * mm], hAlign="LEFT")
    date_line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 8 * mm), signature("Директор", director), Spacer(1, 5 * mm),
                         date_line])


class VerticalText(Flowable):
    """Text turned to read bottom-up, for narrow column headings.

    Args:
        text: The heading.
        height: Length of the turned line (the height of the heading cell).
        size: Font size.
    """

    def __init__(self, text: str, height: float, size: float = 7) -> None:
        super().__init__()
        self.text = Paragraph(escape(text), style(size, leading=size * 1.15))
        self.length = height
        self.thickness = 0.0
        self.cell_width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Takes the cell's width; the height is the line length."""
        _, self.thickness = self.text.wrap(self.length, availHeight)
        self.cell_width = availWidth
        return availWidth, self.length

    def draw(self) -> None:
        """Draw the paragraph turned 90° counter-clockwise, centred across the cell."""
        self.canv.saveState()
        self.canv.rotate(90)
        self.text.drawOn(self.canv, 0, -(self.cell_width + self.thickness) / 2)
        self.canv.restoreState()


class NumberedCanvas(Canvas):
    """A canvas that holds its pages back to write «Стр. N из M» once M is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        """Keep the page to number it at the end."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Number every page, then write the file."""
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.setFont(REGULAR, 8)
            self.drawRightString(width - MARGIN, MARGIN / 2, f"Стр. {number} из {total}")
            super().showPage()
        super().save()


def _decorate(setup: PageSetup) -> Callable[[Canvas, Any], None]:
    """The header and the footer label drawn on each page."""
    def draw(canvas: Canvas, _doc: Any) -> None:
        width, height = setup.size
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.drawCentredString(width / 2, height - 10 * mm, setup.college.name)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
        canvas.drawString(MARGIN, MARGIN / 2, setup.label)
        canvas.restoreState()
    return draw


def _build(story: StoryFactory, setup: PageSetup, target: Path | io.BytesIO) -> int:
    """Lay out the story and the certification block; the number of pages."""
    register_fonts()
    target_name = str(target) if isinstance(target, Path) else target
    doc = SimpleDocTemplate(
        target_name, pagesize=setup.size, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=TOP, bottomMargin=MARGIN, title=setup.label, author=setup.college.name)
    decorate = _decorate(setup)
    doc.build([*story(), certification(setup.college.director)], onFirstPage=decorate,
              onLaterPages=decorate, canvasmaker=NumberedCanvas)
    return int(doc.page)


def render(story: StoryFactory, setup: PageSetup, path: Path) -> int:
    """Write the printout to ``path``; returns its number of pages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return _build(story, setup, path)


def count_pages(story: StoryFactory, setup: PageSetup) -> int:
    """How many pages the printout will take, without writing a file."""
    return _build(story, setup, io.BytesIO())


class Printout(Generic[Data]):
    """A printed form: its story and its page setup, both made from the form's data.

    Args:
        story: The flowables of the form for one piece of data.
        setup: The page setup (college, label, orientation) for it.
    """

    def __init__(self, story: Callable[[Data], list[Flowable]],
                 setup: Callable[[Data], PageSetup]) -> None:
        self._story = story
        self._setup = setup

    def render(self, data: Data, path: Path) -> int:
        """Write the form for ``data`` as a PDF at ``path``; returns the number of pages."""
        return render(lambda: self._story(data), self._setup(data), path)

    def page_count(self, data: Data) -> int:
        """How many pages the form for ``data`` will take, without writing a file."""
        return count_pages(lambda: self._story(data), self._setup(data))
