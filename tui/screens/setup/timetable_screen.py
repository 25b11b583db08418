"""«Расписание и замены»: a group's timetable with числитель/знаменатель weeks, one-off changes,
substitutions planned by the office, and the year's lessons generated from the timetable —
previewed before anything is written (R12, R17).

The admin and the office write; others read. Work runs in worker threads through
core/calendar under the person's own login.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Static

from kernel import clock
from tui.screens.base import ShowsWorkerErrors
from tui.screens.setup.year_form import PreviewDialog
from tui.screens.setup.year_screen import FormWrites, with_conn
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:

    import psycopg

    from core.calendar.generate import YearPlan
    from core.calendar.timetable import Slot, Substitution
    from core.session import UserSession

PeriodRow = tuple[int, int, str]
"""(period id, year id, title) of the period the screen shows."""

PERIOD_AT = """SELECT p.id, p.year_id, p.title FROM journal.period p
                WHERE %s BETWEEN p.starts_on AND p.ends_on ORDER BY p.starts_on LIMIT 1"""


class TimetableScreen(FormWrites, ShowsWorkerErrors, Screen[None]):
    """One group's timetable, the coming substitutions, lesson generation."""

    DEFAULT_CSS = """
    #tt-top { height: auto; }
    #tt-top Input { width: 24; }
    #tt-top Label { padding: 1 1 0 1; }
    #tt-body { height: 1fr; }
    #tt-slots { width: 3fr; }
    #tt-subs-box { width: 60; }
    .tt-heading { text-style: bold; }
    #tt-status { height: auto; color: $warning; }
    """
    HELP: ClassVar[str] = """\
# Расписание и замены (R12, R17)

Расписание группы на период: день недели, пара, неделя (каждую, числитель — нечётные недели
периода, знаменатель — чётные), аудитория. Разовые изменения одного дня (отмена пары,
добавленная пара; перенос — это отмена и добавление). Замены, которые назначает учебная
часть: заменяющий преподаватель находит это занятие в своём журнале («Журнал», сегодняшние
занятия), создаёт и заполняет его; в истории видно, кто провёл. Занятия года создаются по
расписанию за вычетом праздников, каникул и практики (с учётом переносов рабочих дней) —
**сначала просмотр**, запись только по F9; повторный запуск ничего не дублирует.

| клавиша | действие |
|---|---|
| поле «Группа», `Enter` | показать расписание группы (поле «Дата» — любой день периода) |
| `F3` | добавить пару в расписание |
| `Delete` | убрать выбранную пару из расписания |
| `F4` | разовое изменение: отмена или добавление пары на дату |
| `F5` | назначить замену |
| `F6` | занятия года для всех групп с сегодняшнего дня: просмотр, затем F9 — записать |
| `F7` | то же только для этой группы |
| `F2` | обновить |
| `Esc` | назад |
"""
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f3", "add_slot", "Добавить пару"),
        Binding("delete", "delete_slot", "Убрать пару"),
        Binding("f4", "one_off", "Разовое изменение"),
        Binding("f5", "substitute", "Замена"),
        Binding("f6", "generate_all", "Занятия года"),
        Binding("f7", "generate_group", "Занятия группы"),
        Binding("f2", "reload", "Обновить"),
    ]

    def __init__(self, session: UserSession, group: str = "") -> None:
        super().__init__()
        self.session = session
        self.group_name = group
        self.group_id: int | None = None
        self.period: PeriodRow | None = None
        self.slots: list[Slot] = []
        self.last = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="tt-top"):
            yield Label("Группа")
            yield Input(value=self.group_name, placeholder="ИС-25-1", id="tt-group")
            yield Label("Дата периода")
            yield Input(value=f"{clock.today():%d.%m.%Y}", id="tt-date")
        with Horizontal(id="tt-body"):
            with Vertical(id="tt-slots"):
                yield Label("Расписание группы", classes="tt-heading")
                yield DataTable(id="tt-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="tt-subs-box"):
                yield Label("Замены на две недели", classes="tt-heading")
                yield DataTable(id="tt-subs", cursor_type="row")
        yield Static("", id="tt-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Расписание и замены"
        self.query_one("#tt-table", DataTable).add_columns("День", "Пара", "Неделя", "Дисциплина",
                                                           "Преподаватель", "Ауд.")
        self.query_one("#tt-subs", DataTable).add_column("Замена")
        self.query_one("#tt-group", Input).focus()
        self.action_reload()

    def status(self, text: str) -> None:
        self.query_one("#tt-status", Static).update(text)

    @on(Input.Submitted)
    def _submitted(self, _event: Input.Submitted) -> None:
        self.action_reload()
        self.query_one("#tt-table", DataTable).focus()

    def action_reload(self) -> None:
        """Read the group's timetable and the substitutions again."""
        self._load(self.query_one("#tt-group", Input).value.strip(),
                   self.query_one("#tt-date", Input).value.strip())

    @work(thread=True, exclusive=True, group="tt-read", exit_on_error=False)
    def _load(self, group: str, day_text: str) -> None:
        from core.calendar.timetable import group_slots, list_substitutions
        from core.calendar.year import group_by_name, parse_date, rows

        day = parse_date(day_text, "Дата периода")

        def read(conn: psycopg.Connection) -> tuple[
                PeriodRow | None, int | None, list[Slot], list[Substitution]]:
            found = rows(conn, PERIOD_AT, (day,))
            period: PeriodRow | None = tuple(found[0]) if found else None
            group_id = group_by_name(conn, group) if group else None
            slots = group_slots(conn, group_id, period[0]) if group_id and period else []
            subs = list_substitutions(conn, clock.today(), clock.today() + timedelta(days=14))
            return period, group_id, slots, subs
        self.app.call_from_thread(self._show, *with_conn(self.session, read))

    def _show(self, period: PeriodRow | None, group_id: int | None, slots: list[Slot],
              subs: list[Substitution]) -> None:
        from core.calendar.lessons import Parity
        from core.calendar.year import WEEKDAYS

        self.period, self.group_id, self.slots = period, group_id, slots
        table = self.query_one("#tt-table", DataTable)
        table.clear()
        for s in slots:
            week = "" if s.parity is Parity.ALL else s.parity.label
            table.add_row(WEEKDAYS[s.weekday], s.pair_no, week,
                          s.discipline + (f" [{s.subgroup}]" if s.subgroup else ""), s.teacher, s.room)
        subs_table = self.query_one("#tt-subs", DataTable)
        subs_table.clear()
        for x in subs:
            subs_table.add_row(x.text)
        if period is None:
            self.status("На эту дату нет открытого периода: откройте его в «Учебный год».")
        elif group_id is None:
            self.status(f"{period[2]}. Введите группу и нажмите Enter.")
        else:
            self.status(f"{period[2]}: пар в расписании {len(slots)}. {self.last}".strip())

    # --- writing ----------------------------------------------------------------------

    def _need_group(self) -> bool:
        if self.group_id is None or self.period is None:
            self.status("Сначала выберите группу (поле «Группа», Enter).")
            return False
        return True

    def _group(self) -> str:
        return self.query_one("#tt-group", Input).value.strip()

    def action_add_slot(self) -> None:
        """Put a discipline of the group into the timetable."""
        from core.calendar.timetable import add_slot, find_load, parse_parity
        from core.calendar.year import parse_date

        if not self._need_group():
            return
        group, day = self._group(), parse_date(self.query_one("#tt-date", Input).value)
        fields = [("discipline", "Дисциплина (как в нагрузке)", ""),
                  ("subgroup", "Подгруппа (пусто — вся группа)", ""),
                  ("weekday", "День недели: 1 пн … 6 сб", "1"), ("pair", "Пара", "1"),
                  ("week", "Неделя: пусто — каждая, числитель или знаменатель", ""),
                  ("room", "Аудитория", "")]

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            load = find_load(conn, group, v["discipline"], day, v["subgroup"])
            add_slot(conn, load, _int(v["weekday"]), _int(v["pair"]), parse_parity(v["week"]), v["room"])
            return "Пара добавлена в расписание."
        self._ask(f"Расписание {group}: новая пара", fields, act)

    def action_delete_slot(self) -> None:
        """Take the highlighted pair out of the timetable."""
        from core.calendar.timetable import delete_slot

        row = self.query_one("#tt-table", DataTable).cursor_row
        if not 0 <= row < len(self.slots):
            self.status("Выберите пару в расписании.")
            return
        slot = self.slots[row]

        def act(conn: psycopg.Connection) -> str:
            delete_slot(conn, slot.slot_id)
            return "Пара убрана из расписания."
        self._write(act)

    def action_one_off(self) -> None:
        """Cancel or add one lesson on one date."""
        from core.calendar.timetable import add_change, find_load
        from core.calendar.year import parse_date

        if not self._need_group():
            return
        group = self._group()
        fields = [("kind", "Отмена или добавление", "отмена"), ("discipline", "Дисциплина", ""),
                  ("subgroup", "Подгруппа (пусто — вся группа)", ""), ("day", "Дата, ДД.ММ.ГГГГ", ""),
                  ("pair", "Пара", "1"), ("room", "Аудитория (для добавления)", "")]

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            day = parse_date(v["day"])
            kind = "add" if v["kind"].strip().lower().startswith("доб") else "cancel"
            add_change(conn, find_load(conn, group, v["discipline"], day, v["subgroup"]), day,
                       _int(v["pair"]), kind, v["room"])
            return f"{'Добавлено' if kind == 'add' else 'Отменено'}: {day:%d.%m.%Y}, {v['pair']} пара."
        self._ask(f"Разовое изменение {group}", fields, act)

    def action_substitute(self) -> None:
        """Plan who replaces the teacher at one lesson."""
        from core.calendar.timetable import find_load, find_teacher, plan_substitution
        from core.calendar.year import parse_date

        if not self._need_group():
            return
        group = self._group()
        fields = [("discipline", "Дисциплина", ""), ("subgroup", "Подгруппа (пусто — вся группа)", ""),
                  ("day", "Дата, ДД.ММ.ГГГГ", f"{clock.today():%d.%m.%Y}"), ("pair", "Пара", "1"),
                  ("who", "Кто заменяет (фамилия или логин)", ""), ("reason", "Причина", "")]

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            day = parse_date(v["day"])
            load = find_load(conn, group, v["discipline"], day, v["subgroup"])
            plan_substitution(conn, load, day, _int(v["pair"]), find_teacher(conn, v["who"]), v["reason"])
            return f"Замена назначена: {day:%d.%m.%Y}, {v['pair']} пара."
        self._ask(f"Замена в группе {group}", fields, act)

    def action_generate_all(self) -> None:
        """Preview the year's lessons of every group."""
        if self.period is None:
            self.status("На эту дату нет открытого периода.")
            return
        self._preview(self.period[1], None)

    def action_generate_group(self) -> None:
        """Preview the year's lessons of this group."""
        if self._need_group() and self.period is not None and self.group_id is not None:
            self._preview(self.period[1], [self.group_id])

    @work(thread=True, group="tt-write", exit_on_error=False)
    def _preview(self, year_id: int, groups: list[int] | None) -> None:
        from core.calendar.generate import plan_year

        today = clock.today()
        plan = with_conn(self.session, lambda conn: plan_year(conn, year_id, groups, today))
        self.app.call_from_thread(self._confirm, plan)

    def _confirm(self, plan: YearPlan) -> None:
        from core.calendar.generate import write_plan

        def done(ok: bool | None) -> None:
            if ok:
                self._write(lambda conn: f"Создано занятий: {write_plan(conn, plan)}.")
            else:
                self.last = "Ничего не записано."
                self.status(self.last)
        self.app.push_screen(PreviewDialog("Занятия учебного года по расписанию", plan.lines()), done)

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
