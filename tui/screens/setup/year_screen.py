"""«Учебный год»: years, periods, the holiday calendar and the bells (R12), the year change.

The admin (заведующий учебной частью) writes the calendar; the office and others see it.
Everything goes through core/calendar in worker threads, under the person's own login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from kernel import clock
from tui.screens.base import ShowsWorkerErrors
from tui.screens.setup.year_form import FormDialog, PreviewDialog
from tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    import psycopg

    from core.calendar.year import Bell, Holiday, Period, Transfer, Year
    from core.calendar.year_change import YearChange
    from core.session import UserSession

T = TypeVar("T")


def with_conn(session: UserSession, action: Callable[[psycopg.Connection], T]) -> T:
    """Run ``action(connection)`` on the session's connection (call from a worker thread)."""
    with session.cursor() as cur:
        return action(cur.connection)


if TYPE_CHECKING:
    class _SetupScreen(ShowsWorkerErrors[None]):
        """What the mixin below needs of the screen it is mixed into (for the type checker)."""

        session: UserSession
        last: str

        def status(self, text: str) -> None: ...

        def action_reload(self) -> None: ...
else:
    _SetupScreen = object


class FormWrites(_SetupScreen):
    """Mixed into a setup screen whose forms are written in a worker: the answer becomes the
    status line and the screen re-reads what it shows (no screen of its own)."""

    def _ask(self, title: str, fields: list[tuple[str, str, str]],
             action: Callable[[psycopg.Connection, dict[str, str]], str]) -> None:
        """Open a form; its values go to ``action(connection, values)`` in a worker."""
        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._write(lambda conn: action(conn, values))
        self.app.push_screen(FormDialog(title, fields), done)

    @work(thread=True, group="setup-write", exit_on_error=False)
    def _write(self, action: Callable[[psycopg.Connection], str]) -> None:
        message = with_conn(self.session, action)
        self.app.call_from_thread(self._written, message)

    def _written(self, message: str) -> None:
        self.last = message
        self.status(message)
        self.action_reload()


