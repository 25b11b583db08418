"""Use-cases of the journal page: pick a load, read its page, save what was typed.

Called from worker threads of the interface; every query runs on the person's own
connection, so row-level security decides which loads, students and cells come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.grading.finals import RoundingRule, final_mark, format_decimal
from core.grading.forecast import DatedMark, StudentRecord, forecast_student
from core.journal.load_sql import LOAD_NAMES
from core.journal.page import (
    Cell,
    JournalPage,
    LessonColumn,
    MarkEntry,
    StudentRow,
    StudentSummary,
)
from core.people.study import Movement, away_cells, left_group_on
from core.session import READ_ALL_ROLES, UserSession
from kernel import clock
from kernel.marks import Attendance, MarkValue, StatementValue
from kernel.text import short_name, short_name_sql


@dataclass(frozen=True)
class LoadInfo:
    """A teaching load as listed for choosing a page."""

    load_id: int
    group_name: str
    subgroup_name: str
    discipline: str
    period_title: str
    teacher_name: str
    is_mine: bool
    current: bool

    @property
    def label(self) -> str:
        """«СЭЗ-24-1 (1 подгр.) · Инженерная графика · I семестр 2026/2027»."""
        group = f"{self.group_name} ({self.subgroup_name})" if self.subgroup_name else self.group_name
        return f"{group} · {self.discipline} · {self.period_title}"


@dataclass(frozen=True)
class TodayLesson:
    """A lesson of today's timetable for the person."""

    load_id: int
    pair_no: int
    group_name: str
    discipline: str
    room: str
    lesson_id: int | None


@dataclass
class PageData:
    """A loaded page and what the screen needs around it."""

    page: JournalPage
    load_id: int
    teacher_id: int
    read_only: bool
    closed: bool
    period_start: date
    period_end: date
    lesson_hours: dict[int, int] = field(default_factory=dict)
    statement: dict[int, str] = field(default_factory=dict)
    lessons_planned: int = 0
    """Lessons the load plans for the period (its hours / 2); 0 until the page is read."""

    @property
    def planned(self) -> int:
        """The lessons planned, or those on the page when the plan is unknown (at least 1)."""
        return max(1, self.lessons_planned or len(self.page.lessons))


LOADS = f"""
SELECT t.id, g.name, coalesce(sg.name, ''), d.title, p.title || ' ' || y.title,
       {short_name_sql('tp', 1)}, t.teacher_id = %(me)s,
       %(today)s::date BETWEEN y.starts_on AND y.ends_on
  FROM journal.teaching_load t{LOAD_NAMES}
  JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE NOT %(narrow)s OR t.teacher_id = %(me)s
    OR g.curator_id = %(me)s
    OR EXISTS (SELECT FROM journal.lesson l WHERE l.load_id = t.id AND l.taught_by = %(me)s)
    OR EXISTS (SELECT FROM journal.substitution x WHERE x.load_id = t.id AND x.substitute_id = %(me)s)
 ORDER BY (t.teacher_id = %(me)s) DESC, (%(today)s::date BETWEEN p.starts_on AND p.ends_on) DESC,
          (p.starts_on <= %(today)s::date) DESC, p.starts_on DESC, g.name, d.title, sg.name
"""

TODAY = """
SELECT t.id, s.pair_no, g.name || coalesce(' (' || sg.name || ')', ''), d.title, s.room,
       (SELECT l.id FROM journal.lesson l WHERE l.load_id = t.id AND l.lesson_date = %(day)s
         AND l.pair_no = s.pair_no)
  FROM journal.timetable_slot s
  JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE t.teacher_id = %(me)s AND %(day)s BETWEEN p.starts_on AND p.ends_on
   AND s.weekday = extract(isodow FROM %(day)s::date)
   AND (s.week_parity = 'all' OR s.week_parity =
        CASE WHEN ((%(day)s::date - date_trunc('week', p.starts_on)::date) / 7) %% 2 = 0
             THEN 'odd' ELSE 'even' END)
UNION ALL
SELECT t.id, x.pair_no, g.name || coalesce(' (' || sg.name || ')', ''), d.title || ' (замена)', '',
       (SELECT l.id FROM journal.lesson l WHERE l.load_id = t.id AND l.lesson_date = x.on_date
         AND l.pair_no = x.pair_no)
  FROM journal.substitution x
  JOIN journal.teaching_load t ON t.id = x.load_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE x.substitute_id = %(me)s AND x.on_date = %(day)s
 ORDER BY 2
"""


