"""The lesson record (R3, R5, R17): topic from the КТП, type, hours, homework, who taught.

A new lesson is proposed with the next КТП topic not yet used by the load. A substitute
records the lesson under the load of the absent teacher with ``taught_by`` = themself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any, TypeVar

from core.session import UserSession
from kernel.errors import EJournalError, ValidationError
from kernel.text import plural, short_name_sql

T = TypeVar("T")

TOPIC_MAX = 500
"""The longest lesson topic (characters) the journal keeps."""

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


def _read(session: UserSession, query: Callable[[Any], T]) -> T:
    """Run a read on the session's connection; a dropped connection is reopened once.

    Raises:
        EJournalError: the server is down, or the database refused the read (translated).
    """
    import psycopg

    from db.errors import translate

    for attempt in (1, 2):
        try:
            with session.cursor() as cur:
                return query(cur)
        except psycopg.Error as exc:
            conn = session.conn
            if attempt == 1 and isinstance(exc, psycopg.OperationalError) and (conn.broken or conn.closed):
                continue  # a server restart since the last query: reading again is harmless
            raise translate(exc) from exc
    raise AssertionError("unreachable")


def read_record(session: UserSession, lesson_id: int) -> LessonRecord:
    """The record of one lesson.

    Raises:
        ValidationError: the lesson is gone or not visible to the person.
        EJournalError: the server is down or refused the read.
    """
    row = _read(session, lambda cur: cur.execute(
        f"SELECT id, {', '.join(COLUMNS)} FROM journal.lesson WHERE id = %s",
        (lesson_id,)).fetchone())
    if row is None:
        raise ValidationError("Занятие не найдено или недоступно.")
    return LessonRecord(*row)


def read_choices(session: UserSession, load_id: int) -> RecordChoices:
    """КТП topics of the load (with which are used), lesson types, work kinds, teachers."""
    def query(cur: Any) -> RecordChoices:
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

    return _read(session, query)


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


def ensure_lesson(session: UserSession, load_id: int, day: date, pair_no: int) -> int:
    """The lesson of the load on that day and pair; created from the КТП (the next unused topic,
    taught by the person) when the timetable had it but nobody recorded it yet (R3).

    Returns:
        The lesson's id.

    Raises:
        EJournalError: the server is down or refused the read or the new lesson.
    """
    row = _read(session, lambda cur: cur.execute(
        "SELECT id FROM journal.lesson WHERE load_id = %s AND lesson_date = %s AND pair_no = %s",
        (load_id, day, pair_no)).fetchone())
    if row is not None:
        return int(row[0])
    return save_record(session, propose_lesson(session, load_id, day, pair_no))


def work_kinds(session: UserSession) -> list[tuple[str, str]]:
    """The kinds of work (вид работы) marks can be for, as (code, title) by title."""
    rows = _read(session, lambda cur: cur.execute(
        "SELECT code, title FROM journal.work_kind ORDER BY title").fetchall())
    return [(code, title) for code, title in rows]


def record_problems(record: LessonRecord) -> list[ValidationError]:
    """Everything in the record the regulation does not allow, each naming its field."""
    problems = []
    if not 1 <= record.pair_no <= 8:
        problems.append(ValidationError("Номер пары должен быть от 1 до 8.", field="pair_no"))
    if not 1 <= record.hours <= 8:
        problems.append(ValidationError("Количество часов занятия должно быть от 1 до 8.",
                                        field="hours"))
    if len(record.topic) > TOPIC_MAX:
        problems.append(ValidationError(topic_too_long(len(record.topic)), field="topic"))
    return problems


def topic_too_long(length: int) -> str:
    """What to say about a topic of ``length`` characters over :data:`TOPIC_MAX`."""
    over = length - TOPIC_MAX
    return (f"Тема длиннее допустимого на {over} {plural(over, 'знак', 'знака', 'знаков')} "
            f"(не более {TOPIC_MAX}): сократите её.")


def check_record(record: LessonRecord) -> None:
    """Refuse a record the regulation does not allow.

    Raises:
        ValidationError: hours out of range, bad пара, a topic over :data:`TOPIC_MAX` (the
            first problem found; :func:`record_problems` gives them all).
    """
    problems = record_problems(record)
    if problems:
        raise problems[0]


DUPLICATE_PAIR = "lesson_load_id_lesson_date_pair_no_key"
"""The unique key of a page's lessons: one lesson per date and пара."""

