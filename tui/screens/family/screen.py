"""What a student, or a parent about a child, reads (R10, R20): marks, attendance, homework,
the week's timetable, final and statement marks. Read-only; fits an 80×24 terminal.

A parent with several children picks one first (F2 picks another later); F3 picks the study
period (the whole time the journal is kept); F4 opens the week view; л shows the legend; the
digits 1–5 switch the tabs. Live like the journal page: a new mark, absence or lesson (one the
curator creates included) is shown without F5.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Header,
    Label,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from core.family.service import (
    WEEKDAYS_SHORT,
    Child,
    DisciplineResult,
    FamilyView,
    Period,
    children,
    default_period,
    periods,
    read_view,
)
from core.grading.finals import format_decimal
from core.journal.sync import PageListener
from core.session import UserSession
from kernel import clock
from tui.screens.base import ShowsWorkerErrors
from tui.screens.family.follow import FollowsLoads
from tui.screens.family.legend import LEGEND_HELP, LegendScreen
from tui.widgets.keys_footer import KeysFooter

TABS = (("marks", "1 Отметки"), ("absences", "2 Пропуски"), ("homework", "3 Задания"),
        ("week", "4 Расписание"), ("finals", "5 Итоги"))
COLUMNS = {
    "marks": ("Дисциплина", "Ср.", "Итог", "Отметки"),
    "absences": ("Дата", "Пара", "Дисциплина", "Код", "Часы"),
    "week": ("День", "Пара", "Начало", "Дисциплина", "Ауд.", "Преподаватель"),
    "finals": ("Дисциплина", "Ведомость", "Ср.", "Итог", "НУ ч", "НН ч"),
}
# How each table fits the terminal's width: caps of some columns, then the column that takes
# (or gives up) the rest, and whether that column keeps its end (the newest marks).
FIT: dict[str, tuple[dict[int, int], int, bool]] = {
    "marks": ({0: 30}, 3, True),
    "absences": ({}, 2, False),
    "week": ({4: 8, 5: 16}, 3, False),
    "finals": ({}, 0, False),
}


def fit(rows: list[tuple[str, ...]], labels: tuple[str, ...], width: int, key: str) -> list[tuple[str, ...]]:
    """Cut cells with «…» so that every row fits ``width`` (one space of padding each side)."""
    caps, flex, keep_end = FIT[key]
    rows = [tuple(_cut(c, caps[i], False) if i in caps else c for i, c in enumerate(r)) for r in rows]
    widths = [max([len(label), *(len(r[i]) for r in rows)]) for i, label in enumerate(labels)]
    room = max(8, width - sum(w for i, w in enumerate(widths) if i != flex) - 2 * len(labels))
    return [tuple(_cut(c, room, keep_end) if i == flex else c for i, c in enumerate(r)) for r in rows]


def _cut(text: str, room: int, keep_end: bool) -> str:
    if len(text) <= room:
        return text
    return "…" + text[len(text) - room + 1:] if keep_end else text[:room - 1] + "…"


def _day(day: date) -> str:
    return f"{WEEKDAYS_SHORT[day.weekday()]} {day:%d.%m}"


def _mean(result: DisciplineResult) -> str:
    return format_decimal(result.final.mean) if result.final.mean is not None else ""


class FamilyScreen(FollowsLoads, ShowsWorkerErrors, Screen[None]):
    """One child's (or the student's own) journal for a period, in five tabs."""

    HELP: ClassVar[str] = """\
# Успеваемость

Отметки, пропуски, задания, расписание и итоги одного обучающегося за период (R10, R20:
сведения для обучающихся и родителей за всё время обучения). Обновляется само: новая отметка,
пропуск или занятие появляются без F5.

## Клавиши
- **1–5** — вкладки: отметки, пропуски, задания, расписание, итоги;
- **F4** — неделя: все занятия недели с посещаемостью, отметками и заданиями (← → — недели);
- **F2** — другой ребёнок (у родителя нескольких детей); **F3** — другой период;
- **F7 / F8** — предыдущая / следующая неделя расписания (вкладка 4);
- **л** — условные обозначения; **F5** — обновить; **Esc** — назад.

