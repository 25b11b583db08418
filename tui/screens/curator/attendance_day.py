"""The curator's attendance day (R2): one group, one date, the day's пары across.

Keys as on the journal page (п, н, у, Del, *), plus «д» for a student absent all day,
[ and ] (or Ctrl+←/→) for the previous and next day. Changes are saved in the background by
the journal page's saver through the durable outbox; a week strip shows which days are not
filled yet.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from core.attendance.day import (
    DAY_CHANNEL,
    AttendanceDay,
    Pair,
    adopt_lesson,
    day_title,
    for_lesson,
    step_day,
)
from core.attendance.load import DayListener, create_lesson, load_day, read_cells
from core.journal.page import Cell, Change
from core.journal.saver import SaveReport
from core.people.forms import GroupInfo
from core.people.study import LEGEND as STUDY_LEGEND
from core.session import UserSession
from kernel import clock
from kernel.errors import EJournalError, ServerError
from tui.saving import SaveLink, SavesCells, overlay
from tui.screens.curator import helps
from tui.screens.curator.group_pick import GroupScreen
from tui.typed_since import CellRead
from tui.widgets.day_grid import DayGrid
from tui.widgets.journal_grid import JournalGrid
from tui.widgets.keys_footer import KeysFooter

LEGEND = ("п был · н НН · у НУ · д весь день (как в ячейке, иначе НН) · б весь день НУ · "
          "* остальные были · Del очистить · Ctrl+Z отменить · [ ] день назад/вперёд")
CURSOR_RULE = "После п, н, у, д, б курсор идёт к следующему студенту этой пары; после * — к следующей паре."
"""The one rule of the cursor for every day key (issue 11)."""
SIGNS_LEGEND = "Серым — не обучается в этот день: " + STUDY_LEGEND
STATE_MARKS = {"filled": "[green]✓[/]", "unfilled": "[b red]✗[/]", "free": "[dim]—[/]",
               "holiday": "[dim]вых[/]"}


class AttendanceDayScreen(SavesCells, GroupScreen):
    """Attendance of one group for one day, typed by the curator.

    Args:
        session: The logged-in session.
        day: The date to open (default today).
    """

    HELP: ClassVar[str] = helps.DAY

    CSS_PATH = "attendance_day.tcss"
    LEAVING = "посещаемости"
    TITLE_ID = "day-title"
    NO_GROUP_HINT = "Группа не выбрана: F4 — выбрать группу."
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("left_square_bracket,х,Х,ctrl+left", "step(-1)", "День назад", key_display="["),
        Binding("right_square_bracket,ъ,Ъ,ctrl+right", "step(1)", "День вперёд", key_display="]"),
        Binding("f2", "today", "Сегодня"),
        Binding("f3", "pick_date", "Дата"),
        Binding("f4", "pick_group", "Группа"),
        Binding("f5", "reload", "Обновить"),
    ]

    def __init__(self, session: UserSession, day: date | None = None) -> None:
        super().__init__(session)
        self.day = day or clock.today()
        self.data: AttendanceDay | None = None
        self.link = SaveLink(self, "day-status", lambda: self.data.page if self.data else None,
                             self._read_cells)
        self.held: dict[int, list[Change]] = {}
        """Changes typed into timetable пары whose lesson is being created, by column key
        (they reach the outbox as soon as the lesson exists)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Загрузка…", id="day-title")
        yield Static("", id="day-week")
        yield Static("", id="day-pairs")
        yield Static("", id="day-lesson")
        yield Static(LEGEND, id="day-legend")
        yield Static("", id="day-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Посещаемость группы за день"
        self._load_groups()

    @property
    def grid(self) -> DayGrid | None:
        """The grid, once a day is loaded."""
        found = self.query(DayGrid)
        return found.first() if found else None

    # --- choosing the group ----------------------------------------------------------------

    def _set_group(self, group: GroupInfo) -> None:
        from core.preferences import write_pref

        self.group = group
        write_pref(self.session.person.login, "last_group", group.group_id)
        self._open()

    # --- loading a day ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _open(self) -> None:
        if self.group is None:
            return
        start = self.link.typed.begins()
        data = load_day(self.session, self.group, self.day)
        self.app.call_from_thread(self._show, data, start)

    def _show(self, data: AttendanceDay, start: CellRead) -> None:
        if self.group is None or data.group != self.group or data.day != self.day:
            return  # an answer to a request the person has already moved away from
        self._start_sync()
        self.link.keep_typed(start, data.page)
        self.data = data
        overlay(data.page, self.link.edits())
        grid = self.grid
        if grid is None:
            grid = DayGrid(data, id="day-grid")
            grid.store = self._store
            self.mount(grid, after="#day-pairs")
            grid.focus()
            grid.go_first()
        else:
            grid.show_day(data)
        if self.listener is not None:
            self.listener.watch(data.load_ids)
        self._show_texts()
        self._show_current(grid)
        self.refresh_bindings()

    def _show_current(self, grid: JournalGrid) -> None:
        """The line about the пара under the cursor."""
        lesson, data = grid.current_lesson, self.data
        text = ""
        if lesson is not None and data is not None and lesson.lesson_id in data.page.col_of:
            pair = data.pair(lesson.lesson_id)
            text = f"{_cursor_word(data.day, pair)}: {_pair_line(pair, data.takes_attendance(pair.key))}"
        self.query_one("#day-lesson", Static).update(text)

    def _start_sync(self) -> None:
        if self.link.listener is not None:
            return
        self.link.start(self.session)
        self.link.listener = DayListener(self.session.new_connection,
                                         lambda: self.app.call_from_thread(self._remote),
                                         own_pids=self.link.saver_pids)
        self.link.listener.start()

    # --- texts around the grid -------------------------------------------------------------

    def _show_texts(self) -> None:
        data = self.data
        if data is None:
            return
        note = f"  [b]{data.note}[/]" if data.note else ""
        self.query_one("#day-title", Static).update(
            f"[b]{data.group.name}[/] · {day_title(data.day)}{note}")
        self._show_week()
        self.query_one("#day-pairs", Static).update(self._pairs_text(data))
        self._update_status()

    def _show_week(self) -> None:
        data = self.data
        if data is None:
            return
        parts = []
        for status in data.week:
            text = f"{status.label} {STATE_MARKS[status.state]}"
            parts.append(f"[reverse] {text} [/]" if status.day == data.day else f" {text} ")
        own = data.status
        self.query_one("#day-week", Static).update(
            "Неделя:" + "│".join(parts) + f"   [b]{own.explanation}[/]")

    @staticmethod
    def _pairs_text(data: AttendanceDay) -> str:
        if not data.pairs:
            return "[dim]В этот день пар нет.[/]"
        lines = [_pair_line(pair, data.takes_attendance(pair.key)) for pair in data.pairs]
        if data.page.away:
            lines.append(f"[dim]{SIGNS_LEGEND}[/]")
        return "\n".join(lines)

    @on(DayGrid.LessonSelected)
    def _lesson_selected(self, event: DayGrid.LessonSelected) -> None:
        self._show_current(event.grid)

    # --- saving ----------------------------------------------------------------------------

    def _store(self, changes: list[Change]) -> None:
        """An edit goes to the outbox before the grid shows it (lessons that exist)."""
        self.link.submit(DAY_CHANNEL, [c for c in changes if c.lesson_id >= 0])

    @on(DayGrid.CellChanged)
    def _cell_changed(self, event: DayGrid.CellChanged) -> None:
        change = event.change
        if change.lesson_id < 0 and self.data is not None:
            # A timetable пара without a lesson: hold the change until the lesson exists.
            first = change.lesson_id not in self.held
            self.held.setdefault(change.lesson_id, []).append(change)
            if first:
                self._create_lesson(self.data, change.lesson_id)
        self._show_week()
        self._update_status()

    @work(thread=True, exit_on_error=False, group="create")
    def _create_lesson(self, data: AttendanceDay, key: int) -> None:
        try:
            lesson_id = create_lesson(self.session, data, key)
        except EJournalError as exc:
            self.app.call_from_thread(self._lesson_refused, data, key, exc)
            return
        self.app.call_from_thread(self._lesson_created, data, key, lesson_id)

    def _lesson_created(self, data: AttendanceDay, key: int, lesson_id: int) -> None:
        changes = for_lesson(self.held.pop(key, []), lesson_id)
        grid = self.grid
        if data is self.data and grid is not None:
            adopt_lesson(data, key, lesson_id)
            grid.load_page(data.page)  # the column now names the lesson; undo starts afresh
            self.query_one("#day-pairs", Static).update(self._pairs_text(data))
            self._show_current(grid)
            data.refresh_week()
            self._show_week()
            if self.listener is not None:
                self.listener.watch(data.load_ids)
        elif self.data is not None and self.data.day == data.day:
            self._open()  # the day was re-read meanwhile: read it again with the new lesson
        self.link.submit(DAY_CHANNEL, changes)
        self._update_status()

    def _lesson_refused(self, data: AttendanceDay, key: int, error: EJournalError) -> None:
        changes = self.held.pop(key, [])
        grid = self.grid
        if data is self.data and grid is not None:
            for change in changes:
                grid.set_cell_state(change.student_id, change.lesson_id, "failed")
        self.app.show_error(error)

    def _after_report(self, report: SaveReport) -> None:
        if self.data is not None:
            self.data.refresh_week()
            self._show_week()

    def _update_status(self) -> None:
        self.link.show_status()

    # --- changes by others -----------------------------------------------------------------

    def _remote(self) -> None:
        self._read_cells()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cells")
    def _read_cells(self) -> None:
        data = self.data
        if data is None:
            return
        start = self.link.typed.begins()
        try:
            cells = read_cells(self.session, data)
        except ServerError:  # a background refresh: the status line already says the link is down
            return
        self.app.call_from_thread(self._merge_cells, data, start, cells)

    def _merge_cells(self, data: AttendanceDay, start: CellRead,
                     cells: dict[tuple[int, int], Cell]) -> None:
        grid = self.grid
        if grid is None or data is not self.data:
            return
        for sid, key in (set(cells) | set(data.page.cells)) - self.link.typed.kept_from(start):
            if sid not in data.page.row_of or key not in data.page.col_of or key < 0:
                continue  # key < 0: typed into a пара whose lesson is being created
            mine, theirs = data.page.cell(sid, key), cells.get((sid, key), Cell())
            if mine.attendance != theirs.attendance or mine.state != "saved":
                grid.apply_remote(sid, key, theirs)
        data.refresh_week()
        self._show_week()

    # --- moving between days ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_group":
            return len(self.groups) > 1
        if action in ("step", "today", "pick_date", "reload"):
            return self.group is not None
        return True

    def action_step(self, step: int) -> None:
        """The previous or next study day (Sundays skipped)."""
        self._go(step_day(self.day, step))

    def action_today(self) -> None:
        """Back to today."""
        self._go(clock.today())

    def action_pick_date(self) -> None:
        """Type a date to open."""
        from tui.dialogs.prompt import PromptScreen

        self.app.push_screen(PromptScreen("Открыть день", "Дата в виде ДД.ММ.ГГГГ",
                                          f"{self.day:%d.%m.%Y}"), self._date_typed)

    def _date_typed(self, text: str | None) -> None:
        from core.people.validation import parse_date

        if not text:
            return
        try:
            day = parse_date(text, "Дата")
        except EJournalError as exc:
            self.app.show_error(exc)
            return
        if day is not None:
            self._go(day)

    def _go(self, day: date) -> None:
        self.day = day
        self.query_one("#day-title", Static).update(f"Загрузка: {day_title(day)}…")
        self._open()

    def action_reload(self) -> None:
        """Re-read the day."""
        self._open()

    def _has_unsent(self) -> bool:
        return self.link.has_pending() or bool(self.held)


def _cursor_word(day: date, pair: Pair, now: datetime | None = None) -> str:
    """«Сейчас» only for the пара going on right now (today, within its bell times), else
    «Выбрана» (the пара under the cursor)."""
    now = now or clock.now()
    if day != now.date() or pair.starts_at is None or pair.ends_at is None:
        return "Выбрана"
    return "Сейчас" if pair.starts_at <= now.time() <= pair.ends_at else "Выбрана"


def _pair_line(pair: Pair, open_: bool) -> str:
    """«1 пара 08:30–10:00 · Математика (1 подгр.) · Иванова И. И. · ауд. 204», and why
    attendance cannot be typed there when it cannot (``open_`` False)."""
    sub = f" ({pair.subgroup_name})" if pair.subgroup_name else ""
    parts = [f"[b]{pair.pair_no} пара[/]" + (f" {pair.time_text}" if pair.time_text else ""),
             f"{pair.discipline}{sub}", pair.who]
    if pair.room:
        parts.append(f"ауд. {pair.room}")
    line = " · ".join(parts)
    if pair.closed:
        return f"[dim]{line} · период закрыт — только чтение[/]"
    if not pair.recorded and not open_:
        return f"[dim]{line} · занятие не записано преподавателем — отметить нельзя[/]"
    if not pair.recorded:
        return f"{line} · [i]занятие ещё не записано: первая отметка создаст пустую запись занятия[/]"
    return line
