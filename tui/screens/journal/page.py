"""The journal page: the grid, the selected lesson's record, saving in the background."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from core.journal.page import Cell, LessonColumn
from core.journal.saver import SaveReport
from core.journal.service import PageData, forecast_reasons, load_page, read_page_cells, student_summary
from core.journal.sync import PageListener
from core.session import UserSession
from kernel import clock
from tui.saving import SaveLink, SavesCells, overlay
from tui.screens.base import ShowsWorkerErrors
from tui.screens.journal import helps
from tui.screens.journal.homework_key import HomeworkFilesKey
from tui.typed_since import CellRead
from tui.widgets.journal_grid import JournalGrid
from tui.widgets.keys_footer import KeysFooter

LEGEND = "2–5 отметка · н НН · у НУ · п был · * все были · Del стереть · Ctrl+Z отменить"
READ_ONLY_LEGEND = "Только просмотр: стрелки, Home/End · F2 занятие · F3 история · F8 прогноз"


class PageGrid(JournalGrid):
    """The grid as the page shows it: its typing keys are listed in the legend line above the
    footer, so the footer keeps its width for the screen's F-keys (F8 was cut off at 160
    columns)."""

    BINDINGS = [replace(b, show=False) if isinstance(b, Binding) else b for b in JournalGrid.BINDINGS]


class JournalScreen(SavesCells, HomeworkFilesKey, ShowsWorkerErrors, Screen[None]):
    """One page of the journal (group × discipline × period).

    Args:
        session: The logged-in session.
        load_id: The teaching load whose page to open.
        today_pair: Open (creating when missing) today's lesson at this пара.
    """

    HELP: ClassVar[str] = helps.PAGE

    CSS_PATH = "journal.tcss"
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f2", "lesson_record", "Занятие"),
        Binding("f3", "history", "История"),
        Binding("f4", "work_kind", "Вид работы"),
        Binding("f6", "add_lesson", "Новое занятие"),
        Binding("f7", "sequence", "Ввести ряд"),
        Binding("f8", "forecast", "Прогноз"),
        Binding("f9", "homework_files", "Файлы задания"),
        Binding("f5", "reload", "Обновить"),
        Binding("ctrl+pagedown", "neighbour(1, 'groups')", "След. группа", priority=True),
        Binding("ctrl+pageup", "neighbour(-1, 'groups')", "Пред. группа", priority=True,
                show=False),
        Binding("ctrl+right", "neighbour(1, 'disciplines')", "След. дисциплина", priority=True,
                show=False),
        Binding("ctrl+left", "neighbour(-1, 'disciplines')", "Пред. дисциплина", priority=True,
                show=False),
        Binding("ctrl+g", "jump_group", "К группе", show=False),
    ]

    def __init__(self, session: UserSession, load_id: int, today_pair: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.load_id = load_id
        self.today_pair = today_pair
        self.data: PageData | None = None
        self.link = SaveLink(self, "journal-status", lambda: self.data.page if self.data else None,
                             self.action_reload_cells)
        self._lessons_before: set[int] | None = None
        """The lessons before a make-up lesson was added (to put the cursor on the new one)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Загрузка страницы…", id="journal-title")
        yield Static("", id="journal-lesson")
        yield Static(LEGEND, id="journal-legend")
        yield Static("", id="journal-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Журнал"
        self._open()

    @property
    def editable(self) -> bool:
        """The person may type into this page."""
        return self.data is not None and not self.data.read_only and not self.data.closed

    # --- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _open(self) -> None:
        from core.journal.lesson_record import ensure_lesson
        if self.today_pair is not None:
            ensure_lesson(self.session, self.load_id, clock.today(), self.today_pair)
        start = self.link.typed.begins()
        data = load_page(self.session, self.load_id)
        self.app.call_from_thread(self._show, data, start)

    def _show(self, data: PageData, start: CellRead) -> None:
        if not data.read_only:
            self.link.start(self.session)
        same_page = self.data is not None and self.data.load_id == data.load_id
        self.link.keep_typed(start, data.page)
        self.data = data
        overlay(data.page, self.link.edits())
        self.query_one("#journal-title", Static).update(self._title_text(data))
        old = self.grid
        if old is not None:
            old.load_page(data.page, keep_undo=same_page)
            before, self._lessons_before = self._lessons_before, None
            added = [lesson for lesson in data.page.lessons
                     if before is not None and lesson.lesson_id not in before]
            if added:
                old.select_lesson(added[0].lesson_id)
            if old.current_lesson is not None:
                self._describe(old.current_lesson)  # the topic may have just been changed (F2)
        else:
            grid = PageGrid(data.page, id="journal-grid")
            grid.read_only = not self.editable
            grid.store = lambda changes: self.link.submit(self.load_id, changes)
            self.mount(grid, after="#journal-title")
            grid.focus()
            self._select_initial(grid, data)
        self.query_one("#journal-legend", Static).update(LEGEND if self.editable else READ_ONLY_LEGEND)
        self._start_listener()
        self.link.show_status()
        if self.grid is not None:
            self.link.ask(data.page)

    def _title_text(self, data: PageData) -> str:
        notes = []
        if data.closed:
            notes.append("[b red]период закрыт — только чтение[/]")
        elif data.read_only:
            notes.append("[dim]только чтение[/]")
        return data.page.title + ("  " + " ".join(notes) if notes else "")

    def _select_initial(self, grid: JournalGrid, data: PageData) -> None:
        today = clock.today()
        lessons = data.page.lessons
        pick = [lesson for lesson in lessons if lesson.date == today and
                (self.today_pair is None or lesson.pair_no == self.today_pair)]
        past = [lesson for lesson in lessons if lesson.date <= today]
        target = pick[0] if pick else (past[-1] if past else None)
        if target is not None:
            grid.select_lesson(target.lesson_id)

    def _start_listener(self) -> None:
        if self.link.listener is None:
            self.link.listener = PageListener(
                self.session.new_connection, self.load_id,
                on_change=lambda: self.app.call_from_thread(self._remote),
                own_pids=self.link.saver_pids)
            self.link.listener.start()

    # --- saving -----------------------------------------------------------------------

    @on(JournalGrid.CellChanged)
    def _cell_changed(self, event: JournalGrid.CellChanged) -> None:
        self.link.show_status()

    def _after_report(self, report: SaveReport) -> None:
        self._refresh_summaries({r.edit.change.student_id for r in report.results})

    # --- changes by others ------------------------------------------------------------

    def _remote(self) -> None:
        self.action_reload_cells()

    def action_reload_cells(self) -> None:
        """Re-read the cells of the page and show what others changed."""
        self._read_cells()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cells")
    def _read_cells(self) -> None:
        from kernel.errors import ServerError

        start = self.link.typed.begins()
        try:
            cells = read_page_cells(self.session, self.load_id)
        except ServerError:  # a background refresh: the status line already says the link is down
            return
        self.app.call_from_thread(self._merge_cells, start, cells)

    def _merge_cells(self, start: CellRead, cells: dict[tuple[int, int], Cell]) -> None:
        grid, data = self.grid, self.data
        if grid is None or data is None:
            return
        keys = (set(cells) | set(data.page.cells)) - self.link.typed.kept_from(start)
        for sid, lid in keys:
            if sid not in data.page.row_of or lid not in data.page.col_of:
                continue
            mine, theirs = data.page.cell(sid, lid), cells.get((sid, lid), Cell())
            differs = (mine.marks, mine.attendance) != (theirs.marks, theirs.attendance)
            if differs or mine.state != "saved":
                grid.apply_remote(sid, lid, theirs)
        self._refresh_summaries()

    def _refresh_summaries(self, student_ids: set[int] | None = None) -> None:
        """Recount the right-hand summaries of these students (of all by default): a saved
        mark changes only its own student's."""
        grid, data = self.grid, self.data
        if grid is None or data is None:
            return
        for student in data.page.students:
            if student_ids is None or student.student_id in student_ids:
                grid.set_summary(student.student_id,
                                 student_summary(data, student.student_id, data.planned))

    # --- other keys -------------------------------------------------------------------

    @on(JournalGrid.LessonSelected)
    def _lesson_selected(self, event: JournalGrid.LessonSelected) -> None:
        self._describe(event.lesson)

    def _describe(self, lesson: LessonColumn) -> None:
        who = f" · провёл(а): {lesson.taught_by_name}" + (" (замена)" if lesson.substitute else "")
        topic = lesson.topic or "[red]тема не записана[/]"
        away = self._away_text(lesson)
        self.query_one("#journal-lesson", Static).update(
            f"{lesson.date:%d.%m.%Y}, {lesson.pair_no} пара · {topic}{who}{away}")

    def _away_text(self, lesson: LessonColumn) -> str:
        """« · не обучаются (серым): отп. 1» — students not studying on the lesson's date."""
        away = self.data.page.away.items() if self.data else ()
        signs = [sign for (_sid, lid), sign in away if lid == lesson.lesson_id]
        counts = " ".join(f"{sign} {signs.count(sign)}" for sign in sorted(set(signs)))
        return f" · [dim]не обучаются (серым): {counts}[/]" if signs else ""

    def on_paste(self, event: events.Paste) -> None:
        """A column of marks pasted from the clipboard goes down from the cursor."""
        if self.editable and self.grid is not None:
            self._type_sequence(event.text)

    def _type_sequence(self, text: str, at: tuple[int, int] | None = None) -> None:
        from kernel.errors import EJournalError

        if self.grid is None:
            return
        try:
            self.grid.type_sequence(text.replace("\n", " ").replace("\t", " "), at)
        except EJournalError as exc:
            self.app.show_error(exc)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("work_kind", "add_lesson", "sequence"):
            return self.editable
        if action in ("lesson_record", "history", "forecast"):
            return self.grid is not None
        return True

    def action_sequence(self) -> None:
        """Type a sequence like «5 4 4 н 3» to fill the column from the cursor down. It goes
        from the cell the cursor is on now, even when keys typed after Enter have moved the
        cursor before the answer is handled."""
        from tui.dialogs.prompt import PromptScreen

        at = self.grid.cursor_cell() if self.grid is not None else None
        self.app.push_screen(
            PromptScreen("Ряд отметок вниз по столбцу",
                         "Через пробел: 2–5, н, у, п, з, -, точка — пропустить строку"),
            lambda text: self._type_sequence(text, at) if text else None)

    def action_lesson_record(self) -> None:
        """Open the selected lesson's record (topic, type, homework, who taught)."""
        from tui.screens.journal.lesson_form import LessonFormScreen

        grid = self.grid
        if grid is None or grid.current_lesson is None:
            return
        self.app.push_screen(
            LessonFormScreen(self.session, self.load_id, grid.current_lesson.lesson_id,
                             read_only=not self.editable),
            lambda saved: self.action_reload() if saved else None)

    def action_add_lesson(self) -> None:
        """Add a lesson the timetable did not have (a make-up lesson)."""
        from tui.screens.journal.lesson_form import LessonFormScreen

        self.app.push_screen(LessonFormScreen(self.session, self.load_id, None), self._lesson_added)

    def _lesson_added(self, saved: bool | None) -> None:
        if saved and self.data is not None:
            self._lessons_before = {lesson.lesson_id for lesson in self.data.page.lessons}
            self.action_reload()

    def action_history(self) -> None:
        """Show every correction of the selected cell."""
        from tui.dialogs.cell_history import CellHistoryScreen

        grid = self.grid
        if grid is None or grid.current_lesson is None or grid.current_student is None:
            return
        lesson, student = grid.current_lesson, grid.current_student
        self.app.push_screen(CellHistoryScreen(
            self.session, lesson, student,
            unsaved=self.link.not_saved_why(student.student_id, lesson.lesson_id)))

    def action_work_kind(self) -> None:
        """Choose the kind of work the next marks are for."""
        from tui.screens.journal.work_kind import WorkKindScreen

        self.app.push_screen(WorkKindScreen(self.session), self._set_work_kind)

    def _set_work_kind(self, kind: tuple[str, str] | None) -> None:
        if kind is not None and self.grid is not None:
            self.grid.work_kind = kind[0]
            self.notify(f"Следующие отметки: {kind[1]}", title="Вид работы")

    def action_forecast(self) -> None:
        """Explain the forecast of the selected student."""
        grid = self.grid
        if grid is None or grid.current_student is None or self.data is None:
            return
        student = grid.current_student
        self.notify(forecast_reasons(self.data, student.student_id),
                    title=f"{student.surname} {student.name}", timeout=12)

    def action_neighbour(self, step: int, across: str) -> None:
        """Open the same discipline in the next/previous group, or the group's next page."""
        self._go_neighbour(step, across)

    @work(thread=True, exclusive=True, exit_on_error=False, group="move")
    def _go_neighbour(self, step: int, across: str) -> None:
        from core.journal.moves import neighbour_load

        target = neighbour_load(self.session, self.load_id, step, across)
        self.app.call_from_thread(self._switch_to, target)

    def action_jump_group(self) -> None:
        """Open the same discipline in a group typed by name (e.g. «сэз241»)."""
        from tui.dialogs.prompt import PromptScreen

        self.app.push_screen(PromptScreen("К группе", "Название группы, например СЭЗ-24-1"),
                             self._jump_typed)

    def _jump_typed(self, typed: str | None) -> None:
        if typed:
            self._jump(typed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="move")
    def _jump(self, typed: str) -> None:
        from core.journal.moves import load_in_group

        target = load_in_group(self.session, self.load_id, typed)
        if target is None:
            self.app.call_from_thread(
                self.notify, f"В группе «{typed}» нет страницы этой дисциплины за этот период "
                "(или такой группы нет).", title="К группе", severity="warning")
            return
        self.app.call_from_thread(self._switch_to, target)

    def _switch_to(self, load_id: int | None) -> None:
        if load_id is None:
            self.notify("Дальше страниц нет.", title="Журнал")
            return
        self.link.stop()
        self.app.switch_screen(JournalScreen(self.session, load_id))

    def action_reload(self) -> None:
        """Re-read the whole page."""
        self.today_pair = None
        self._open()