def list_loads(session: UserSession) -> list[LoadInfo]:
    """The loads the person works with, their own first, the current period first.

    The office, the administration and support staff list every load the database shows
    them; a teacher lists their own loads, the lessons they substituted and their curated
    group's loads (other pages of their groups would open empty: row-level security shows
    a teacher only the marks of their own teaching).
    """
    person = session.person
    narrow = not person.has(*READ_ALL_ROLES, "support")
    with session.cursor() as cur:
        args = {"me": person.person_id, "narrow": narrow, "today": clock.today()}
        rows = cur.execute(LOADS, args).fetchall()
    return [LoadInfo(*row) for row in rows]


def todays_lessons(session: UserSession, day: date | None = None) -> list[TodayLesson]:
    """The person's lessons of ``day`` (default today) from the timetable."""
    params = {"me": session.person.person_id, "day": day or clock.today()}
    with session.cursor() as cur:
        rows = cur.execute(TODAY, params).fetchall()
    return [TodayLesson(*row) for row in rows]


def rounding_rule(session: UserSession) -> RoundingRule:
    """The rounding rule setting (R7), default half up."""
    with session.cursor() as cur:
        row = cur.execute("SELECT value #>> '{}' FROM journal.setting WHERE key = 'rounding_rule'").fetchone()
    try:
        return RoundingRule(row[0]) if row else RoundingRule.HALF_UP
    except ValueError:
        return RoundingRule.HALF_UP


def load_page(session: UserSession, load_id: int) -> PageData:
    """Read one page and compute its right-hand columns (count, mean, final, forecast)."""
    from core.journal.queries import read_page
    from kernel.errors import AccessDenied

    whole = session.person.has(*READ_ALL_ROLES, "support", "teacher")
    with session.cursor() as cur:
        rows = read_page(cur.connection, load_id, whole=whole)
    if not rows["info"]:
        raise AccessDenied("Эта страница журнала недоступна: нагрузка не найдена или нет прав.")
    data = _build_page(rows, session.person.has("teacher", "office", "admin", "curator"))
    _fill_summaries(data, rows, rounding_rule(session))
    return data


def _page_title(info: tuple[Any, ...], teacher: str) -> str:
    group = f"{info[8]} ({info[9]})" if info[9] else info[8]
    return f"{group} · {info[10]} · {info[11]} · {teacher}"


def _short_name(person: tuple[str, str, str] | None, initials: int = 2) -> str:
    """«Емельянов Г. М.» (or one initial)."""
    if person is None:
        return ""
    return short_name(*person, initials=initials)


def _build_page(rows: dict[str, list[tuple[Any, ...]]], may_write: bool) -> PageData:
    info = rows["info"][0]
    people = {pid: (surname, name, patronymic) for pid, surname, name, patronymic in rows["people"]}
    found = [(people[sid], sid, sub) for sid, sub in rows["students"] if sid in people]
    movements = _movements(rows)
    students = tuple(StudentRow(sid, who[0], who[1], _subgroup_no(sub),
                                left_group_on(movements.get(sid, ()), int(info[2])))
                     for who, sid, sub in sorted(found, key=lambda r: (*r[0], r[1])))
    lessons = tuple(LessonColumn(lid, day, pair, short, topic, _short_name(people.get(who), 1),
                                 bool(sub), kind)
                    for lid, day, pair, short, topic, who, sub, kind, _h in rows["lessons"])
    page = JournalPage(_page_title(info, _short_name(people.get(info[5]))), students, lessons,
                       pass_fail=bool(info[6]))
    page.away = away_cells(movements, int(info[2]), [(row[0], row[1]) for row in rows["lessons"]])
    cells = cells_from_rows(rows)
    page.cells = {key: cell for key, cell in cells.items() if key[0] in page.row_of}
    return PageData(
        page=page, load_id=info[0], teacher_id=info[5], read_only=not may_write,
        closed=bool(info[14]), period_start=info[12], period_end=info[13],
        lesson_hours={row[0]: row[8] for row in rows["lessons"]},
        statement={sid: value for sid, value, _form, _closed in rows["statement"]},
    )


