"""PT Sans for every printout: the built-in Helvetica has no Cyrillic (black boxes).

The TTF files come from the ``fontpkg-pt-sans`` package, found through ``fontpkg``.
"""

from __future__ import annotations

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "PT Sans"
REGULAR = "PTSans"
BOLD = "PTSans-Bold"


def register_fonts() -> None:
    """Register PT Sans regular and bold with reportlab, once per process."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(REGULAR, str(fontpkg.path(FAMILY, 400))))
    pdfmetrics.registerFont(TTFont(BOLD, str(fontpkg.path(FAMILY, 700))))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
