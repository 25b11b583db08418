"""Correspondence inside the journal (R21): threads, replies, unread counts, read receipts.

A thread has a subject, optionally the student it is about, its members and messages. Each
member's ``last_read_at`` says how far they have read: the rest is unread for them, and the
author of a message sees «прочитано» once another member has read past it.

Who may write to whom is decided by the database's policies (``docs/security.md``): a
parent starts a thread about their own child with the staff of the child's groups; staff
write to staff; a curator also to the students and parents of the group; the office and the
other readers of everything to anyone. The recipient lists here only offer those people; the
database refuses anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from core.session import READ_ALL_ROLES, UserSession
from kernel import clock
from kernel.errors import AccessDenied, ValidationError
from kernel.text import short_name_sql

MAX_BODY = 4000


@dataclass(frozen=True)
class ThreadSummary:
    """A thread as listed: subject, with whom, the last message, how many are unread."""

    thread_id: int
    subject: str
    student_name: str
    others: str
    last_at: datetime | None
    unread: int

    @property
    def label(self) -> str:
        """«(2) Пропуски · Петрова А. С. · 12.11 14:05»."""
        count = f"({self.unread}) " if self.unread else ""
        about = f" · о: {self.student_name}" if self.student_name else ""
        when = f" · {self.last_at:%d.%m %H:%M}" if self.last_at else ""
        return f"{count}{self.subject} · {self.others or 'только вы'}{about}{when}"


@dataclass(frozen=True)
class Message:
    """One message of a thread, with whether another member has read it."""

    message_id: int
    author_id: int
    author: str
    body: str
    sent_at: datetime
    mine: bool
    read_by_other: bool


@dataclass(frozen=True)
class Thread:
    """A thread opened for reading."""

    thread_id: int
    subject: str
    student_name: str
    members: tuple[str, ...]
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class Recipient:
    """Someone the person may start a thread with.

    Attributes:
        person_id: Who.
        name: «Фамилия Имя Отчество».
        note: Why they are offered («куратор СЭЗ-24-1», «родитель: Петров И., СЭЗ-24-1»).
        student_id: The student the thread would be about, if any.
    """

    person_id: int
    name: str
    note: str
    student_id: int | None

    @property
    def label(self) -> str:
        """«Иванова Мария Петровна — куратор СЭЗ-24-1»."""
        return f"{self.name} — {self.note}" if self.note else self.name


UNREAD = """
SELECT count(*) FROM journal.message m
  JOIN journal.thread_member tm ON tm.thread_id = m.thread_id AND tm.person_id = %(me)s
 WHERE m.author_id <> %(me)s AND m.sent_at > coalesce(tm.last_read_at, '-infinity')
"""

THREADS = f"""
SELECT th.id, th.subject,
       coalesce(sp.surname || ' ' || sp.name, ''),
       coalesce((SELECT string_agg({short_name_sql('p')}, ', ' ORDER BY p.surname, p.name)
                   FROM journal.thread_member o JOIN journal.person p ON p.id = o.person_id
                  WHERE o.thread_id = th.id AND o.person_id <> %(me)s), ''),
       (SELECT max(m.sent_at) FROM journal.message m WHERE m.thread_id = th.id),
       (SELECT count(*) FROM journal.message m WHERE m.thread_id = th.id AND m.author_id <> %(me)s
           AND m.sent_at > coalesce(me.last_read_at, '-infinity'))
  FROM journal.thread th
  JOIN journal.thread_member me ON me.thread_id = th.id AND me.person_id = %(me)s
  LEFT JOIN journal.person sp ON sp.id = th.student_id
 ORDER BY 5 DESC NULLS LAST, th.id DESC
"""

THREAD = """
SELECT th.subject, coalesce(sp.surname || ' ' || sp.name, '')
  FROM journal.thread th LEFT JOIN journal.person sp ON sp.id = th.student_id
 WHERE th.id = %(thread)s
