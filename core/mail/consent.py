"""A parent's consent to the weekly letter, set by the curator or the office; sending on demand.

Runs on the person's own session: row-level security lets the curator of one of the parent's
children, the office and the admin write the consent (migration 0100), and every change
leaves a history row with the reason given. The curator sends the week's letters of their
group through the same database functions as the scheduled run (``core.mail.run``).
"""

from __future__ import annotations

from datetime import date

import psycopg

from core.mail.config import load_setup
from core.mail.recipients import week_start
from core.mail.run import SendReport, send_week
from core.session import UserSession
from db.connect import transaction
from db.errors import translate
from kernel import clock

READ = "SELECT agreed FROM journal.letter_consent WHERE parent_id = %s"
WRITE = """
INSERT INTO journal.letter_consent (parent_id, agreed) VALUES (%s, %s)
ON CONFLICT (parent_id) DO UPDATE
   SET agreed = excluded.agreed, changed_at = now(), changed_by = session_user
"""


def consent_of(session: UserSession, parent_id: int) -> bool | None:
    """Whether the parent agreed (None: never asked)."""
    with session.cursor() as cur:
        row = cur.execute(READ, (parent_id,)).fetchone()
    return None if row is None else bool(row[0])


def set_consent(session: UserSession, parent_id: int, agreed: bool, reason: str = "") -> None:
    """Record the parent's consent (or its withdrawal), with the reason, in the history."""
    try:
        with session.lock, transaction(session.conn, reason):
            session.conn.execute(WRITE, (parent_id, agreed))
    except psycopg.Error as exc:
        raise translate(exc) from exc


def send_group_letters(session: UserSession, group: str, today: date | None = None) -> SendReport:
    """Send this week's letters to the consenting parents of ``group`` (the curator's own)."""
    setup = load_setup(session.settings)
    try:
        with session.lock:
            return send_week(session.conn, setup, week_start(today or clock.today()), group)
    except psycopg.Error as exc:
        raise translate(exc) from exc
