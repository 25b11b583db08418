"""A role's guide on paper: the markdown of ``core.guides`` as an A4 PDF in PT Sans.

Only the markdown the guides use: ``#``/``##`` headings, paragraphs, ``-`` and ``1.`` lists
(continued by indented lines), ``**bold**``, ```code``` and ``---``. No certification block:
a guide is not a document of the college.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from core.guides import Guide
from printing.fonts import BOLD, REGULAR, register_fonts
from printing.layout import MARGIN, TOP, NumberedCanvas, style

HEADER = "Электронный журнал учебных занятий"
CODE = BOLD
"""Commands in bold PT Sans (Courier has no Cyrillic, and commands carry «ЛОГИН»)."""


ARROWS = {"Ctrl+→": "Ctrl+вправо", "Ctrl+←": "Ctrl+влево", "→": "›", "←": "‹", "↑": "вверх",
          "↓": "вниз"}
"""PT Sans has no arrows: in print they are words (keys) or single guillemets (menu paths)."""


def inline(text: str) -> str:
    """Markdown's inline marks as reportlab's: bold, code, escaped ``*``; arrows PT Sans has."""
    for arrow, word in ARROWS.items():
        text = text.replace(arrow, word)
    body = escape(text.replace("\\*", "\x00"))
    body = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", body)
    body = re.sub(r"`(.+?)`", rf'<font name="{CODE}">\1</font>', body)
    return body.replace("\x00", "*")


def blocks(markdown: str) -> list[tuple[str, str]]:
    """The text as (kind, text) blocks: ``h1``, ``h2``, ``p``, ``li``, ``hr``."""
    found: list[tuple[str, str]] = []
    for line in markdown.strip().splitlines():
        stripped = line.strip()
        if not stripped:
            found.append(("", ""))
        elif stripped == "---":
            found.append(("hr", ""))
        elif stripped.startswith("## "):
            found.append(("h2", stripped[3:]))
        elif stripped.startswith("# "):
            found.append(("h1", stripped[2:]))
        elif stripped.startswith("- ") or re.match(r"\d+\. ", stripped):
            found.append(("li", stripped))
        elif found and found[-1][0] in ("li", "p"):
            found[-1] = (found[-1][0], f"{found[-1][1]} {stripped}")
        else:
            found.append(("p", stripped))
    return [block for block in found if block[0]]


def story(guide: Guide) -> list[Flowable]:
    """The guide's flowables."""
    body = style(10.5, leading=14, space_after=1.5 * mm)
    listed = ParagraphStyle("li", parent=body, leftIndent=6 * mm, bulletIndent=1 * mm,
                            bulletFontName=REGULAR)
    items: list[Flowable] = []
    for kind, text in blocks(guide.text):
        if kind == "h1":
            items.append(Paragraph(inline(text), style(16, bold=True, space_after=4 * mm)))
        elif kind == "h2":
            items += [Spacer(1, 2 * mm), Paragraph(inline(text), style(12.5, bold=True, space_after=2 * mm))]
        elif kind == "hr":
            items.append(HRFlowable(width="100%", color=colors.grey, spaceBefore=2 * mm, spaceAfter=2 * mm))
        elif kind == "li":
            bullet, rest = ("•", text[2:]) if text.startswith("- ") else text.split(" ", 1)
            items.append(Paragraph(inline(rest), listed, bulletText=bullet))
        else:
            items.append(Paragraph(inline(text), body))
    return items


def _decorate(label: str) -> object:
    def draw(canvas: Canvas, _doc: object) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.drawCentredString(width / 2, height - 10 * mm, HEADER)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
        canvas.drawString(MARGIN, MARGIN / 2, label)
        canvas.restoreState()
    return draw


def render_guide(guide: Guide, path: Path) -> int:
    """Write the guide to ``path`` (A4 portrait); the number of pages."""
    register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    label = f"Руководство: {guide.title.lower()}"
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=TOP, bottomMargin=MARGIN, title=label, author=HEADER)
    decorate = _decorate(label)
    doc.build(story(guide), onFirstPage=decorate, onLaterPages=decorate,
              canvasmaker=NumberedCanvas)
    return int(doc.page)