"""

MEMBERS = f"""
SELECT tm.person_id, coalesce({short_name_sql('p')}, 'участник ' || tm.person_id), tm.last_read_at
  FROM journal.thread_member tm LEFT JOIN journal.person p ON p.id = tm.person_id
 WHERE tm.thread_id = %(thread)s
 ORDER BY p.surname, p.name
"""

MESSAGES = f"""
SELECT m.id, m.author_id, coalesce({short_name_sql('p')}, ''), m.body, m.sent_at
  FROM journal.message m LEFT JOIN journal.person p ON p.id = m.author_id
 WHERE m.thread_id = %(thread)s
 ORDER BY m.sent_at, m.id
"""

MARK_READ = """
UPDATE journal.thread_member SET last_read_at = %(upto)s
 WHERE thread_id = %(thread)s AND person_id = %(me)s
   AND (last_read_at IS NULL OR last_read_at < %(upto)s)
"""


def unread_count(session: UserSession) -> int:
    """How many messages in the person's threads they have not read (for the home screen)."""
    with session.cursor() as cur:
        row = cur.execute(UNREAD, {"me": session.person.person_id}).fetchone()
    return int(row[0]) if row else 0


def list_threads(session: UserSession) -> list[ThreadSummary]:
    """The person's threads, the most recent first, with unread counts."""
    with session.cursor() as cur:
        rows = cur.execute(THREADS, {"me": session.person.person_id}).fetchall()
    return [ThreadSummary(*row) for row in rows]


def read_thread(session: UserSession, thread_id: int, *, mark_read: bool = True) -> Thread:
    """A thread's messages (oldest first) with read receipts; marks it read up to the newest.

    Raises:
        AccessDenied: the thread does not exist or the person may not read it.
    """
    me = session.person.person_id
    args = {"thread": thread_id, "me": me}
    with session.cursor() as cur:
        head = cur.execute(THREAD, args).fetchone()
        if head is None:
            raise AccessDenied("Переписка не найдена или недоступна.")
        members = cur.execute(MEMBERS, args).fetchall()
        rows = cur.execute(MESSAGES, args).fetchall()
        if mark_read and rows:
            cur.execute(MARK_READ, {**args, "upto": rows[-1][4]})
    others_read = [read for pid, _name, read in members if pid != me and read is not None]
    messages = tuple(Message(mid, author, name, body, sent, author == me,
                             any(read >= sent for read in others_read))
                     for mid, author, name, body, sent in rows)
    names = tuple(name for pid, name, _read in members if pid != me)
    return Thread(thread_id, head[0], head[1], names, messages)


def check_body(body: str) -> str:
    """The message text trimmed, or a Russian refusal.

    Raises:
        ValidationError: empty or longer than 4000 characters.
    """
    text = body.strip()
    if not text:
        raise ValidationError("Сообщение пустое.")
    if len(text) > MAX_BODY:
        raise ValidationError(f"Сообщение длиннее {MAX_BODY} символов: сократите его.")
    return text


def reply(session: UserSession, thread_id: int, body: str) -> None:
    """Add a message to a thread (and count the thread read up to it).

    Raises:
        ValidationError: an empty or too long message.
        EJournalError: the database refused (not a member, a student).
    """
    text = check_body(body)
    me = session.person.person_id

    def send(cur: Any) -> None:
        sent = cur.execute("INSERT INTO journal.message (thread_id, author_id, body) VALUES (%s, %s, %s) "
                           "RETURNING sent_at", (thread_id, me, text)).fetchone()
        cur.execute(MARK_READ, {"thread": thread_id, "me": me, "upto": sent[0]})

    _in_transaction(session, send)


# The year a new thread belongs to is stored with it: the server's date, as its created_at.
NEW_THREAD = """
INSERT INTO journal.thread (subject, student_id, year_id, created_by)
VALUES (%(subject)s, %(student)s,
        (SELECT id FROM journal.academic_year WHERE current_date BETWEEN starts_on AND ends_on),
        %(me)s)
"""

