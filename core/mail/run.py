"""Send the week's letters and log them (issue 16.2, R20).

One transaction per letter on the sender's connection: ``journal.mail_claim`` takes the
parent's week in the log (nothing when that week has already gone to that parent: the unique
index of migration 0100), the letter goes to the SMTP server, and ``journal.mail_finish``
writes its Message-ID or the error. A deliberate resend gives a reason (``force_reason``),
kept in the log. The SMTP settings are checked (and the server logged in to) before any letter
is claimed, so bad settings leave no trace in the log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

import psycopg
from psycopg import sql

from core.mail.compose import message, plain_text, subject
from core.mail.config import MailError, MailSetup, read_secret
from core.mail.recipients import Letter, letters
from core.mail.send import Transport
from db.connect import connect, server_params

MAIL_ROLE = "ejournal_mail"
CLAIM = "SELECT journal.mail_claim(%s, %s, %s, %s)"
FINISH = "SELECT journal.mail_finish(%s, %s, %s)"


@dataclass
class SendReport:
    """What a run did, parent by parent («Фамилия Имя Отчество <адрес>»)."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One Russian line: how many sent, skipped and failed."""
        text = f"Отправлено писем: {len(self.sent)}"
        if self.already:
            text += f"; уже отправлены за эту неделю раньше: {len(self.already)}"
        if self.failed:
            text += f"; не отправлены: {len(self.failed)}"
        return text + "."


def _who(letter: Letter) -> str:
    return f"{letter.parent_name} <{letter.email}>"


def preview(conn: psycopg.Connection, week: date, group: str | None = None) -> list[str]:
    """The letters as they would go, as text (``--dry-run``); nothing is sent or logged."""
    return [f"Кому: {_who(one)}\nТема: {subject(one)}\n\n{plain_text(one)}"
            for one in letters(conn, week, group)]


def send_week(conn: psycopg.Connection, setup: MailSetup, week: date, group: str | None = None,
              *, force_reason: str = "") -> SendReport:
    """Send the letters of the week beginning on Monday ``week``.

    Args:
        conn: The sender's connection (the mail role, or a curator's own), autocommit.
        setup: The installation and its ``[mail]`` settings.
        week: The Monday of the week.
        group: One group's parents only (a curator sends for their own group).
        force_reason: Resend letters already sent for this week, with this reason (logged).

    Raises:
        MailError: the SMTP settings are wrong or the server cannot be reached.
    """
    report = SendReport()
    todo = letters(conn, week, group)
    if not todo:
        return report
    with Transport(setup.policy) as transport:
        for letter in todo:
            _send_one(conn, transport, setup, letter, force_reason.strip(), report)
    return report


def _send_one(conn: psycopg.Connection, transport: Transport, setup: MailSetup, letter: Letter,
              force_reason: str, report: SendReport) -> None:
    with conn.transaction():
        row = conn.execute(CLAIM, (letter.parent_id, letter.week, letter.email, force_reason)).fetchone()
        claimed = row[0] if row else None
        if claimed is None:
            report.already.append(_who(letter))
            return
        mail = message(letter, setup.policy.sender)
        try:
            transport.send(mail)
        except MailError as exc:
            conn.execute(FINISH, (claimed, "", exc.message))
            report.failed.append((_who(letter), exc.message))
            return
        conn.execute(FINISH, (claimed, str(mail["Message-ID"]), ""))
        report.sent.append(_who(letter))


def connect_mail_role(setup: MailSetup) -> psycopg.Connection:
    """A connection as ``ejournal_mail`` with the password of its file (mode 0600)."""
    password = read_secret(str(setup.role_password_file), f"пароль роли {MAIL_ROLE}")
    return connect({**server_params(setup.settings), "user": MAIL_ROLE, "password": password})


def set_role_password(admin: psycopg.Connection, setup: MailSetup) -> str:
    """Give ``ejournal_mail`` a new random password; write it to its file (0600).

    ``admin`` is a superuser's connection; the password travels only as a SCRAM verifier.
    """
    password = secrets.token_urlsafe(32)
    verifier = admin.pgconn.encrypt_password(password.encode(), MAIL_ROLE.encode(),
                                             b"scram-sha-256").decode()
    admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(MAIL_ROLE), sql.Literal(verifier)))
    path = setup.role_password_file
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_text(f"# Пароль роли {MAIL_ROLE} (ejournal mail setup).\n{password}\n", encoding="utf-8")
    return password


def check_week(week: date) -> date:
    """The week's Monday, refusing a day that is not one."""
    if week.weekday() != 0:
        raise MailError(f"Неделя задаётся датой понедельника, а {week:%d.%m.%Y} — не понедельник.")
    return week
