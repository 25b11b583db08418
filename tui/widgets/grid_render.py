"""Drawing of the journal grid's lines: geometry, cell text, the segments of each line.

Kept apart from :mod:`tui.widgets.journal_grid` (keys, cursor, messages) so the drawing can
be read and timed on its own. Only the lesson columns inside the visible range are turned
into segments; frozen columns (left: №, student, subgroup; right: the summary) are drawn on
every line at fixed places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from core.journal.page import Cell, JournalPage, LessonColumn, StudentRow
from kernel.marks import Attendance

NUM_W, NAME_W, SUB_W = 3, 18, 2
LEFT_W = NUM_W + 1 + NAME_W + 1 + SUB_W + 1
"""Width of the frozen left block, its closing separator included."""
CELL_W = 5
COL_W = CELL_W + 1
"""A lesson column: one space, then the cell."""
HEADER_H = 2
CHUNK = 8
"""Lesson columns per cached piece of a line: scrolling by a column reuses the pieces."""
CHUNK_CACHE = 1024
SUMMARY = (("Отм.", 4), ("Ср.", 4), ("Итог", 4), ("Прогноз", 7))
RIGHT_W = 1 + sum(width + 1 for _, width in SUMMARY)
SEPARATOR = "│"
PRESENT_DOT = "·"

Painter = Callable[[int], tuple[str, Style]]
"""Gives the text (exactly CELL_W wide) and style of a line's cell in a lesson column."""

COMPONENTS = ("frozen", "header", "dim", "absent", "pending", "failed", "conflict",
              "substitute", "cursor", "cursor-row", "cursor-column", "separator")
"""Component classes (``journal-grid--<name>``) the grid styles itself with."""


@dataclass(frozen=True, slots=True)
class GridStyles:
    """Rich styles of the grid's parts, read from the widget's CSS."""

    base: Style
    parts: dict[str, Style]
    backgrounds: dict[str, Style]

    @classmethod
    def from_widget(cls, base: Style, lookup: Callable[[str], Style]) -> GridStyles:
        """Collect the styles of every component class through ``lookup``."""
        parts = {name: lookup(f"journal-grid--{name}") for name in COMPONENTS}
        backgrounds = {name: Style(bgcolor=style.bgcolor) for name, style in parts.items()}
        return cls(base, parts, backgrounds)

    def __getitem__(self, name: str) -> Style:
        return self.parts[name]

    def background(self, name: str) -> Style:
        """Only the background of a part, to lay over drawn text."""
        return self.backgrounds[name]