def _movements(rows: dict[str, list[tuple[Any, ...]]]) -> dict[int, list[Movement]]:
    """The page's students' movements (:mod:`core.people.study`), by student."""
    movements: dict[int, list[Movement]] = {}
    for sid, kind, on_date, group, until_on in rows.get("movements", []):
        movements.setdefault(sid, []).append(Movement(kind, on_date, group, until_on))
    return movements


def read_page_cells(session: UserSession, load_id: int) -> dict[tuple[int, int], Cell]:
    """The cells of one page as the database holds them now (to refresh an open page).

    Raises:
        ServerError: the server cannot be reached (a refresh may then simply wait).
        EJournalError: any other refusal.
    """
    import psycopg

    from core.journal.queries import read_cells
    from db.errors import translate

    try:
        with session.cursor() as cur:
            return cells_from_rows(read_cells(cur.connection, load_id))
    except psycopg.Error as exc:
        raise translate(exc) from exc


def cells_from_rows(rows: dict[str, list[tuple[Any, ...]]]) -> dict[tuple[int, int], Cell]:
    """Cells keyed (student, lesson) from the ``marks`` and ``attendance`` rows of a load."""
    cells: dict[tuple[int, int], Cell] = {}
    for sid, lid, kind, value in rows["marks"]:
        cell = cells.get((sid, lid), Cell())
        cells[(sid, lid)] = Cell((*cell.marks, MarkEntry(kind, MarkValue(value))), cell.attendance)
    for sid, lid, code in rows["attendance"]:
        cell = cells.get((sid, lid), Cell())
        cells[(sid, lid)] = Cell(cell.marks, Attendance(code))
    return cells


def _subgroup_no(name: str | None) -> int | None:
    digits = "".join(ch for ch in (name or "") if ch.isdigit())
    return int(digits) if digits else None


def _fill_summaries(data: PageData, rows: dict[str, list[tuple[Any, ...]]], rule: RoundingRule) -> None:
    page = data.page
    data.lessons_planned = max(1, int(rows["info"][0][7]) // 2)
    for student in page.students:
        data.page.summaries[student.student_id] = student_summary(data, student.student_id,
                                                                  data.planned, rule)


def student_summary(data: PageData, student_id: int, lessons_planned: int,
                    rule: RoundingRule = RoundingRule.HALF_UP) -> StudentSummary:
    """Count, mean, final mark (R7: statement mark wins) and forecast (R9) of one row."""
    page = data.page
    record = _student_record(data, student_id, lessons_planned)
    marks = [d.value for d in record.marks]
    statement = data.statement.get(student_id)
    final = final_mark(marks, StatementValue(statement) if statement else None, page.pass_fail, rule)
    forecast = forecast_student(record, rule)
    mean = format_decimal(final.mean) if final.mean is not None else ""
    shown_final = final.text + ("*" if final.source == "statement" else "")
    return StudentSummary(str(len(marks)) if marks else "", mean, shown_final,
                          forecast.predicted_text if forecast.predicted else "")


def _student_record(data: PageData, student_id: int, lessons_planned: int) -> StudentRecord:
    """What the forecast knows of one row: its marks and the hours missed (НУ, НН)."""
    page = data.page
    dated: list[DatedMark] = []
    excused = unexcused = 0
    for lesson in page.lessons:
        cell = page.cell(student_id, lesson.lesson_id)
        dated.extend(DatedMark(lesson.date, m.value, m.work_kind) for m in cell.marks)
        hours = data.lesson_hours.get(lesson.lesson_id, 2)
        if cell.attendance is Attendance.EXCUSED:
            excused += hours
        elif cell.attendance is Attendance.UNEXCUSED:
            unexcused += hours
    return StudentRecord(student_id, dated, lessons_planned, len(page.lessons), excused,
                         unexcused, pass_fail=page.pass_fail)


def forecast_reasons(data: PageData, student_id: int, lessons_planned: int | None = None,
                     rule: RoundingRule = RoundingRule.HALF_UP) -> str:
    """The forecast's reasoning for one student, in Russian (shown on request).

    The same record as the row's «Прогноз» column (:func:`student_summary`), absences included,
    so the explanation never contradicts the mark shown in the grid.
    """
    planned = lessons_planned if lessons_planned is not None else data.planned
    forecast = forecast_student(_student_record(data, student_id, planned), rule)
    explanation = forecast.explanation
    return (f"Прогноз: {forecast.predicted_text} ({forecast.risk}). "
            f"{explanation[:1].upper()}{explanation[1:]}")
