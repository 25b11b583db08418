"""A child's week (issue 11, item 10): every lesson of the week with attendance (НУ/НН hours),
marks, topic and homework; ← → move by week, Home or т back to this week; л — the legend.

Live like the journal page: a mark, an absence or a lesson the curator creates reaches the open
week through the journal's change notes, no F5 needed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.family.service import WEEKDAYS_SHORT, Child
from core.family.week import Week, child_loads, monday_of, read_week
from core.homework.kinds import HomeworkFile
from core.homework.store import list_files
from core.journal.sync import PageListener
from core.session import UserSession
from kernel import clock
from tui.screens.base import ShowsWorkerErrors
from tui.screens.family.follow import FollowsLoads
from tui.screens.family.legend import LEGEND_HELP, LegendScreen
from tui.widgets.keys_footer import KeysFooter

COLUMNS = (("День", 9), ("Пара", 4), ("Дисциплина", 0), ("Посещ.", 7), ("Отметки", 12))


def week_title(week: Week, today: date) -> str:
    """«Неделя 01.12 – 07.12.2026 (эта неделя) · пропущено: НУ 2 ч, НН 4 ч · отметок: 3»."""
    from kernel.marks import Attendance

    this = " (эта неделя)" if week.monday == monday_of(today) else ""
    excused, unexcused = week.missed(Attendance.EXCUSED), week.missed(Attendance.UNEXCUSED)
    missed = f"пропущено: НУ {excused} ч, НН {unexcused} ч" if excused or unexcused else "пропусков нет"
    return (f"Неделя {week.monday:%d.%m} – {week.sunday:%d.%m.%Y}{this} · {missed} · "
            f"отметок: {week.mark_count}")


class WeekScreen(FollowsLoads, ShowsWorkerErrors, Screen[None]):
    """One week of one child's journal.

    Args:
        session: The logged-in session (a parent, a student).
        child: Whose week.
        monday: The week to open first (default: this week).
    """

    HELP: ClassVar[str] = """\
# Неделя обучающегося

Все занятия одной недели: была ли пара (НУ/НН — пропуск и его часы), отметки с видом работы,
тема и домашнее задание (R10, R20: сведения об успеваемости и посещаемости для обучающихся и
родителей). Обновляется сама: новая отметка, пропуск или занятие, созданное куратором,
появляются без F5.

## Клавиши
- **←** / **→** — предыдущая / следующая неделя;
- **Home** или **т** — эта неделя;
- **↑ ↓** — занятие; под таблицей — его тема и задание полностью, и файлы к заданию;
- **Enter** — файлы к заданию занятия (PDF, DOCX, картинка): Enter на файле сохраняет его в
  папку «Загрузки» и показывает путь (в браузере — скачивает); «(файлы)» в столбце «Дисциплина» —
  к заданию приложены файлы;
- **л** — условные обозначения (легенда);
- **F5** — прочитать заново; **Esc** — назад.

