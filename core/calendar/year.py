"""The academic year (R12): years, periods, the holiday calendar and the bells.

The calendar lives in the database (``journal.academic_year``, ``period``, ``holiday``,
``workday_transfer``, ``bell``) so that what the lessons are generated from is exactly what
the admin sees and may correct. Russian public holidays and the government's day transfers
come from the ``holidays`` package once, on :func:`import_public_holidays`; the college's own
breaks and practice weeks (of the whole college or of one group) are added by hand.

Every function takes the person's own connection: the database decides who may write (the
admin) and refuses others with a Russian message (:func:`db.errors.translate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from core.calendar.lessons import public_holidays, transferred_workdays
from kernel.errors import ValidationError

if TYPE_CHECKING:
    import psycopg

HOLIDAY_KINDS = ("каникулы", "праздник", "практика")
WEEKDAYS = ("", "пн", "вт", "ср", "чт", "пт", "сб", "вс")


@dataclass(frozen=True)
class Year:
    """An academic year."""

    year_id: int
    title: str
    starts_on: date
    ends_on: date
    archived: bool


@dataclass(frozen=True)
class Period:
    """A study period (semester) of a year."""

    period_id: int
    year_id: int
    number: int
    title: str
    starts_on: date
    ends_on: date
    closed: bool


@dataclass(frozen=True)
class Holiday:
    """A range of days without lessons: a vacation, a public holiday or practice weeks."""

    holiday_id: int
    starts_on: date
    ends_on: date
    title: str
    kind: str
    group: str = ""


@dataclass(frozen=True)
class Bell:
    """One пара of the bell schedule."""

    pair_no: int
    starts_at: time
    ends_at: time
    hours: int


@dataclass(frozen=True)
class Transfer:
    """A weekend day that works by the government's transfer."""

    work_date: date
    as_weekday: int
    title: str


def run(conn: psycopg.Connection, sql: str, args: Any = None, reason: str = "") -> list[tuple[Any, ...]]:
    """One statement in its own transaction; a refusal becomes the person's Russian error."""
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    try:
        with transaction(conn, reason):
            cur = conn.execute(sql, args)
            return cur.fetchall() if cur.description else []
    except psycopg.Error as exc:
        raise translate(exc) from exc


