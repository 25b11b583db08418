"""The «Отчёты» section (R8, R9, R11): pick a report, the dates and the dimension; the table
(with a chart where one helps); Enter on a line of the control opens its lesson or cell."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from core.printouts.jobs import DEFAULT_FOLDER
from core.reports import service
from core.reports.attendance import DIMENSIONS as ATTENDANCE_BY
from core.reports.performance import DIMENSIONS as PERFORMANCE_BY
from core.reports.table import ReportTable, to_csv, to_xlsx
from core.session import UserSession
from kernel import clock
from kernel.errors import ValidationError
from tui.screens.base import ShowsWorkerErrors
from tui.screens.reports.kinds import GROUPED, ReportKind, kinds_for
from tui.widgets.keys_footer import KeysFooter

DIMENSION_TITLES = {**PERFORMANCE_BY, **ATTENDANCE_BY}


def parse_day(text: str) -> date:
    """«07.12.2026» (or 2026-12-07) as a date."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"Дата «{text}»: введите в виде ДД.ММ.ГГГГ.", title="Неверная дата")


class ReportsScreen(ShowsWorkerErrors, Screen[None]):
    """Reports of the office, the administration, a teacher (own loads), a curator (group)."""

    CSS_PATH = "reports.tcss"
    HELP: ClassVar[str] = """\
# Отчёты

Отчёты учебной части и администрации (R8, R9, R11; п. 2.2, 3.8, 5.2 Положения):
контроль заполнения журнала (не реже раза в две недели), замечания преподавателям,
успеваемость (средний балл, абсолютная успеваемость, качество, СОУ), посещаемость
(пропуски НУ и НН), выполнение программы (часы по плану и проведённые).
Преподаватель видит отчёты по своим нагрузкам, куратор — по своей группе, учебная
часть, директор, заместители и методист — по всему колледжу.

| клавиша | что делает |
|---|---|
| стрелки | выбрать отчёт слева, строку в таблице |
| **Enter** | в списке — показать отчёт; в таблице — открыть занятие или ячейку журнала |
| **F5** | показать отчёт заново (после смены дат) |
| **F3** | следующий разрез: группа, дисциплина, преподаватель, курс, колледж; студент, месяц |
| **F4** | «Посещаемость»: график пропусков по неделям или по месяцам |
| **F6** / **F7** / **F8** | записать PDF / XLSX / CSV в папку печати |
| **F9** | учебная часть: выставить замечания и записать проверку |
| **F2** | «Задолженности»: назначить дату пересдачи (учебная часть) |
| **F10** | «Сведения для родителей»: напечатать всем студентам группы (Enter — одному) |
| **Tab** | перейти между списком, датами и таблицей |
| **Esc** | назад |

Поле «группа» (например СЭЗ-24-1) отбирает одну группу для прогноза, группы риска и
сведений для родителей; пустое — все доступные группы.

Даты вводятся как ДД.ММ.ГГГГ. **Красным** выделены строки выше порога: пропущено больше
30 % часов, нагрузка отстаёт от плана. НУ — пропуск по уважительной причине,
НН — без уважительной; СОУ — степень обученности; ПЗ, ЛЗ — практические и
лабораторные занятия; КТП — календарно-тематический план.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f5", "show", "Показать"),
        Binding("f3", "next_dimension", "Разрез"),
        Binding("f4", "toggle_weeks", "Недели/месяцы"),
        Binding("f6", "export('pdf')", "Файл PDF"),
        Binding("f7", "export('xlsx')", "Файл XLSX"),
        Binding("f8", "export('csv')", "Файл CSV"),
        Binding("f9", "raise_remarks", "Замечания и проверка"),
        Binding("f10", "print_parents", "Сведения всем"),
        Binding("f2", "retake", "Дата пересдачи"),
    ]

    def __init__(self, session: UserSession, out_folder: Path | None = None, *,
                 start: str | None = None, group: str = "", student: str = "") -> None:
        super().__init__()
        self.session = session
        self.kinds = kinds_for(session.person.roles)
        self.kind: ReportKind = next((k for k in self.kinds if k.key == start), self.kinds[0])
        self.start_group, self.start_student = group, student
        self.dimension = ""
        self.weeks = False
        self.table: ReportTable | None = None
        self.out_folder = out_folder or Path(DEFAULT_FOLDER).expanduser()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="rp-body"):
            yield OptionList(*[Option(k.title, id=k.key) for k in self.kinds], id="rp-kinds")
            with Vertical(id="rp-main"):
                with Horizontal(id="rp-bar"):
                    yield Label("с", classes="rp-label")
                    yield Input(id="rp-from", placeholder="ДД.ММ.ГГГГ")
                    yield Label("по", classes="rp-label")
                    yield Input(id="rp-to", placeholder="ДД.ММ.ГГГГ")
                    yield Label("группа", classes="rp-label")
                    yield Input(id="rp-group", placeholder="все")
                    yield Static("", id="rp-dimension")
                yield Static("Выберите отчёт слева и нажмите Enter.", id="rp-title")
                yield DataTable(id="rp-table", cursor_type="row", zebra_stripes=True)
                yield PlotextPlot(id="rp-chart")
                yield Static("", id="rp-notes")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Отчёты"
        self.query_one("#rp-chart").display = False
        self.query_one("#rp-group", Input).value = self.start_group
        kinds = self.query_one("#rp-kinds", OptionList)
        kinds.highlighted = self.kinds.index(self.kind)
        kinds.focus()
        self._pick(self.kind, show=True)
        if self.start_group:
            self.query_one("#rp-table", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F3 only for reports with dimensions; F9 only for the office and its like."""
        if action == "next_dimension":
            return bool(self.kind.dimensions)
        if action == "toggle_weeks":
            return self.kind.key == "attendance"
        if action == "raise_remarks":
            return self.session.person.has("admin", "director", "deputy", "office",
                                           "methodologist") and self.kind.key.startswith("control")
        if action == "print_parents":
            return self.kind.key == "parents"
        if action == "retake":
            return self.kind.key == "debts" and self.session.person.has("admin", "office")
        return True

    # --- choosing ---------------------------------------------------------------------

    def _pick(self, kind: ReportKind, *, show: bool) -> None:
        self.kind = kind
        self.dimension = kind.dimensions[0] if kind.dimensions else ""
        self._show_dimension()
        self.refresh_bindings()
        self._default_dates(show)

    def _default_dates(self, show: bool) -> None:
        if self.kind.fortnight:
            dates = service.fortnight()
            self._set_dates(dates.first, dates.last, show)
        else:
            self._year_dates(show)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dates")
    def _year_dates(self, show: bool) -> None:
        dates = service.school_year(self.session)
        self.app.call_from_thread(self._set_dates, dates.first, dates.last, show)

    def _set_dates(self, first: date, last: date, show: bool = False) -> None:
        self.query_one("#rp-from", Input).value = f"{first:%d.%m.%Y}"
        self.query_one("#rp-to", Input).value = f"{last:%d.%m.%Y}"
        if show:
            self.action_show()

    def _show_dimension(self) -> None:
        text = f"разрез: [b]{DIMENSION_TITLES[self.dimension].lower()}[/b] (F3)" \
            if self.dimension else ""
        if self.kind.key == "attendance":
            text += f" · график по {'неделям' if self.weeks else 'месяцам'} (F4)"
        self.query_one("#rp-dimension", Static).update(text)

    @on(OptionList.OptionSelected, "#rp-kinds")
    def _kind_selected(self, event: OptionList.OptionSelected) -> None:
        kind = next(k for k in self.kinds if k.key == event.option.id)
        self._pick(kind, show=True)
        self.query_one("#rp-table", DataTable).focus()

    @on(Input.Submitted)
    def _dates_typed(self, _event: Input.Submitted) -> None:
        self.action_show()

    def action_next_dimension(self) -> None:
        """The next dimension of the report (group → discipline → …)."""
        dims = self.kind.dimensions
        if dims:
            self.dimension = dims[(dims.index(self.dimension) + 1) % len(dims)]
            self._show_dimension()
            self.action_show()

    def action_toggle_weeks(self) -> None:
        """Attendance: the chart by week instead of by month, and back."""
        self.weeks = not self.weeks
        self._show_dimension()
        self.action_show()

    # --- showing ----------------------------------------------------------------------

    def _dates(self) -> service.Dates:
        first = parse_day(self.query_one("#rp-from", Input).value)
        last = parse_day(self.query_one("#rp-to", Input).value)
        return service.Dates(first, last)

    def action_show(self) -> None:
        """Build the report for the dates and the dimension (in the background)."""
        self.query_one("#rp-title", Static).update(f"{self.kind.title}: загрузка…")
        self._build(self.kind, self.dimension, self.query_one("#rp-group", Input).value,
                    weeks=self.weeks)

    @work(thread=True, exclusive=True, exit_on_error=False, group="build")
    def _build(self, kind: ReportKind, dimension: str, group: str, *, weeks: bool = False
               ) -> None:
        undated = kind.key in ("remarks", "controls", "parents")
        if not undated and not self.query_one("#rp-from", Input).value:
            return
        dates = service.fortnight() if undated else self._dates()
        table = kind.build(self.session, dates, dimension, group if kind.key in GROUPED else "",
                           weeks=weeks)
        self.app.call_from_thread(self._show_table, table)

    def _show_table(self, table: ReportTable) -> None:
        self.table = table
        self.query_one("#rp-title", Static).update(f"[b]{table.title}[/b] · {table.subtitle}")
        grid = self.query_one("#rp-table", DataTable)
        grid.clear(columns=True)
        grid.add_columns(*table.headers)
        for index, row in enumerate(table.text_rows()):
            cells = [Text(c, style="bold red") if index in table.marked else Text(c) for c in row]
            grid.add_row(*cells, key=str(index))
            if self.start_student and self.start_student in row:
                grid.move_cursor(row=index)
        hint = " · Enter — открыть в журнале" if any(table.jumps) else ""
        empty = ["Нет строк за эти даты."] if not table.rows else []
        self.query_one("#rp-notes", Static).update(
            "\n".join([*empty, *table.notes]) + hint)
        self._draw_chart(table)

    def _draw_chart(self, table: ReportTable) -> None:
        chart = self.query_one("#rp-chart", PlotextPlot)
        chart.display = table.chart is not None
        if table.chart is None:
            return
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        # plotext takes ``labels`` (its type stubs say ``label``)
        plt.multiple_bar(list(table.chart.labels),  # type: ignore[call-arg]
                         [list(v) for _n, v in table.chart.series],
                         labels=[n for n, _v in table.chart.series])
        plt.title(table.chart.title)
        chart.refresh()

    # --- jumping ----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#rp-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if self.table is None:
            return
        if self.kind.key == "parents":
            group, name = self.table.rows[int(str(event.row_key.value))]
            self._print_parents(str(group), str(name))
            return
        target = self.table.jump(int(str(event.row_key.value)))
        if target is None:
            return
        from tui.screens.reports.jump import JournalAtScreen

        self.app.push_screen(JournalAtScreen(self.session, target.load_id, target.lesson_id,
                                             target.student_id))

    def on_screen_resume(self) -> None:
        """Back from the journal: a gap may have been filled."""
        if self.table is not None:
            self.action_show()

    # --- files and the control --------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        """Write the report shown as PDF, XLSX or CSV into the print folder."""
        if self.table is None:
            self.notify("Сначала покажите отчёт.", severity="warning")
            return
        self._export(self.table, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, table: ReportTable, fmt: str) -> None:
        self.out_folder.mkdir(parents=True, exist_ok=True)
        path = self.out_folder / f"{self.kind.key}-{clock.today():%Y-%m-%d}.{fmt}"
        if fmt == "xlsx":
            to_xlsx([table], path)
        elif fmt == "csv":
            path.write_text(to_csv(table), encoding="utf-8-sig")
        else:
            from printing.report import render_report

            render_report([table], service.college(self.session), path)
        self.app.call_from_thread(self.notify, f"Записано: {path}")
        self.last_export = path

    def action_raise_remarks(self) -> None:
        """Raise remarks for the dates' gaps, close the filled ones, record the check."""
        self._raise(self._dates())

    @work(thread=True, exclusive=True, exit_on_error=False, group="raise")
    def _raise(self, dates: service.Dates) -> None:
        raised, closed = service.raise_remarks(self.session, dates)
        number, found = service.record_control(self.session, dates)
        text = (f"Проверка № {number} записана ({found}). Замечаний выставлено: {raised}, "
                f"закрыто исправленных: {closed}.")
        self.app.call_from_thread(self.notify, text, timeout=10)

    def action_print_parents(self) -> None:
        """The parents' reports of every student listed (the whole group in one step)."""
        group = self.query_one("#rp-group", Input).value.strip()
        if not group and len({r[0] for r in (self.table.rows if self.table else ())}) > 1:
            self.notify("Введите группу: сведения печатаются для одной группы.",
                        severity="warning")
            return
        first = self.table.rows[0][0] if self.table and self.table.rows else ""
        self._print_parents(group or str(first), "")

    @work(thread=True, exclusive=True, exit_on_error=False, group="parents")
    def _print_parents(self, group: str, name: str) -> None:
        self.app.call_from_thread(self.notify, "Печать сведений…")
        files = service.print_parents(self.session, group, name, self.out_folder)
        self.printed = files
        where = files[0].path.parent if files else self.out_folder
        self.app.call_from_thread(self.notify, f"Сведения: {len(files)} файл(ов) в {where}",
                                  timeout=10)

    def action_retake(self) -> None:
        """Ask the retake date of the debt under the cursor (the office)."""
        from tui.dialogs.prompt import PromptScreen

        grid = self.query_one("#rp-table", DataTable)
        if self.table is None or not self.table.rows:
            return
        index = grid.cursor_row
        row, target = self.table.rows[index], self.table.jump(index)
        if target is None or target.student_id is None:
            return

        def done(typed: str | None) -> None:
            if typed:
                self._set_retake(target.load_id, str(row[4]), target.student_id, typed)

        self.app.push_screen(PromptScreen(f"Пересдача: {row[1]}, {row[2]}", "дата ДД.ММ.ГГГГ"),
                             done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retake")
    def _set_retake(self, load_id: int, form: str, student_id: int, typed: str) -> None:
        service.set_retake(self.session, load_id, form, student_id, parse_day(typed))
        self.app.call_from_thread(self.action_show)

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()