_FIELD_OF = {
    "lesson_pair_no_check": "pair_no",
    "lesson_hours_check": "hours",
    "lesson_ktp_topic_id_fkey": "ktp_topic_id",
    "lesson_taught_by_fkey": "taught_by",
    "lesson_lesson_type_fkey": "lesson_type",
    "lesson_work_kind_fkey": "work_kind",
    "lesson_inside_period": "lesson_date",  # the trigger's function (in the error's context)
}
"""The form field a refusal is about, by constraint name or trigger function."""


def save_record(session: UserSession, record: LessonRecord, reason: str = "") -> int:
    """Insert or update the lesson; return its id.

    A changed record is sent again once when the connection turns out to be dropped (the
    same UPDATE twice is harmless); a new one is not (the person repeats the save).

    Raises:
        ValidationError: a rule of the record (with ``field``), or a date and пара another
            lesson of the page already has (naming that lesson).
        EJournalError: refused by the database (no right, closed period) or the server is
            down, translated by :func:`db.errors.translate` (with ``field`` when it is one).
    """
    import psycopg

    from db.connect import transaction

    check_record(record)
    values: dict[str, Any] = {name: getattr(record, name) for name in COLUMNS}
    if record.lesson_id is None:
        sql = (f"INSERT INTO journal.lesson ({', '.join(COLUMNS)}) VALUES "
               f"({', '.join('%(' + c + ')s' for c in COLUMNS)}) RETURNING id")
    else:
        sets = ", ".join(f"{c} = %({c})s" for c in COLUMNS)
        sql = f"UPDATE journal.lesson SET {sets} WHERE id = %(lesson_id)s RETURNING id"
        values["lesson_id"] = record.lesson_id
    attempts, row = (1 if record.lesson_id is None else 2), None
    for attempt in range(1, attempts + 1):
        try:
            with session.cursor() as cur, transaction(cur.connection, reason):
                row = cur.execute(sql, values).fetchone()
            break
        except psycopg.Error as exc:
            conn = session.conn
            if (attempt < attempts and isinstance(exc, psycopg.OperationalError)
                    and (conn.broken or conn.closed)):
                continue
            raise _refusal(session, record, exc) from exc
    if row is None:
        raise ValidationError("Занятие не сохранено: нет прав на эту страницу журнала.")
    return int(row[0])


def _refusal(session: UserSession, record: LessonRecord, exc: Any) -> EJournalError:
    """The person's error for a refused save: the lesson already there, or the translation."""
    from db.errors import translate

    if exc.sqlstate == "23505" and exc.diag.constraint_name == DUPLICATE_PAIR:
        return ValidationError(_taken_pair(session, record), field="pair_no")
    error = translate(exc)
    context = exc.diag.context or ""
    error.field = next((f for name, f in _FIELD_OF.items()
                        if name == exc.diag.constraint_name or name in context), error.field)
    return error


def _taken_pair(session: UserSession, record: LessonRecord) -> str:
    """«04.12.2026, 4 пара уже есть на этой странице журнала (провёл(а) …): «тема».»"""
    when = f"{record.lesson_date:%d.%m.%Y}, {record.pair_no} пара"
    try:
        row = _read(session, lambda cur: cur.execute(
            f"""SELECT l.topic, coalesce({short_name_sql('p', 1)}, 'другой преподаватель')
                 FROM journal.lesson l LEFT JOIN journal.person p ON p.id = l.taught_by
                WHERE l.load_id = %s AND l.lesson_date = %s AND l.pair_no = %s""",
            (record.load_id, record.lesson_date, record.pair_no)).fetchone())
    except EJournalError:
        row = None
    if row is None:
        return f"{when} уже есть на этой странице журнала: выберите другую дату или пару."
    topic, teacher = row
    topic = f"«{_shorten(topic)}»" if topic else "тема не записана"
    return (f"{when} уже есть на этой странице журнала (провёл(а) {teacher}): {topic}. "
            f"Выберите другую дату или пару (то занятие открывается клавишей F2).")


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


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
SELECT c.changed_at, coalesce(n.short_name, c.changed_by), c.action,
       coalesce(c.old_value ->> 'value', c.old_value ->> 'code', ''),
       coalesce(c.new_value ->> 'value', c.new_value ->> 'code', ''),
       c.reason, coalesce(lower(w.title), coalesce(c.new_value, c.old_value) ->> 'work_kind')
  FROM journal.change_log c
  LEFT JOIN journal.work_kind w ON w.code = coalesce(c.new_value, c.old_value) ->> 'work_kind'
  LEFT JOIN journal.staff_names(ARRAY(
        SELECT DISTINCT changed_by FROM journal.change_log
         WHERE table_name IN ('mark', 'attendance') AND student_id = %(student)s)) n
         ON n.login = c.changed_by
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