def rows(conn: psycopg.Connection, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
    """A read; a refusal becomes the person's Russian error."""
    import psycopg

    from db.errors import translate

    try:
        return conn.execute(sql, args).fetchall()
    except psycopg.Error as exc:
        raise translate(exc) from exc


def parse_date(text: str, what: str = "Дата") -> date:
    """``ДД.ММ.ГГГГ`` (or ISO) as a date, or a Russian error naming ``what``."""
    text = text.strip()
    for parse in (_dotted, date.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    raise ValidationError(f"{what}: «{text}» — такой даты нет (пишите ДД.ММ.ГГГГ).")


def _dotted(text: str) -> date:
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


def parse_time(text: str, what: str) -> time:
    """``ЧЧ:ММ`` as a time, or a Russian error naming ``what``."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ValidationError(f"{what}: «{text}» — нужно время ЧЧ:ММ, например 08:30.") from exc


def list_years(conn: psycopg.Connection) -> list[Year]:
    """Every academic year, the newest first."""
    return [Year(*r) for r in rows(conn, """
        SELECT id, title, starts_on, ends_on, archived_at IS NOT NULL
          FROM journal.academic_year ORDER BY starts_on DESC""")]


def find_year(conn: psycopg.Connection, title: str) -> Year:
    """The year titled ``2026/2027``, or a Russian error."""
    for year in list_years(conn):
        if year.title == title.strip():
            return year
    raise ValidationError(f"Учебного года «{title}» нет: сначала создайте его.")


def default_year_title(starts_on: date) -> str:
    """``2026/2027`` for a year starting in 2026."""
    return f"{starts_on.year}/{starts_on.year + 1}"


def add_year(conn: psycopg.Connection, title: str, starts_on: date, ends_on: date) -> int:
    """Create an academic year; returns its id.

    Raises:
        ValidationError: a title not like ``2026/2027`` or the end not after the start.
    """
    first, _, second = title.partition("/")
    if not (first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
        raise ValidationError(f"Учебный год «{title}»: пишите как 2026/2027.", field="title")
    if ends_on <= starts_on:
        raise ValidationError("Конец учебного года должен быть позже начала.", field="ends_on")
    found = run(conn, """INSERT INTO journal.academic_year (title, starts_on, ends_on)
                         VALUES (%s, %s, %s) RETURNING id""", (title, starts_on, ends_on))
    return int(found[0][0])


def list_periods(conn: psycopg.Connection, year_id: int) -> list[Period]:
    """The year's periods in order."""
    return [Period(*r) for r in rows(conn, """
        SELECT id, year_id, number, title, starts_on, ends_on, closed_at IS NOT NULL
          FROM journal.period WHERE year_id = %s ORDER BY number""", (year_id,))]


def add_period(conn: psycopg.Connection, year_id: int, number: int, starts_on: date,
               ends_on: date, title: str = "") -> int:
    """Open a study period (semester) of the year; returns its id."""
    if not 1 <= number <= 4:
        raise ValidationError("Номер периода — от 1 до 4.", field="number")
    if ends_on <= starts_on:
        raise ValidationError("Конец периода должен быть позже начала.", field="ends_on")
    title = title.strip() or f"{_roman(number)} семестр"
    found = run(conn, """INSERT INTO journal.period (year_id, number, title, starts_on, ends_on)
                         VALUES (%s, %s, %s, %s, %s) RETURNING id""",
                (year_id, number, title, starts_on, ends_on))
    return int(found[0][0])


def _roman(number: int) -> str:
    return ("", "I", "II", "III", "IV")[number]


def list_holidays(conn: psycopg.Connection, year_id: int) -> list[Holiday]:
    """The year's days without lessons, in date order."""
    return [Holiday(*r) for r in rows(conn, """
        SELECT h.id, h.starts_on, h.ends_on, h.title, h.kind, coalesce(g.name, '')
          FROM journal.holiday h LEFT JOIN journal.study_group g ON g.id = h.group_id
         WHERE h.year_id = %s ORDER BY h.starts_on, h.ends_on, h.title""", (year_id,))]


def add_holiday(conn: psycopg.Connection, year_id: int, starts_on: date, ends_on: date,
                title: str, kind: str = "каникулы", group_name: str = "") -> int:
    """Add a break: vacation, holiday or practice weeks (of one group when named)."""
    if kind not in HOLIDAY_KINDS:
        raise ValidationError(f"Вид «{kind}»: допустимы {', '.join(HOLIDAY_KINDS)}.", field="kind")
    if ends_on < starts_on:
        raise ValidationError("Конец перерыва раньше его начала.", field="ends_on")
    if not title.strip():
        raise ValidationError("Напишите название (например, «Зимние каникулы»).", field="title")
    group_id = group_by_name(conn, group_name) if group_name.strip() else None
    found = run(conn, """INSERT INTO journal.holiday (year_id, starts_on, ends_on, title, kind, group_id)
                         VALUES (%s, %s, %s, %s, %s, %s) RETURNING id""",
                (year_id, starts_on, ends_on, title.strip(), kind, group_id))
    return int(found[0][0])


def delete_holiday(conn: psycopg.Connection, holiday_id: int) -> None:
    """Remove one break."""
    run(conn, "DELETE FROM journal.holiday WHERE id = %s", (holiday_id,))


def group_by_name(conn: psycopg.Connection, name: str) -> int:
    """The id of the group ``name``, or a Russian error."""
    found = rows(conn, "SELECT id FROM journal.study_group WHERE upper(name) = upper(%s)",
                 (name.strip(),))
    if not found:
        raise ValidationError(f"Группы «{name}» нет.", field="group")
    return int(found[0][0])


def list_transfers(conn: psycopg.Connection, year_id: int) -> list[Transfer]:
    """The year's working days by transfer."""
    return [Transfer(*r) for r in rows(conn, """
        SELECT work_date, as_weekday, title FROM journal.workday_transfer
         WHERE year_id = %s ORDER BY work_date""", (year_id,))]


@dataclass(frozen=True)
class HolidayImport:
    """What :func:`import_public_holidays` added."""

    holidays: int
    transfers: int


def holiday_ranges(start: date, end: date) -> list[tuple[date, date, str]]:
    """Russian public holidays and transferred days off, consecutive days as one range named
    by its first day's holiday."""
    ranges: list[tuple[date, date, str]] = []
    for day, name in public_holidays(start, end).items():
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            first, _, title = ranges[-1]
            ranges[-1] = (first, day, title)
        else:
            ranges.append((day, day, name))
    return ranges


def import_public_holidays(conn: psycopg.Connection, year: Year) -> HolidayImport:
    """Add the Russian public holidays and the government's transfers of the year (from the
    ``holidays`` package); a range or transfer already there is not added again."""
    ranges = holiday_ranges(year.starts_on, year.ends_on)
    years = range(year.starts_on.year, year.ends_on.year + 1)
    transfers = {d: w for d, w in transferred_workdays(years).items()
                 if year.starts_on <= d <= year.ends_on and w <= 6}
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    added = moved = 0
    try:
        with transaction(conn):
            for first, last, title in ranges:
                cur = conn.execute(
                    """INSERT INTO journal.holiday (year_id, starts_on, ends_on, title, kind)
                       SELECT %s, %s, %s, %s, 'праздник'
                        WHERE NOT EXISTS (SELECT FROM journal.holiday h WHERE h.year_id = %s
                                            AND h.starts_on = %s AND h.ends_on = %s
                                            AND h.group_id IS NULL)""",
                    (year.year_id, first, last, title, year.year_id, first, last))
                added += cur.rowcount
            for day, weekday in transfers.items():
                cur = conn.execute(
                    """INSERT INTO journal.workday_transfer (year_id, work_date, as_weekday, title)
                       VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING""",
                    (year.year_id, day, weekday,
                     f"рабочий день по переносу (расписание: {WEEKDAYS[weekday]})"))
                moved += cur.rowcount
    except psycopg.Error as exc:
        raise translate(exc) from exc
    return HolidayImport(added, moved)


def add_transfer(conn: psycopg.Connection, year_id: int, work_date: date, as_weekday: int,
                 title: str = "") -> None:
    """Record a working day by transfer that follows ``as_weekday``'s timetable."""
    if not 1 <= as_weekday <= 6:
        raise ValidationError("День недели расписания — от 1 (пн) до 6 (сб).", field="as_weekday")
    run(conn, """INSERT INTO journal.workday_transfer (year_id, work_date, as_weekday, title)
                 VALUES (%s, %s, %s, %s)
                 ON CONFLICT (year_id, work_date) DO UPDATE SET as_weekday = EXCLUDED.as_weekday,
                                                               title = EXCLUDED.title""",
        (year_id, work_date, as_weekday, title))


def list_bells(conn: psycopg.Connection, year_id: int) -> list[Bell]:
    """The year's bell schedule."""
    return [Bell(*r) for r in rows(conn, """
        SELECT pair_no, starts_at, ends_at, hours FROM journal.bell
         WHERE year_id = %s ORDER BY pair_no""", (year_id,))]


def set_bell(conn: psycopg.Connection, year_id: int, bell: Bell) -> None:
    """Add or change one пара of the bell schedule."""
    if not 1 <= bell.pair_no <= 8:
        raise ValidationError("Номер пары — от 1 до 8.", field="pair_no")
    if bell.ends_at <= bell.starts_at:
        raise ValidationError(f"Пара {bell.pair_no}: конец должен быть позже начала.", field="ends_at")
    if not 1 <= bell.hours <= 4:
        raise ValidationError("Академических часов в паре — от 1 до 4.", field="hours")
    run(conn, """INSERT INTO journal.bell (year_id, pair_no, starts_at, ends_at, hours)
                 VALUES (%s, %s, %s, %s, %s)
                 ON CONFLICT (year_id, pair_no) DO UPDATE
                    SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                        hours = EXCLUDED.hours""",
        (year_id, bell.pair_no, bell.starts_at, bell.ends_at, bell.hours))


STANDARD_BELLS = (Bell(1, time(8, 30), time(10, 0), 2), Bell(2, time(10, 10), time(11, 40), 2),
                  Bell(3, time(12, 20), time(13, 50), 2), Bell(4, time(14, 0), time(15, 30), 2),
                  Bell(5, time(15, 40), time(17, 10), 2), Bell(6, time(17, 20), time(18, 50), 2))
"""A usual college's пары, offered when a year has no bells yet."""


def copy_bells(conn: psycopg.Connection, from_year: int | None, to_year: int) -> int:
    """The new year's bells: those of ``from_year``, else :data:`STANDARD_BELLS`."""
    bells = list_bells(conn, from_year) if from_year else []
    for bell in bells or STANDARD_BELLS:
        set_bell(conn, to_year, bell)
    return len(bells or STANDARD_BELLS)