# RETURNING would be checked against the SELECT policy, which (evaluated once at the start of
# the statement) does not yet count the new thread as the creator's; the id is read back in
# the same transaction: this transaction's thread of this creator with the newest id.
NEW_THREAD_ID = """
SELECT max(id) FROM journal.thread WHERE created_by = %(me)s AND created_at = now()
"""


def start_thread(session: UserSession, subject: str, body: str, recipient_ids: Sequence[int],
                 student_id: int | None = None) -> int:
    """Start a thread with the recipients and a first message; return its id.

    Raises:
        ValidationError: no subject, no recipient, an empty or too long message.
        EJournalError: the database refused a recipient or the student (not the person's to
            write to).
    """
    ids = _thread_ids(session, [(subject, body, list(recipient_ids), student_id)])
    return ids[0]


def broadcast_to_group(session: UserSession, group_id: int, subject: str, body: str) -> int:
    """Send the same message to the parents of every student of a group: one thread per
    student with that student's parents, so each family answers privately.

    Returns:
        How many threads were started (students without a parent are skipped).

    Raises:
        ValidationError: nobody to write to, an empty subject or message.
        EJournalError: the database refused (not the curator of the group, …).
    """
    with session.cursor() as cur:
        rows = cur.execute(
            """SELECT g.student_id, array_agg(g.parent_id ORDER BY g.parent_id)
                 FROM journal.guardian g JOIN journal.student s ON s.person_id = g.student_id
                WHERE s.group_id = %s AND s.status = 'обучается'
                GROUP BY g.student_id ORDER BY g.student_id""", (group_id,)).fetchall()
    if not rows:
        raise ValidationError("У обучающихся группы нет родителей в журнале: писать некому.")
    return len(_thread_ids(session, [(subject, body, list(parents), sid) for sid, parents in rows]))


def _thread_ids(session: UserSession, threads: list[tuple[str, str, list[int], int | None]]) -> list[int]:
    me = session.person.person_id
    checked = []
    for subject, body, recipients, student in threads:
        if not subject.strip():
            raise ValidationError("Укажите тему сообщения.")
        members = sorted({r for r in recipients if r != me})
        if not members:
            raise ValidationError("Выберите, кому написать.")
        checked.append((subject.strip()[:200], check_body(body), members, student))

    def create(cur: Any) -> list[int]:
        ids = []
        for subject, text, members, student in checked:
            cur.execute(NEW_THREAD, {"subject": subject, "student": student, "me": me})
            thread_id = cur.execute(NEW_THREAD_ID, {"me": me}).fetchone()[0]
            cur.executemany("INSERT INTO journal.thread_member (thread_id, person_id, last_read_at) "
                            "VALUES (%s, %s, NULL)", [(thread_id, pid) for pid in [me, *members]])
            cur.execute("INSERT INTO journal.message (thread_id, author_id, body) VALUES (%s, %s, %s)",
                        (thread_id, me, text))
            cur.execute("UPDATE journal.thread_member SET last_read_at = now() "
                        "WHERE thread_id = %s AND person_id = %s", (thread_id, me))
            ids.append(int(thread_id))
        return ids

    result: list[int] = _in_transaction(session, create)
    return result


def _in_transaction(session: UserSession, action: Any) -> Any:
    from db.errors import translate

    try:
        with session.cursor() as cur, cur.connection.transaction():
            return action(cur)
    except psycopg.Error as exc:
        raise translate(exc) from exc


STAFF = """
SELECT DISTINCT p.id, p.surname || ' ' || p.name || coalesce(' ' || nullif(p.patronymic, ''), ''),
       coalesce(st.position, ''), p.surname, p.name
  FROM journal.person p JOIN journal.person_role r ON r.person_id = p.id
  LEFT JOIN journal.staff st ON st.person_id = p.id
 WHERE r.role NOT IN ('student', 'parent') AND p.id <> %(me)s
 ORDER BY p.surname, p.name
"""