""" + LEGEND_HELP.replace("# Условные обозначения", "# Условные обозначения (л)")

    DEFAULT_CSS = """
    WeekScreen #week-child { color: $text-muted; height: 1; padding: 0 1; }
    WeekScreen #week-title { height: auto; padding: 0 1; }
    WeekScreen #week-table { height: 1fr; }
    WeekScreen #week-detail { height: auto; max-height: 5; padding: 0 1; border-top: solid $accent; }
    """
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("left", "week(-1)", "Пред.", priority=True),
        Binding("right", "week(1)", "След.", priority=True),
        Binding("home", "this_week", "Эта неделя", priority=True),
        Binding("т,n,Т,N", "this_week", "Эта неделя", show=False),
        Binding("л,k,Л,K", "legend", "Обозначения"),
        Binding("f5", "reload", "Обновить", show=False),
    ]

    def __init__(self, session: UserSession, child: Child, monday: date | None = None) -> None:
        super().__init__()
        self.session = session
        self.child = child
        self.monday = monday_of(monday or clock.today())
        self.week: Week | None = None
        self.files: dict[int, list[HomeworkFile]] = {}
        """The homework files of the week's lessons, by lesson."""
        self.listener: PageListener | None = None
        """Hears changes of the week's loads (the journal page's listener)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{escape(self.child.label)} · ← → недели · л — обозначения", id="week-child")
        yield Static("Загрузка…", id="week-title")
        yield DataTable(id="week-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="week-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Неделя"
        table = self.query_one("#week-table", DataTable)
        for title, _width in COLUMNS:
            table.add_column(title, key=title)
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="week")
    def _load(self) -> None:
        week = read_week(self.session, self.child.student_id, self.monday)
        files = list_files(self.session, [x.lesson_id for x in week.lessons])
        if self.listener is None:
            loads = child_loads(self.session, self.child.student_id)
            self.app.call_from_thread(self._listen, loads)
        self.app.call_from_thread(self._show, week, files)

    def _show(self, week: Week, files: dict[int, list[HomeworkFile]] | None = None) -> None:
        if week.monday != self.monday:
            return          # an older read that finished late
        self.week, self.files = week, files or {}
        self.query_one("#week-title", Static).update(f"[b]{week_title(week, clock.today())}[/b]")
        table = self.query_one("#week-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for x in week.lessons:
            marks = ", ".join(m.text for m in x.marks)
            table.add_row(f"{WEEKDAYS_SHORT[x.day.weekday()]} {x.day:%d.%m}", str(x.pair_no),
                          escape(x.discipline) + (" (файлы)" if x.lesson_id in self.files else ""),
                          x.attendance_text, marks)
        if not week.lessons:
            table.add_row("", "", "Занятий в журнале на этой неделе нет", "", "")
            table.add_row("", "", "← — предыдущая неделя", "", "")
        table.move_cursor(row=min(keep, max(0, table.row_count - 1)))
        self._detail(table.cursor_row)

    def _reload(self) -> None:
        self._load()

    @on(DataTable.RowHighlighted, "#week-table")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        detail = self.query_one("#week-detail", Static)
        if self.week is None or not 0 <= row < len(self.week.lessons):
            detail.update("")
            return
        x = self.week.lessons[row]
        lines = [f"[b]{escape(x.discipline)}[/b] · {x.day:%d.%m.%Y}, {x.pair_no} пара",
                 f"Тема: {escape(x.topic) or '—'}", f"Задание: {escape(x.homework) or '—'}"]
        attached = self.files.get(x.lesson_id, [])
        if attached:
            lines.append("Файлы: " + "; ".join(escape(f.label) for f in attached) + " — Enter")
        detail.update("\n".join(lines))

    @on(DataTable.RowSelected, "#week-table")
    def _files(self, event: DataTable.RowSelected) -> None:
        """Enter on a lesson with homework files: the files, to open."""
        from tui.dialogs.homework_files import HomeworkFilesScreen

        if self.week is None or not 0 <= event.cursor_row < len(self.week.lessons):
            return
        x = self.week.lessons[event.cursor_row]
        if x.lesson_id not in self.files:
            self.notify("К заданию этого занятия файлов нет.", title="Файлы задания")
            return
        self.app.push_screen(HomeworkFilesScreen(
            self.session, x.lesson_id, f"{x.discipline}, {x.day:%d.%m.%Y}, {x.pair_no} пара",
            writable=False))

    def action_week(self, step: int) -> None:
        """The previous (next) week."""
        self.monday += timedelta(days=7 * step)
        self.query_one("#week-title", Static).update("Загрузка…")
        self._load()

    def action_this_week(self) -> None:
        """Back to this week."""
        self.monday = monday_of(clock.today())
        self._load()

    def action_legend(self) -> None:
        """What the abbreviations mean."""
        self.app.push_screen(LegendScreen(self.session))

    def action_reload(self) -> None:
        """Read the week again."""
        self._load()

    def action_back(self) -> None:
        """Back to the child's period."""
        self.app.pop_screen()
