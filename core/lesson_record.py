"""The lesson record (R3, R5, R17): topic from the КТП, type, hours, homework, who taught.

A new lesson is proposed with the next КТП topic not yet used by the load. A substitute
records the lesson under the load of the absent teacher with ``taught_by`` = themself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from core.errors import ValidationError
from core.session import UserSession

_PAGES_PREFIX = re.compile(r"^(?:стр|с|c)\.?\s*(?=\d)", re.IGNORECASE)
_TASKS_PREFIX = re.compile(r"^(?:№\s*)+")


def homework_text(text: str, pages: str, tasks: str, practical: str) -> str:
    """The homework as one line: content, textbook pages, task numbers, practical work (R5).

    Pages and tasks are typed with or without their sign («с. 12–15» or «12–15», «№ 3, 5» or
    «3, 5»); each is shown once: «стр. 12–15; № 3, 5», never «стр. с. 12–15; № № 3, 5».
    """
    pages = _PAGES_PREFIX.sub("", pages.strip())
    tasks = _TASKS_PREFIX.sub("", tasks.strip())
    parts = [text.strip(), f"стр. {pages}" if pages and pages[0].isdigit() else pages,
             f"№ {tasks}" if tasks else "", practical.strip()]
    return "; ".join(part for part in parts if part)


@dataclass(frozen=True)
class LessonRecord:
    """What is written about one lesson."""

    lesson_id: int | None
    load_id: int
    lesson_date: date
    pair_no: int
    taught_by: int
    lesson_type: str = "theory"
    hours: int = 2
    ktp_topic_id: int | None = None
    topic: str = ""
    work_kind: str = "oral"
    homework: str = ""
    homework_pages: str = ""
    homework_tasks: str = ""
    homework_practical: str = ""
    unscheduled: bool = False


@dataclass(frozen=True)
class KtpTopic:
    """A topic of the load's calendar-thematic plan."""

    topic_id: int
    position: int
    title: str
    lesson_type: str
    hours: int
    homework: str
    used: bool


@dataclass(frozen=True)
class RecordChoices:
    """Lists the lesson record form chooses from."""

    topics: tuple[KtpTopic, ...]
    lesson_types: tuple[tuple[str, str], ...]
    work_kinds: tuple[tuple[str, str], ...]
    teachers: tuple[tuple[int, str], ...]

    def next_topic(self) -> KtpTopic | None:
        """The first КТП topic not yet used by a lesson of the load."""
        return next((t for t in self.topics if not t.used), None)


COLUMNS = tuple(f.name for f in fields(LessonRecord) if f.name != "lesson_id")


def read_record(session: UserSession, lesson_id: int) -> LessonRecord:
    """The record of one lesson."""
    with session.cursor() as cur:
        row = cur.execute(f"SELECT id, {', '.join(COLUMNS)} FROM journal.lesson WHERE id = %s",
                          (lesson_id,)).fetchone()
    if row is None:
        raise ValidationError("Занятие не найдено или недоступно.")
    return LessonRecord(*row)


def read_choices(session: UserSession, load_id: int) -> RecordChoices:
    """КТП topics of the load (with which are used), lesson types, work kinds, teachers."""
    with session.cursor() as cur:
        topics = cur.execute(
            """SELECT k.id, k.position, k.title, k.lesson_type, k.hours, k.homework,
                      EXISTS (SELECT FROM journal.lesson l WHERE l.ktp_topic_id = k.id)
                 FROM journal.ktp_topic k WHERE k.load_id = %s ORDER BY k.position""",
            (load_id,)).fetchall()
        types = cur.execute("SELECT code, title FROM journal.lesson_type ORDER BY title").fetchall()
        kinds = cur.execute("SELECT code, title FROM journal.work_kind ORDER BY title").fetchall()
        teachers = cur.execute(
            """SELECT p.id, p.surname || ' ' || p.name || ' ' || p.patronymic
                 FROM journal.person p JOIN journal.person_role r ON r.person_id = p.id
                WHERE r.role = 'teacher' ORDER BY p.surname, p.name""").fetchall()
    return RecordChoices(tuple(KtpTopic(*t) for t in topics), tuple(types), tuple(kinds),
                         tuple(teachers))


