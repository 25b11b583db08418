"""Is a date a day off for the college: Sunday (a six-day week), a public holiday, or a
break of the college's calendar (``journal.holiday``: каникулы, праздник, практика)?

F6 (a lesson the timetable did not have) asks before creating a lesson on such a date; a
Sunday make-up lesson is legitimate, a lesson on 01.01 typed by mistake is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.calendar.lessons import public_holidays, transferred_workdays
from core.session import UserSession

SUNDAY = 6

BREAKS = """
SELECT h.title, h.kind FROM journal.holiday h
 WHERE %(day)s BETWEEN h.starts_on AND h.ends_on
 ORDER BY h.starts_on
"""


def day_off_reason(day: date, breaks: Iterable[tuple[str, str]] = ()) -> str | None:
    """Why ``day`` is not a study day («воскресенье», «праздник: Новый год», «каникулы:
    Зимние каникулы»), None when it is one. ``breaks`` are (title, kind) of the college's
    calendar rows covering the day."""
    for title, kind in breaks:
        return f"{kind}: {title}" if title and title != kind else kind
    holiday = public_holidays(day, day).get(day)
    if holiday is not None:
        return f"праздник: {holiday}"
    if day.weekday() == SUNDAY and day not in transferred_workdays([day.year]):
        return "воскресенье"
    return None


def read_day_off(session: UserSession, day: date) -> str | None:
    """:func:`day_off_reason` with the college's calendar read through the person's connection."""
    with session.cursor() as cur:
        rows = cur.execute(BREAKS, {"day": day}).fetchall()
    return day_off_reason(day, [(str(title), str(kind)) for title, kind in rows])


def day_off_question(day: date, reason: str) -> str:
    """The question F6 asks before creating a lesson on a day off."""
    return (f"{day:%d.%m.%Y} — {reason}. По календарю колледжа занятий в этот день нет. "
            "Создать занятие всё равно (например, отработку)?")