def fit(text: str, width: int, align: str = "<") -> str:
    """Text cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"{text:{align}{width}}"


def cell_text(cell: Cell) -> str:
    """What a cell shows: '5/4', 'НН', 'НН/5', '·' for present, '' when nothing is there."""
    marks = cell.marks_text
    absence = cell.attendance if cell.attendance is not Attendance.PRESENT else None
    if absence is not None:
        return f"{absence.value}/{marks}" if marks else absence.value
    if marks:
        return marks
    return PRESENT_DOT if cell.attendance is Attendance.PRESENT else ""


def cell_style(cell: Cell, styles: GridStyles) -> Style:
    """The style of a cell: its save state first, then what it holds."""
    if cell.state != "saved":
        return styles[cell.state]
    if cell.attendance is not None and cell.attendance.is_absent:
        return styles["absent"]
    if not cell.marks:
        return styles["dim"]
    return styles.base


def lesson_header(lesson: LessonColumn, line: int) -> str:
    """Header text of a lesson column: the date, then the pair number and type letter."""
    if line == 0:
        return lesson.date.strftime("%d.%m")
    mark = "*" if lesson.substitute else ""
    return f"{lesson.pair_no}{lesson.lesson_type[:2]}{mark}"


@dataclass(frozen=True, slots=True)
class Line:
    """A drawn line before the cursor is laid over it.

    ``segments`` are the frozen left block (2 segments), then per lesson column a space and
    the cell text (the first column's space is gone when it is cut by the scroll offset),
    then filler and the summary. The cursor is laid over one cell by replacing one segment.
    """

    segments: list[Segment]
    width: int
    first_col: int
    """The column whose cell is at the left edge of the scrolled area."""
    stop_col: int
    """One past the last column whose cell text is drawn (in part or whole)."""
    shift: int
    """Index of the first column's text segment."""

    def cell_index(self, column: int) -> int | None:
        """Index of a column's text segment, or None if it is scrolled out of view."""
        if self.first_col <= column < self.stop_col:
            return self.shift + 2 * (column - self.first_col)
        return None

    def strip(self, column: int, cell_style: Style, line_style: Style | None) -> Strip:
        """The Strip with ``cell_style`` laid over ``column``'s cell and ``line_style``
        (a background) over the whole line."""
        segments = self.segments
        if line_style is not None:
            segments = list(Segment.apply_style(segments, post_style=line_style))
        index = self.cell_index(column)
        if index is not None:
            segments = segments.copy() if segments is self.segments else segments
            text, style, _ = segments[index]
            segments[index] = Segment(text, style + cell_style if style else cell_style)
        return Strip(segments, self.width)


class LinePainter:
    """Builds the segments of one line of a page for a horizontal scroll offset.

    Cell segments are cached in pieces of :data:`CHUNK` columns per line, so a horizontal
    scroll paints only the columns that come into view, and only one Strip is made per
    line; an edited cell drops only its own piece (:meth:`forget`).

    Args:
        page: The page drawn.
        styles: The styles to draw with.
    """

    def __init__(self, page: JournalPage, styles: GridStyles) -> None:
        self.page = page
        self.styles = styles
        self._chunks: LRUCache[tuple[int, int], list[Segment]] = LRUCache(CHUNK_CACHE)

    def forget(self, row: int, column: int) -> None:
        """Drop the cached piece holding one cell (after the cell changed)."""
        self._chunks.discard((row, column // CHUNK))

    def header(self, line: int, scroll_x: int, area_w: int) -> Line:
        """Header line 0 (dates) or 1 (pair, type)."""
        st = self.styles
        if line == 0:
            left = f"{'№':>{NUM_W}} {fit('Студент', NAME_W)} {'Пг':^{SUB_W}}"
            right = "".join(f" {fit(title, width, '>')}" for title, width in SUMMARY)
        else:
            left = fit(self.page.title, LEFT_W - 1)
            right = " " * (RIGHT_W - 1)

        def paint(column: int) -> tuple[str, Style]:
            lesson = self.page.lessons[column]
            style = st["substitute"] if lesson.substitute else st["header"]
            return fit(lesson_header(lesson, line), CELL_W, "^"), style

        head = Segment(left, st["header"])
        return self._line(-1 - line, head, paint, scroll_x, area_w, Segment(right, st["header"]))

    def row(self, index: int, scroll_x: int, area_w: int) -> Line:
        """The line of the student at ``index``."""
        student = self.page.students[index]
        st = self.styles
        cells = self.page.cells
        lessons = self.page.lessons
        sid = student.student_id
        empty = Cell()

        away = self.page.away

        def paint(column: int) -> tuple[str, Style]:
            lid = lessons[column].lesson_id
            cell = cells.get((sid, lid), empty)
            sign = away.get((sid, lid))
            if sign is not None and cell.state == "saved":
                return fit(cell_text(cell) or sign, CELL_W, "^"), st["dim"]
            return fit(cell_text(cell), CELL_W, "^"), cell_style(cell, st)

        head = Segment(_left_text(index, student), st["dim" if student.left_on else "frozen"])
        tail = Segment(self._summary_text(sid), st["frozen"])
        return self._line(index, head, paint, scroll_x, area_w, tail)

    def _summary_text(self, student_id: int) -> str:
        summary = self.page.summary(student_id)
        values = (summary.count, summary.mean, summary.final, summary.forecast)
        return "".join(f" {fit(v, w, '>')}" for v, (_, w) in zip(values, SUMMARY, strict=True))

    def _line(self, key: int, head: Segment, paint: Painter, scroll_x: int, area_w: int,
              tail: Segment) -> Line:
        sep = Segment(SEPARATOR, self.styles["separator"])
        first, cut = divmod(scroll_x, COL_W)
        stop = min(len(self.page.lessons), -(-(scroll_x + area_w) // COL_W))
        middle = self._cells(key, paint, first, stop)
        if cut and middle:
            text, style, _ = middle[1]
            middle[:2] = [Segment(text[cut - 1:], style)]
        drawn = max(0, stop - first) * COL_W - cut
        if drawn > area_w:
            keep = CELL_W - (drawn - area_w)
            text, style, _ = middle.pop()
            if keep > 0:
                middle.append(Segment(text[:keep], style))
            else:
                stop -= 1
        elif drawn < area_w:
            filler = self.styles["header"] if key < 0 else self.styles.base
            middle.append(Segment(" " * (area_w - drawn), filler))
        segments = [head, sep, *middle, sep, tail]
        return Line(segments, LEFT_W + area_w + RIGHT_W, first, stop, 2 if cut else 3)

    def _cells(self, key: int, paint: Painter, first: int, stop: int) -> list[Segment]:
        segments: list[Segment] = []
        for chunk in range(first // CHUNK, (stop - 1) // CHUNK + 1 if stop > first else 0):
            pieces = self._chunk(key, chunk, paint)
            low = max(first - chunk * CHUNK, 0)
            segments += pieces[2 * low: 2 * (stop - chunk * CHUNK)]
        return segments

    def _chunk(self, key: int, chunk: int, paint: Painter) -> list[Segment]:
        pieces = self._chunks.get((key, chunk))
        if pieces is None:
            base = self.styles["header"] if key < 0 else self.styles.base
            pieces = []
            for column in range(chunk * CHUNK, min(len(self.page.lessons), (chunk + 1) * CHUNK)):
                text, style = paint(column)
                pieces += (Segment(" ", base), Segment(text, style))
            self._chunks.set((key, chunk), pieces)
        return pieces


def _left_text(index: int, student: StudentRow) -> str:
    subgroup = "" if student.subgroup is None else str(student.subgroup)
    name = fit(student.short_name, NAME_W)
    if student.left_on is not None:     # transferred to another group: «Петров… пер.12.11»
        note = f"пер.{student.left_on:%d.%m}"
        name = f"{fit(student.short_name, NAME_W - len(note) - 1)} {note}"
    return f"{index + 1:>{NUM_W}} {name} {subgroup:^{SUB_W}}"