def propose_lesson(session: UserSession, load_id: int, day: date, pair_no: int,
                   unscheduled: bool = False) -> LessonRecord:
    """A new lesson prefilled with the next unused КТП topic, taught by the person."""
    nxt = read_choices(session, load_id).next_topic()
    record = LessonRecord(None, load_id, day, pair_no, session.person.person_id,
                          unscheduled=unscheduled)
    if nxt is None:
        return record
    return replace(record, ktp_topic_id=nxt.topic_id, topic=nxt.title, lesson_type=nxt.lesson_type,
                   hours=nxt.hours, homework=nxt.homework)


def check_record(record: LessonRecord) -> None:
    """Refuse a record the regulation does not allow.

    Raises:
        ValidationError: no topic on a filled record, hours out of range, bad пара.
    """
    if not 1 <= record.pair_no <= 8:
        raise ValidationError("Номер пары должен быть от 1 до 8.")
    if not 1 <= record.hours <= 8:
        raise ValidationError("Количество часов занятия должно быть от 1 до 8.")
    if len(record.topic) > 500:
        raise ValidationError("Тема занятия слишком длинная (не более 500 символов).")


def save_record(session: UserSession, record: LessonRecord, reason: str = "") -> int:
    """Insert or update the lesson; return its id.

    Raises:
        EJournalError: refused by the database (no right, closed period, duplicate пара).
    """
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    check_record(record)
    values: dict[str, Any] = {name: getattr(record, name) for name in COLUMNS}
    try:
        with session.cursor() as cur, transaction(cur.connection, reason):
            if record.lesson_id is None:
                sql = (f"INSERT INTO journal.lesson ({', '.join(COLUMNS)}) VALUES "
                       f"({', '.join('%(' + c + ')s' for c in COLUMNS)}) RETURNING id")
            else:
                sets = ", ".join(f"{c} = %({c})s" for c in COLUMNS)
                sql = f"UPDATE journal.lesson SET {sets} WHERE id = %(lesson_id)s RETURNING id"
                values["lesson_id"] = record.lesson_id
            row = cur.execute(sql, values).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    if row is None:
        raise ValidationError("Занятие не сохранено: нет прав на эту страницу журнала.")
    return int(row[0])


@dataclass(frozen=True)
class HistoryEntry:
    """One correction of a cell."""

    changed_at: datetime
    changed_by: str
    action: str
    old: str
    new: str
    reason: str


HISTORY = """
SELECT c.changed_at, c.changed_by, c.action,
       coalesce(c.old_value ->> 'value', c.old_value ->> 'code', ''),
       coalesce(c.new_value ->> 'value', c.new_value ->> 'code', ''),
       c.reason, coalesce(lower(w.title), coalesce(c.new_value, c.old_value) ->> 'work_kind')
  FROM journal.change_log c
  LEFT JOIN journal.work_kind w ON w.code = coalesce(c.new_value, c.old_value) ->> 'work_kind'
 WHERE c.table_name IN ('mark', 'attendance') AND c.student_id = %(student)s
   AND (coalesce(c.new_value, c.old_value) ->> 'lesson_id')::int = %(lesson)s
 ORDER BY c.changed_at, c.id
"""


def cell_history(session: UserSession, lesson_id: int, student_id: int) -> list[HistoryEntry]:
    """Every correction of one student's cell at one lesson, oldest first."""
    with session.cursor() as cur:
        rows = cur.execute(HISTORY, {"student": student_id, "lesson": lesson_id}).fetchall()
    return [HistoryEntry(at, who, action, old + _kind(kind, old), new + _kind(kind, new), reason)
            for at, who, action, old, new, reason, kind in rows]


def _kind(kind: str | None, value: str) -> str:
    return f" ({kind})" if kind and value else ""
