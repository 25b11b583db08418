"""The renderers of this package by kind of printout, handed to the print jobs explicitly.

``core.printouts.jobs`` renders through whatever renderers the interface installs; the command
line and the admin screen call :func:`install_renderers` before they print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.printouts import slot

if TYPE_CHECKING:
    from core.printouts.jobs import Renderers


def printing_renderers() -> Renderers:
    """The ``printing`` package's PDF and text renderers by kind of printout."""
    from core.printouts.jobs import PrintKind, Renderer
    from printing import journal, slips, statement, student_report, summary, text_tables

    return {
        PrintKind.JOURNAL: Renderer(journal.render_journal, text_tables.journal_text),
        PrintKind.SUMMARY: Renderer(summary.render_summary, text_tables.summary_text),
        PrintKind.STATEMENT: Renderer(statement.render_statement, text_tables.statement_text),
        PrintKind.STUDENT: Renderer(student_report.render_student_report,
                                    text_tables.student_report_text),
        PrintKind.SLIPS: Renderer(slips.render_slips),
    }


def install_renderers() -> None:
    """Make :func:`printing_renderers` the renderers of every print job of this process
    (nothing heavy is imported here: the program calls this before its first frame)."""
    slot.use_renderers(printing_renderers)
