"""The weekly letter against a local SMTP server: contents from the database, consent, once a week."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import Any

import psycopg
import pytest

from core.mail.compose import LEGEND
from core.mail.run import connect_mail_role, send_week
from tests.core.mail.conftest import WEEK, Inbox, MailWorld

# The local server takes a login without TLS (STARTTLS is tested against the real settings only).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

CHILDREN = """
SELECT s.person_id, p.surname || ' ' || p.name FROM journal.guardian g
  JOIN journal.student s ON s.person_id = g.student_id AND s.status = 'обучается'
  JOIN journal.person p ON p.id = s.person_id WHERE g.parent_id = %s ORDER BY 1
"""
MARKS = """
SELECT l.lesson_date, l.pair_no, d.title, m.value FROM journal.mark m
  JOIN journal.lesson l ON l.id = m.lesson_id JOIN journal.teaching_load t ON t.id = l.load_id
  JOIN journal.discipline d ON d.id = t.discipline_id
 WHERE m.student_id = %(child)s AND l.lesson_date BETWEEN %(week)s AND %(week)s + 6
"""
HOURS = """
SELECT coalesce(sum(l.hours) FILTER (WHERE a.code = 'НУ'), 0),
       coalesce(sum(l.hours) FILTER (WHERE a.code = 'НН'), 0)
  FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id
 WHERE a.student_id = %(child)s AND l.lesson_date BETWEEN %(week)s AND %(week)s + 6
"""
HOMEWORK = """
SELECT l.lesson_date, d.title, l.homework FROM journal.student s
  JOIN journal.teaching_load t ON t.group_id = s.group_id
       AND (t.subgroup_id IS NULL OR t.subgroup_id = s.subgroup_id)
  JOIN journal.discipline d ON d.id = t.discipline_id
  JOIN journal.lesson l ON l.load_id = t.id AND l.lesson_date BETWEEN %(week)s AND %(week)s + 6
 WHERE s.person_id = %(child)s AND l.homework <> ''
"""


def _received(inbox: Inbox) -> dict[str, EmailMessage]:
    found = {}
    for envelope in inbox.envelopes:
        parsed = email.message_from_bytes(envelope.original_content or b"", policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        found[envelope.rcpt_tos[0]] = parsed
    return found


def _expected(su: psycopg.Connection, parent: int) -> tuple[str, list[str]]:
    """The parent's address and every line the letter must hold, from the database."""
    address = su.execute("SELECT email FROM journal.person WHERE id = %s", (parent,)).fetchone()[0]
    lines: list[str] = []
    for child, name in su.execute(CHILDREN, (parent,)).fetchall():
        args: dict[str, Any] = {"child": child, "week": WEEK}
        lines.append(name)
        lines += [f"{day:%d.%m}, {pair}-я пара — {title}: {value}"
                  for day, pair, title, value in su.execute(MARKS, args).fetchall()]
        excused, unexcused = su.execute(HOURS, args).fetchone()
        lines.append(f"Пропуски: НУ {excused} ч., НН {unexcused} ч.")
        lines += [f"{day:%d.%m}" for day, _title, _text in su.execute(HOMEWORK, args).fetchall()]
        lines += [f"— {title}: {text.strip()}" for _day, title, text in su.execute(HOMEWORK, args).fetchall()]
    return address, lines


def test_letters_of_two_parents_hold_their_childrens_week(mail_world: MailWorld,
                                                         smtp_server: tuple[Inbox, int]) -> None:
    with connect_mail_role(mail_world.setup) as conn:
        report = send_week(conn, mail_world.setup, WEEK)
    assert len(report.sent) == 2 and not report.failed and not report.already
    received = _received(smtp_server[0])
    with mail_world.demo.connect() as su:
        for parent in mail_world.agreed:
            address, lines = _expected(su, parent)
            assert len(lines) >= 4  # a name, a mark, the hours, a homework at least
            letter = received[address]
            assert letter.get_content_type() == "multipart/alternative"
            text = letter.get_body(("plain",)).get_content()
            html = letter.get_body(("html",)).get_content()
            assert LEGEND in text
            for line in lines:
                assert line in text, f"{address}: «{line}» missing"
            assert "<html>" in html and lines[0] in html
            logged = su.execute("SELECT status, message_id, email FROM journal.letter_log "
                                "WHERE parent_id = %s AND week_start = %s", (parent, WEEK)).fetchall()
            assert logged == [("sent", letter["Message-ID"], address)]


def test_no_letter_without_consent(mail_world: MailWorld, smtp_server: tuple[Inbox, int]) -> None:
    with connect_mail_role(mail_world.setup) as conn:
        send_week(conn, mail_world.setup, WEEK)
    with mail_world.demo.connect() as su:
        addresses = {su.execute("SELECT email FROM journal.person WHERE id = %s", (p,)).fetchone()[0]
                     for p in mail_world.agreed}
        refused = su.execute("SELECT email FROM journal.person WHERE id = %s",
                             (mail_world.refused,)).fetchone()[0]
        logged = su.execute("SELECT parent_id FROM journal.letter_log").fetchall()
    assert set(_received(smtp_server[0])) == addresses
    assert refused not in addresses
    assert sorted(row[0] for row in logged) == sorted(mail_world.agreed)


def test_the_same_week_is_not_sent_twice_unless_forced_with_a_reason(
        mail_world: MailWorld, smtp_server: tuple[Inbox, int]) -> None:
    inbox = smtp_server[0]
    with connect_mail_role(mail_world.setup) as conn:
        send_week(conn, mail_world.setup, WEEK)
        again = send_week(conn, mail_world.setup, WEEK)
        assert again.sent == [] and len(again.already) == 2
        assert len(inbox.envelopes) == 2
        forced = send_week(conn, mail_world.setup, WEEK, force_reason="родитель не получил письмо")
        assert len(forced.sent) == 2
    assert len(inbox.envelopes) == 4
    with mail_world.demo.connect() as su:
        rows = su.execute("SELECT forced_reason, count(*) FROM journal.letter_log "
                          "GROUP BY 1 ORDER BY 1").fetchall()
        assert rows == [("", 2), ("родитель не получил письмо", 2)]
        with pytest.raises(psycopg.errors.UniqueViolation):
            su.execute("INSERT INTO journal.letter_log (parent_id, week_start, email, status) "
                       "VALUES (%s, %s, 'x@y.ru', 'sent')", (mail_world.agreed[0], WEEK))