""" + LEGEND_HELP

    CSS_PATH = "family.tcss"
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f2", "pick_child", "Ребёнок"),
        Binding("f3", "pick_period", "Период"),
        Binding("f4", "open_week", "Неделя"),
        Binding("л,k,Л,K", "legend", "Обозначения", show=False),
        Binding("f7", "week(-1)", "Пред. неделя"),
        Binding("f8", "week(1)", "След. неделя"),
        Binding("f5", "reload", "Обновить"),
        *[Binding(str(n), f"tab('{key}')", title, show=False) for n, (key, title) in enumerate(TABS, 1)],
    ]

    def __init__(self, session: UserSession, opens_week: bool = False,
                 children: list[Child] | None = None) -> None:
        super().__init__()
        self.session = session
        self.opens_week = opens_week
        """Open the chosen child's week above this screen (a parent's first screen)."""
        self.given = children
        """The children read already (at login), or None: the screen reads them."""
        self.children_: list[Child] = []
        self.periods: list[Period] = []
        self.child: Child | None = None
        self.period: Period | None = None
        self.week_start: date | None = None
        self.view: FamilyView | None = None
        self.picking = ""
        self.listener: PageListener | None = None
        """Hears changes of the child's loads (the journal page's listener)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="fam-view"):
            with Vertical(id="fam-pick-box"):
                yield Label("", id="fam-pick-title")
                yield OptionList(id="fam-pick")
            with Vertical(id="fam-view"):
                yield Static("Загрузка…", id="fam-head")
                with TabbedContent(id="fam-tabs"):
                    for key, title in TABS:
                        with TabPane(title, id=f"tab-{key}"):
                            if key == "homework":
                                with VerticalScroll(id="fam-homework"):
                                    yield Static("", id="fam-homework-text")
                                continue
                            if key == "week":
                                yield Static("", id="fam-week-title")
                            yield DataTable(id=f"fam-{key}", cursor_type="row", zebra_stripes=True)
                            if key == "marks":
                                yield Static("", id="fam-marks-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Успеваемость"
        for key, columns in COLUMNS.items():
            self.query_one(f"#fam-{key}", DataTable).add_columns(*columns)
        if self.given is not None:   # before the first frame: it is drawn once, filled
            self._show_children(self.given)
        else:
            self._load_children()

    # --- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load_children(self) -> None:
        found = children(self.session)
        self.app.call_from_thread(self._show_children, found)

    def _show_children(self, found: list[Child]) -> None:
        self.children_ = found
        if not found:
            self.query_one("#fam-head", Static).update("Нет обучающихся, сведения о которых вам доступны.")
        elif len(found) == 1:
            self._choose_child(found[0])
        else:
            self.action_pick_child()

    def _choose_child(self, child: Child) -> None:
        self.child, self.period = child, None
        self._show_switcher("fam-view")
        self.query_one("#fam-head", Static).update(f"{child.label} · загрузка…")
        if self.opens_week:   # the week first; this screen reads when it is shown (Esc)
            self.opens_week = False
            self.action_open_week()
            return
        self._load_view()

    def on_screen_resume(self) -> None:
        """Back from the week a parent landed on: read what this screen shows."""
        if self.child is not None and self.view is None and not self.picking:
            self._load_view()

    @work(thread=True, exclusive=True, exit_on_error=False, group="view")
    def _load_view(self) -> None:
        child = self.child
        if child is None:
            return
        choices = self.periods if self.period is not None else periods(self.session, child.student_id)
        period = self.period or default_period(choices, clock.today())
        if period is None:
            self.app.call_from_thread(self._no_periods, child)
            return
        view = read_view(self.session, child, period, week_start=self.week_start)
        self.app.call_from_thread(self._show_view, choices, view)

    def _no_periods(self, child: Child) -> None:
        self.query_one("#fam-head", Static).update(f"{child.label}: в журнале пока нет занятий.")

    def _show_view(self, choices: list[Period], view: FamilyView) -> None:
        self.periods, self.view, self.period = choices, view, view.period
        self.week_start = view.week_start
        missed = view.missed
        self.query_one("#fam-head", Static).update(
            f"[b]{view.child.label}[/b] · {view.period.title}\n"
            f"Пропущено {missed.total} ч: по уважительной причине (НУ) {missed.excused} ч, "
            f"без уважительной (НН) {missed.unexcused} ч")
        self._fill_marks(view)
        self._fill_absences(view)
        self._fill_homework(view)
        self._fill_week(view)
        self._fill_finals(view)
        self.refresh_bindings()
        self._listen({d.load_id for d in view.disciplines})

    def _reload(self) -> None:
        self._load_view()

    def on_resize(self) -> None:
        """Fit the tables to the new width."""
        if self.view is not None:
            self._show_view(self.periods, self.view)

    # --- tables -----------------------------------------------------------------------

    def _fill(self, key: str, rows: list[tuple[str, ...]], empty: str = "") -> None:
        table = self.query_one(f"#fam-{key}", DataTable)
        table.clear()
        labels = COLUMNS[key]
        if not rows and empty:
            rows = [tuple(empty if i == FIT[key][1] else "" for i in range(len(labels)))]
        for row in fit(rows, labels, self.size.width - 2, key):
            table.add_row(*row)

    def _fill_marks(self, view: FamilyView) -> None:
        self._fill("marks", [(d.discipline, _mean(d), d.shown_final, d.marks_text or "—")
                             for d in view.disciplines])
        self._show_detail(0)

    @on(DataTable.RowHighlighted, "#fam-marks")
    def _marks_row(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        detail = self.query_one("#fam-marks-detail", Static)
        if self.view is None or not 0 <= row < len(self.view.disciplines):
            detail.update("")
            return
        d = self.view.disciplines[row]
        marks = " · ".join(f"{m.day:%d.%m} {m.value.value} ({m.work_kind})" for m in d.marks)
        source = {"statement": "по ведомости", "mean": "по среднему"}.get(d.final.source, "")
        final = f"итог {d.final_text} ({'выставлена' if d.fixed else source})" if d.final_text else ""
        parts = [f"[b]{d.discipline}[/b] · {d.teacher}", d.statement_text, final]
        detail.update(" · ".join(p for p in parts if p) + "\n" + (marks or "Отметок пока нет."))

    def _fill_absences(self, view: FamilyView) -> None:
        self._fill("absences", [(_day(a.day), str(a.pair_no), a.discipline, a.code.value, str(a.hours))
                                for a in view.absences], "Пропусков нет")

    def _fill_homework(self, view: FamilyView) -> None:
        items = [f"[b]{_day(h.due_on) if h.due_on else 'без даты'} · {escape(h.discipline)}[/b]\n"
                 f"  {escape(h.text)} [dim](задано {h.given_on:%d.%m})[/dim]" for h in view.homework]
        self.query_one("#fam-homework-text", Static).update(
            "\n".join(items) if items else "Заданий на ближайшие дни нет.")

    def _fill_week(self, view: FamilyView) -> None:
        end = view.week_start + timedelta(days=5)
        self.query_one("#fam-week-title", Static).update(
            f"Неделя {view.week_start:%d.%m} – {end:%d.%m.%Y} (F7/F8 — другая неделя)")
        self._fill("week", [(_day(x.day), str(x.pair_no), f"{x.starts_at:%H:%M}" if x.starts_at else "",
                             x.discipline, x.room, x.teacher) for x in view.week],
                   "Занятий на этой неделе нет")

    def _fill_finals(self, view: FamilyView) -> None:
        self._fill("finals", [(d.discipline, d.statement_text, _mean(d), d.shown_final,
                               str(d.missed.excused or ""), str(d.missed.unexcused or ""))
                              for d in view.disciplines])

    # --- picking ----------------------------------------------------------------------

    def _show_switcher(self, current: str) -> None:
        self.query_one(ContentSwitcher).current = current
        if current == "fam-view":
            self.picking = ""
            active = str(self.query_one(TabbedContent).active).removeprefix("tab-") or "marks"
            self.query_one(f"#fam-{active}").focus()
        self.refresh_bindings()

    def _pick(self, what: str, title: str, options: list[Option], highlighted: int) -> None:
        self.picking = what
        self.query_one("#fam-pick-title", Label).update(title)
        pick = self.query_one("#fam-pick", OptionList)
        pick.clear_options()
        pick.add_options(options)
        self._show_switcher("fam-pick-box")
        pick.highlighted = max(0, highlighted)
        pick.focus()

    def action_pick_child(self) -> None:
        """Choose which child to read about."""
        current = self.children_.index(self.child) if self.child in self.children_ else 0
        self._pick("child", "Выберите обучающегося (Enter)",
                   [Option(c.label, id=str(i)) for i, c in enumerate(self.children_)], current)

    def action_pick_period(self) -> None:
        """Choose the study period (any of the whole time the journal is kept)."""
        current = self.periods.index(self.period) if self.period in self.periods else 0
        self._pick("period", "Выберите период (Enter)",
                   [Option(p.title, id=str(i)) for i, p in enumerate(self.periods)], current)

    @on(OptionList.OptionSelected, "#fam-pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        index = int(str(event.option.id))
        if self.picking == "child":
            self.week_start = None
            self._choose_child(self.children_[index])
        else:
            self.period = self.periods[index]
            self.week_start = None
            self._show_switcher("fam-view")
            self._load_view()

    # --- other keys -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_view = self.query_one(ContentSwitcher).current == "fam-view"
        if action == "pick_child":
            return len(self.children_) > 1
        if action == "pick_period":
            return in_view and len(self.periods) > 1
        if action == "open_week":
            return self.child is not None
        if action == "week":
            return in_view and self.view is not None and \
                self.query_one(TabbedContent).active == "tab-week"
        return True

    def action_tab(self, key: str) -> None:
        """Show one of the tabs."""
        if self.query_one(ContentSwitcher).current == "fam-view":
            self.query_one(TabbedContent).active = f"tab-{key}"
            self.query_one(f"#fam-{key}").focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def action_week(self, step: int) -> None:
        """The timetable of the previous (next) week."""
        if self.week_start is not None:
            self.week_start += timedelta(days=7 * step)
            self._load_view()

    def action_open_week(self) -> None:
        """The child's week: lessons, attendance, marks, homework (← → weeks)."""
        from tui.screens.family.week import WeekScreen

        if self.child is not None:
            self.app.push_screen(WeekScreen(self.session, self.child))

    def action_legend(self) -> None:
        """What the abbreviations mean."""
        self.app.push_screen(LegendScreen(self.session))

    def action_reload(self) -> None:
        """Read everything again."""
        if self.child is not None:
            self._load_view()

    def action_back(self) -> None:
        """Close the picker, or leave the screen."""
        if self.picking and self.child is not None:
            self._show_switcher("fam-view")
            return
        self.app.pop_screen()