class YearScreen(FormWrites, ShowsWorkerErrors, Screen[None]):
    """The calendar of the chosen academic year."""

    DEFAULT_CSS = """
    #year-body { height: 1fr; }
    #year-left { width: 30; }
    #year-right { width: 1fr; }
    .year-heading { text-style: bold; margin-top: 1; }
    #year-periods, #year-bells { height: auto; max-height: 10; }
    #year-holidays { height: 1fr; }
    #year-status { height: auto; color: $warning; }
    """
    HELP: ClassVar[str] = """\
# Учебный год (R12)

Календарь учебного года, из которого создаются занятия: периоды (семестры), праздники и
переносы рабочих дней (по производственному календарю РФ), каникулы и практика техникума или
одной группы, расписание звонков (пары и академические часы). Меняет заведующий учебной
частью; остальные видят.

| клавиша | действие |
|---|---|
| `↑` `↓` в списке слева | выбрать учебный год |
| `F3` | новый учебный год |
| `F4` | открыть период (семестр) |
| `F5` | праздники и переносы дней по производственному календарю РФ |
| `F6` | каникулы, практика, свой выходной (для группы — укажите её) |
| `F7` | пара в расписании звонков; `Shift+F7` — обычные 6 пар |
| `Delete` | удалить выбранный перерыв |
| `F8` | переход на следующий учебный год (сначала просмотр) |
| `F2` | обновить |
| `Esc` | назад |

«праздник» — выходной по календарю РФ; «рабочий день по переносу» — суббота или выходной,
когда работают по расписанию указанного дня недели.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f3", "new_year", "Новый год"),
        Binding("f4", "new_period", "Период"),
        Binding("f5", "public_holidays", "Праздники РФ"),
        Binding("f6", "new_break", "Перерыв"),
        Binding("f7", "new_bell", "Звонок"),
        Binding("shift+f7", "standard_bells", "Обычные звонки"),
        Binding("delete", "delete_break", "Удалить перерыв"),
        Binding("f8", "year_change", "Переход на след. год"),
        Binding("f2", "reload", "Обновить"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.years: list[Year] = []
        self.holiday_ids: list[int] = []
        self.year: Year | None = None
        self.last = ""
        """What the last action did (kept on the status line when the calendar is read again)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="year-body"):
            with Vertical(id="year-left"):
                yield Label("Учебные годы", classes="year-heading")
                yield DataTable(id="year-years", cursor_type="row")
            with Vertical(id="year-right"):
                yield Label("Периоды", classes="year-heading")
                yield DataTable(id="year-periods", cursor_type="row")
                yield Label("Праздники, каникулы, практика, переносы", classes="year-heading")
                yield DataTable(id="year-holidays", cursor_type="row", zebra_stripes=True)
                yield Label("Звонки", classes="year-heading")
                yield DataTable(id="year-bells", cursor_type="row")
        yield Static("", id="year-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Учебный год"
        self.query_one("#year-years", DataTable).add_columns("Год", "Даты")
        self.query_one("#year-periods", DataTable).add_columns("№", "Период", "С", "По", "")
        self.query_one("#year-holidays", DataTable).add_columns("С", "По", "Что", "Вид", "Группа")
        self.query_one("#year-bells", DataTable).add_columns("Пара", "Начало", "Конец", "Часов")
        self.query_one("#year-years", DataTable).focus()
        self.action_reload()

    def status(self, text: str) -> None:
        self.query_one("#year-status", Static).update(text)

    # --- reading ----------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the years again."""
        self._load_years()

    @work(thread=True, exclusive=True, group="year-read", exit_on_error=False)
    def _load_years(self) -> None:
        from core.calendar.year import list_years

        years = with_conn(self.session, list_years)
        self.app.call_from_thread(self._show_years, years)

    def _show_years(self, years: list[Year]) -> None:
        self.years = years
        table = self.query_one("#year-years", DataTable)
        table.clear()
        for y in years:
            table.add_row(y.title + (" (архив)" if y.archived else ""),
                          f"{y.starts_on:%d.%m.%y}–{y.ends_on:%d.%m.%y}")
        if not years:
            self.status("Учебных лет нет: F3 — создать.")
            return
        today = clock.today()
        current = next((i for i, y in enumerate(years) if y.starts_on <= today <= y.ends_on), 0)
        if self.year is not None:
            current = next((i for i, y in enumerate(years) if y.year_id == self.year.year_id), current)
        table.move_cursor(row=current)
        self._select(current)

    @on(DataTable.RowHighlighted, "#year-years")
    def _year_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._select(event.cursor_row)

    def _select(self, row: int) -> None:
        if 0 <= row < len(self.years):
            self.year = self.years[row]
            self._load_year(self.year)

    @work(thread=True, exclusive=True, group="year-detail", exit_on_error=False)
    def _load_year(self, year: Year) -> None:
        from core.calendar import year as cal

        def read(conn: psycopg.Connection) -> tuple[
                list[Period], list[Holiday], list[Transfer], list[Bell]]:
            return (cal.list_periods(conn, year.year_id), cal.list_holidays(conn, year.year_id),
                    cal.list_transfers(conn, year.year_id), cal.list_bells(conn, year.year_id))
        self.app.call_from_thread(self._show_year, *with_conn(self.session, read))

    def _show_year(self, periods: list[Period], holidays: list[Holiday],
                   transfers: list[Transfer], bells: list[Bell]) -> None:
        from core.calendar.year import WEEKDAYS

        table = self.query_one("#year-periods", DataTable)
        table.clear()
        for p in periods:
            table.add_row(p.number, p.title, f"{p.starts_on:%d.%m.%Y}", f"{p.ends_on:%d.%m.%Y}",
                          "закрыт" if p.closed else "")
        table = self.query_one("#year-holidays", DataTable)
        table.clear()
        self.holiday_ids = [h.holiday_id for h in holidays]
        for h in holidays:
            table.add_row(f"{h.starts_on:%d.%m.%Y}", f"{h.ends_on:%d.%m.%Y}", h.title, h.kind, h.group)
        for t in transfers:
            table.add_row(f"{t.work_date:%d.%m.%Y}", "",
                          f"рабочий день (расписание: {WEEKDAYS[t.as_weekday]})", "перенос", "")
        table = self.query_one("#year-bells", DataTable)
        table.clear()
        for b in bells:
            table.add_row(b.pair_no, f"{b.starts_at:%H:%M}", f"{b.ends_at:%H:%M}", b.hours)
        missing = [name for name, rows in (("периодов", periods), ("звонков", bells),
                                            ("праздников", holidays)) if not rows]
        self.status(" ".join(filter(None, [self.last, f"Нет {', '.join(missing)}." if missing else ""])))

    # --- writing ----------------------------------------------------------------------

    def _need_year(self) -> Year | None:
        if self.year is None:
            self.status("Сначала создайте учебный год (F3).")
        return self.year

    def action_new_year(self) -> None:
        """A new academic year."""
        from core.calendar.year import add_year, parse_date

        start = clock.today().year + (1 if clock.today().month >= 6 else 0)
        fields = [("title", "Учебный год (2026/2027)", f"{start}/{start + 1}"),
                  ("starts", "Начало, ДД.ММ.ГГГГ", f"01.09.{start}"),
                  ("ends", "Конец, ДД.ММ.ГГГГ", f"31.08.{start + 1}")]

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            add_year(conn, v["title"].strip(), parse_date(v["starts"], "Начало"),
                     parse_date(v["ends"], "Конец"))
            return f"Учебный год {v['title']} создан."
        self._ask("Новый учебный год", fields, act)

    def action_new_period(self) -> None:
        """Open a period of the year."""
        from core.calendar.year import add_period, parse_date

        chosen = self._need_year()
        if chosen is None:
            return
        y = chosen.starts_on.year
        fields = [("number", "Номер периода (1–4)", "1"), ("title", "Название (можно пусто)", ""),
                  ("starts", "Начало, ДД.ММ.ГГГГ", f"01.09.{y}"), ("ends", "Конец, ДД.ММ.ГГГГ", f"31.12.{y}")]
        year_id = chosen.year_id

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            number = int(v["number"]) if v["number"].strip().isdigit() else 0
            add_period(conn, year_id, number, parse_date(v["starts"], "Начало"),
                       parse_date(v["ends"], "Конец"), v["title"])
            return f"Период {number} открыт."
        self._ask("Открыть период", fields, act)

    def action_public_holidays(self) -> None:
        """Add the Russian public holidays and transfers of the year."""
        from core.calendar.year import import_public_holidays

        year = self._need_year()
        if year is None:
            return

        def act(conn: psycopg.Connection) -> str:
            done = import_public_holidays(conn, year)
            return f"Добавлено праздников: {done.holidays}; переносов рабочих дней: {done.transfers}."
        self._write(act)

    def action_new_break(self) -> None:
        """Add a vacation, practice weeks or a college day off."""
        from core.calendar.year import add_holiday, parse_date

        chosen = self._need_year()
        if chosen is None:
            return
        fields = [("starts", "С, ДД.ММ.ГГГГ", ""), ("ends", "По, ДД.ММ.ГГГГ", ""),
                  ("title", "Название (Зимние каникулы, Учебная практика…)", ""),
                  ("kind", "Вид: каникулы, практика или праздник", "каникулы"),
                  ("group", "Только для группы (пусто — для всех)", "")]
        year_id = chosen.year_id

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            add_holiday(conn, year_id, parse_date(v["starts"], "С"), parse_date(v["ends"], "По"),
                        v["title"], v["kind"].strip(), v["group"])
            return f"Добавлено: {v['title']}."
        self._ask("Каникулы, практика, выходной", fields, act)

    def action_delete_break(self) -> None:
        """Delete the highlighted break."""
        from core.calendar.year import delete_holiday

        row = self.query_one("#year-holidays", DataTable).cursor_row
        if not 0 <= row < len(self.holiday_ids):
            self.status("Выберите перерыв в списке (переносы удаляются командой).")
            return
        holiday_id = self.holiday_ids[row]

        def act(conn: psycopg.Connection) -> str:
            delete_holiday(conn, holiday_id)
            return "Перерыв удалён."
        self._write(act)

    def action_new_bell(self) -> None:
        """Add or change one пара of the bells."""
        from core.calendar.year import Bell, parse_time, set_bell

        chosen = self._need_year()
        if chosen is None:
            return
        fields = [("pair", "Пара (1–8)", "1"), ("starts", "Начало, ЧЧ:ММ", "08:30"),
                  ("ends", "Конец, ЧЧ:ММ", "10:00"), ("hours", "Академических часов (1–4)", "2")]
        year_id = chosen.year_id

        def act(conn: psycopg.Connection, v: dict[str, str]) -> str:
            pair = int(v["pair"]) if v["pair"].strip().isdigit() else 0
            hours = int(v["hours"]) if v["hours"].strip().isdigit() else 0
            set_bell(conn, year_id, Bell(pair, parse_time(v["starts"], "Начало"),
                                         parse_time(v["ends"], "Конец"), hours))
            return f"Пара {pair} записана."
        self._ask("Расписание звонков", fields, act)

    def action_standard_bells(self) -> None:
        """Six пары of two hours."""
        from core.calendar.year import copy_bells

        chosen = self._need_year()
        if chosen is None:
            return
        year_id = chosen.year_id
        self._write(lambda conn: f"Записано пар: {copy_bells(conn, None, year_id)}.")

    def action_year_change(self) -> None:
        """Preview the change to the next year, then apply it."""
        chosen = self._need_year()
        if chosen is not None:
            self._plan_change(chosen)

    @work(thread=True, group="year-write", exit_on_error=False)
    def _plan_change(self, year: Year) -> None:
        from core.calendar.year_change import plan_change

        change = with_conn(self.session, lambda conn: plan_change(conn, year))
        self.app.call_from_thread(self._confirm_change, change)

    def _confirm_change(self, change: YearChange) -> None:
        from core.calendar.year_change import apply_change

        def act(conn: psycopg.Connection) -> str:
            apply_change(conn, change)
            return f"Открыт учебный год {change.new_title}."

        def done(ok: bool | None) -> None:
            if ok:
                self._write(act)
        self.app.push_screen(PreviewDialog("Переход на следующий учебный год", change.lines()), done)

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()
