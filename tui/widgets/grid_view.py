"""The drawing, cursor and scrolling half of the journal grid (no editing).

A line-API widget (``ScrollView`` + ``render_line``): each line is cached for the current
horizontal scroll offset (as segments, from pieces of a few columns that survive scrolling),
only the lesson columns in view are drawn, and a change to one cell invalidates only that
cell's piece and its line. The cursor is laid over a cached line by replacing one segment,
and each ``render_line`` makes exactly one ``Strip``. :class:`tui.widgets.journal_grid.JournalGrid`
adds the keys, the edits and the messages.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual.events import Click
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.journal.page import JournalPage, LessonColumn, StudentRow
from tui.widgets.grid_render import (
    COL_W,
    COMPONENTS,
    HEADER_H,
    LEFT_W,
    RIGHT_W,
    GridStyles,
    Line,
    LinePainter,
)


class GridView(ScrollView, can_focus=True):
    """A journal page drawn as a grid with frozen columns and a cell cursor.

    Args:
        page: The page to show.
        name: The widget's name.
        id: The widget's id.
        classes: CSS classes.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"journal-grid--{name}" for name in COMPONENTS}

    DEFAULT_CSS = """
    GridView {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        scrollbar-size: 0 0;  /* the dates and «▼ ещё N» tell where the view is; 80×24 needs the room */
        & > .journal-grid--frozen { background: $panel; color: $foreground; }
        & > .journal-grid--header { background: $panel; color: $foreground; text-style: bold; }
        & > .journal-grid--substitute {
            background: $panel; color: $text-warning; text-style: bold italic;
        }
        & > .journal-grid--separator { background: $panel; color: $foreground-muted; }
        & > .journal-grid--dim { color: $foreground-muted; }
        & > .journal-grid--absent { color: $text-secondary; }
        & > .journal-grid--pending { color: $text-accent; }
        & > .journal-grid--failed { color: $text-error; text-style: bold; }
        & > .journal-grid--conflict {
            background: $warning-muted; color: $foreground; text-style: bold;
        }
        & > .journal-grid--cursor-row { background: $foreground 6%; }
        & > .journal-grid--cursor-column { background: $foreground 6%; }
        & > .journal-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .journal-grid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    def __init__(self, page: JournalPage, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        self._lines: dict[int, tuple[int, int, Line]] = {}
        self._painter: LinePainter | None = None
        super().__init__(name=name, id=id, classes=classes)
        self.cursor_row = 0
        self.cursor_col = 0
        self._page = page
        self._show_page(page)

    @property
    def page(self) -> JournalPage:
        """The page shown."""
        return self._page

    @property
    def current_student(self) -> StudentRow | None:
        """The student under the cursor."""
        return self._page.students[self.cursor_row] if self._page.students else None

    @property
    def current_lesson(self) -> LessonColumn | None:
        """The lesson under the cursor."""
        return self._page.lessons[self.cursor_col] if self._page.lessons else None

    def _show_page(self, page: JournalPage) -> None:
        self._page = page
        self.cursor_row = min(self.cursor_row, max(0, len(page.students) - 1))
        self.cursor_col = min(self.cursor_col, max(0, len(page.lessons) - 1))
        self._size_area()
        self._forget_lines()
        self.refresh()
        self._scroll_to_cursor()

    # --- cursor -----------------------------------------------------------------------

    def move_cursor(self, row: int, column: int) -> None:
        """Put the cursor on a cell (clamped to the page) and scroll it into view."""
        row = max(0, min(row, len(self._page.students) - 1))
        column = max(0, min(column, len(self._page.lessons) - 1))
        old_row, old_col = self.cursor_row, self.cursor_col
        self.cursor_row, self.cursor_col = row, column
        if column != old_col:
            self.refresh()  # the column highlight crosses every line
            self._lesson_changed()
        elif row != old_row:
            self.refresh_row(old_row, keep_cache=True)
            self.refresh_row(row, keep_cache=True)
        self._scroll_to_cursor()

    def _lesson_changed(self) -> None:
        """Called when the cursor moves to another column."""

    def _size_area(self) -> None:
        """The scrollable size, its width padded so that scrolling to the end stops on a
        lesson's edge (no cut «│11» of a date at the left)."""
        lessons_w = len(self.page.lessons) * COL_W
        pad = (-max(0, lessons_w - self._area_width())) % COL_W
        rows = HEADER_H + len(self.page.students) + (1 if self._overflows() else 0)
        self.virtual_size = Size(LEFT_W + lessons_w + pad + RIGHT_W, rows)

    def _overflows(self) -> bool:
        """More students than lines: the last line shows how many are above and below."""
        return len(self.page.students) > self.scrollable_content_region.height - HEADER_H

    def on_resize(self) -> None:
        """Keep the cursor in view when the terminal is resized."""
        self._size_area()
        self._forget_lines()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if not self.is_mounted or not self.scrollable_content_region.width:
            return  # not laid out yet: on_resize does it
        area_w, data_h = self._area_width(), self._data_height()
        x, y = self.scroll_offset
        left = self.cursor_col * COL_W
        if left < x:
            x = left
        elif left + COL_W > x + area_w:
            x = -(-(left + COL_W - area_w) // COL_W) * COL_W
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + data_h:
            y = self.cursor_row - data_h + 1
        if (x, y) != tuple(self.scroll_offset):
            self.scroll_to(x, y, animate=False)

    def on_click(self, event: Click) -> None:
        """Put the cursor on the clicked cell (or the clicked student's row)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_H:
            return
        x, y = offset
        row = self.scroll_offset.y + y - HEADER_H
        column = self.cursor_col
        if LEFT_W <= x < LEFT_W + self._area_width():
            column = (x - LEFT_W + self.scroll_offset.x) // COL_W
        self.move_cursor(row, column)

    # --- drawing ----------------------------------------------------------------------

    def _area_width(self) -> int:
        return max(COL_W, self.scrollable_content_region.width - LEFT_W - RIGHT_W)

    def _data_height(self) -> int:
        sign = 1 if self._overflows() else 0
        return max(1, self.scrollable_content_region.height - HEADER_H - sign)

    def _forget_lines(self) -> None:
        self._lines.clear()
        self._painter = None

    def notify_style_update(self) -> None:
        """Drop the cached lines: the theme or focus changed the styles."""
        super().notify_style_update()
        self._forget_lines()

    def refresh_row(self, row: int, keep_cache: bool = False) -> None:
        """Redraw one student's line (only if it is in view).

        Args:
            row: The student's index on the page.
            keep_cache: Only the cursor moved: the cached line is still right.
        """
        if not keep_cache:
            self._lines.pop(row, None)
        y = HEADER_H + row - self.scroll_offset.y
        if HEADER_H <= y < HEADER_H + self._data_height():
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    def refresh_cell(self, row: int, column: int) -> None:
        """Redraw one cell that changed (its line, from a fresh piece)."""
        if self._painter is not None:
            self._painter.forget(row, column)
        self.refresh_row(row)

    def _get_painter(self) -> LinePainter:
        if self._painter is None:
            styles = GridStyles.from_widget(self.rich_style, self.get_component_rich_style)
            self._painter = LinePainter(self._page, styles)
        return self._painter

    def render_line(self, y: int) -> Strip:
        """One line of the widget: a header line or a student's line, with the cursor."""
        painter = self._get_painter()
        scroll_x, scroll_y = self.scroll_offset
        area_w = self._area_width()
        row = -1 - y if y < HEADER_H else scroll_y + y - HEADER_H
        if y >= HEADER_H + self._data_height() and self._overflows():
            return self._scroll_sign(scroll_y)
        if row >= len(self._page.students):
            return Strip.blank(self.scrollable_content_region.width, painter.styles.base)
        cached = self._lines.get(row)
        if cached is not None and cached[:2] == (scroll_x, area_w):
            line = cached[2]
        elif row < 0:
            line = painter.header(y, scroll_x, area_w)
        else:
            line = painter.row(row, scroll_x, area_w)
        self._lines[row] = (scroll_x, area_w, line)
        return self._decorate(line, row)

    def _scroll_sign(self, scroll_y: int) -> Strip:
        """«▲ выше 3 · ▼ ещё 12 (↓ PgDn)»: the rows that are out of view."""
        below = len(self._page.students) - scroll_y - self._data_height()
        parts = [f"▲ выше {scroll_y}"] if scroll_y > 0 else []
        parts += [f"▼ ещё {below} (↓ PgDn)"] if below > 0 else []
        width = self.scrollable_content_region.width
        text = ("  " + " · ".join(parts))[:width].ljust(width)
        return Strip([Segment(text, self._get_painter().styles["header"])], width)

    def _decorate(self, line: Line, row: int) -> Strip:
        styles = self._get_painter().styles
        if row < 0:
            return line.strip(self.cursor_col, styles["cursor"], None)
        if row != self.cursor_row:
            return line.strip(self.cursor_col, styles.background("cursor-column"), None)
        return line.strip(self.cursor_col, styles["cursor"], styles.background("cursor-row"))
