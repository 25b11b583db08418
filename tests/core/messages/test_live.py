"""Messages live through the journal's signed change notes (migration 0041)."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg

from core.messages.live import MessageListener
from core.messages.service import read_thread, recipients, reply, start_thread
from db.connect import Credentials


def _raw(demo_db: Any, label: str) -> psycopg.Connection:
    account = demo_db.account(label)
    creds = Credentials.from_typed(demo_db.settings, account.login, account.password)
    return psycopg.connect(**creds.params, autocommit=True)


def _wait_listening(demo_db: Any, login: str) -> None:
    deadline = time.monotonic() + 10
    with demo_db.connect() as su:
        while su.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s "
                         "AND query = 'LISTEN journal_changes'", (login,)).fetchone() == (0,):
            assert time.monotonic() < deadline, "the listener did not start"
            time.sleep(0.05)


def test_a_message_reaches_its_reader_and_nobody_else(demo_db: Any) -> None:
    curator, parent = demo_db.log_in("куратор"), demo_db.log_in("родитель")
    heard, teacher_heard = threading.Event(), threading.Event()
    listener = MessageListener(parent.new_connection, heard.set)
    teacher = demo_db.log_in("преподаватель")
    outsider = MessageListener(teacher.new_connection, teacher_heard.set)
    listener.start()
    outsider.start()
    spy = _raw(demo_db, "обучающийся")
    try:
        _wait_listening(demo_db, parent.person.login)
        _wait_listening(demo_db, teacher.person.login)
        target = next(r for r in recipients(curator) if r.person_id == parent.person.person_id)
        thread_id = start_thread(curator, "Собрание", "Собрание в пятницу.", [target.person_id],
                                 target.student_id)
        assert heard.wait(5), "the parent did not hear the message"
        assert not teacher_heard.wait(1), "someone outside the thread heard it"
        # forged and replayed notes change nothing
        spy.execute("LISTEN journal_changes")
        heard.clear()
        stamp = int(time.time() * 1_000_000)
        for note in (f"m{thread_id}", f"m{thread_id}:{stamp}:{'0' * 32}"):
            spy.execute("SELECT pg_notify('journal_changes', %s)", (note,))
        assert not heard.wait(1.5), "a forged note was taken for a message"
        reply(curator, thread_id, "И ещё: возьмите дневник.")
        assert heard.wait(5)
        genuine = [n.payload for n in spy.notifies(timeout=1, stop_after=5)
                   if n.payload.startswith("m") and n.pid != spy.info.backend_pid]
        assert genuine and ":" in genuine[0]
        # the student is not in the thread: the database does not confirm the note to them
        assert spy.execute("SELECT journal.verified_message_notes(%s)",
                           (genuine,)).fetchone() == ([],)
        heard.clear()
        spy.execute("SELECT pg_notify('journal_changes', %s)", (genuine[0],))
        assert not heard.wait(1.5), "a replayed note was taken for a message"
        # the curator hears the parent read it (for «прочитано»); reading twice says nothing
        read_heard = threading.Event()
        mine = MessageListener(curator.new_connection, read_heard.set)
        mine.start()
        _wait_listening(demo_db, curator.person.login)
        read_thread(parent, thread_id)
        assert read_heard.wait(5)
        read_heard.clear()
        read_thread(parent, thread_id)
        assert not read_heard.wait(1.5)
        mine.stop()
    finally:
        listener.stop()
        outsider.stop()
        spy.close()
        for session in (curator, parent, teacher):
            session.close()