PARENTS = """
SELECT g.parent_id, pp.surname || ' ' || pp.name || coalesce(' ' || nullif(pp.patronymic, ''), ''),
       'родитель: ' || sp.surname || ' ' || sp.name || ', ' || gr.name, s.person_id
  FROM journal.guardian g
  JOIN journal.student s ON s.person_id = g.student_id
  JOIN journal.study_group gr ON gr.id = s.group_id
  JOIN journal.person pp ON pp.id = g.parent_id
  JOIN journal.person sp ON sp.id = s.person_id
 WHERE s.status = 'обучается' AND (%(all)s OR gr.curator_id = %(me)s)
 ORDER BY gr.name, sp.surname, sp.name, pp.surname
"""

GROUP_STAFF = """
SELECT x.id, p.surname || ' ' || p.name || coalesce(' ' || nullif(p.patronymic, ''), ''),
       string_agg(DISTINCT x.note, ', '), x.student_id, sp.surname || ' ' || sp.name
  FROM (SELECT gr.curator_id AS id, 'куратор ' || gr.name AS note, s.person_id AS student_id
          FROM journal.guardian g JOIN journal.student s ON s.person_id = g.student_id
          JOIN journal.study_group gr ON gr.id = s.group_id
         WHERE g.parent_id = %(me)s AND gr.curator_id IS NOT NULL
        UNION ALL
        SELECT t.teacher_id, d.title, s.person_id
          FROM journal.guardian g JOIN journal.student s ON s.person_id = g.student_id
          JOIN journal.teaching_load t ON t.group_id = s.group_id
               AND (t.subgroup_id IS NULL OR t.subgroup_id = s.subgroup_id)
          JOIN journal.period pr ON pr.id = t.period_id
          JOIN journal.discipline d ON d.id = t.discipline_id
         WHERE g.parent_id = %(me)s AND %(today)s::date BETWEEN pr.starts_on AND pr.ends_on) x
  JOIN journal.person p ON p.id = x.id
  JOIN journal.person sp ON sp.id = x.student_id
 GROUP BY x.id, p.surname, p.name, p.patronymic, x.student_id, sp.surname, sp.name
 ORDER BY sp.surname, sp.name, bool_or(x.note LIKE 'куратор %%') DESC, p.surname, p.name
"""


def recipients(session: UserSession) -> list[Recipient]:
    """Whom the person may start a thread with.

    A parent: the curators and teachers of their children (one entry per child: the thread
    is about that child). Staff: the other staff; a curator also the parents of the group;
    the office and the other readers of everything, every parent.
    """
    person = session.person
    args = {"me": person.person_id, "all": person.has(*READ_ALL_ROLES), "today": clock.today()}
    found: list[Recipient] = []
    with session.cursor() as cur:
        if person.has("parent"):
            rows = cur.execute(GROUP_STAFF, args).fetchall()
            several = len({row[3] for row in rows}) > 1
            found += [Recipient(pid, name, f"{note} (о: {child})" if several else note, sid)
                      for pid, name, note, sid, child in rows]
        if person.is_staff:
            if person.has("curator", *READ_ALL_ROLES):
                found += [Recipient(pid, name, note, sid) for pid, name, note, sid in
                          cur.execute(PARENTS, args).fetchall()]
            found += [Recipient(pid, name, position, None) for pid, name, position, _s, _n in
                      cur.execute(STAFF, args).fetchall()]
    return found


def curated_groups(session: UserSession) -> list[tuple[int, str]]:
    """The groups the person curates, as (id, name), for «всем родителям группы»."""
    with session.cursor() as cur:
        rows = cur.execute("SELECT id, name FROM journal.study_group WHERE curator_id = %s ORDER BY name",
                           (session.person.person_id,)).fetchall()
    return [(int(gid), name) for gid, name in rows]
