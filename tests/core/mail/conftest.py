"""A local SMTP server (aiosmtpd) and the demo college with two consenting parents.

``mail_world`` picks, in the demo, two parents with an e-mail whose children have marks,
absences and homework in the week of ``WEEK``, records their consent, a third parent's refusal,
and gives the mail role ``ejournal_mail`` a password kept in a 0600 file of the test.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope

from core.mail.config import MailPolicy, MailSetup
from core.mail.run import set_role_password
from tests.demo_fixture import DemoDb

WEEK = date(2026, 11, 30)
SMTP_LOGIN = "journal@college.test"
SMTP_PASSWORD = "smtp-secret"

BUSY_PARENTS = """
SELECT g.parent_id FROM journal.guardian g
  JOIN journal.person p ON p.id = g.parent_id AND p.email IS NOT NULL
  JOIN journal.student s ON s.person_id = g.student_id AND s.status = 'обучается'
 WHERE EXISTS (SELECT FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id
                WHERE a.student_id = s.person_id AND a.code IN ('НУ', 'НН')
                  AND l.lesson_date BETWEEN %(week)s AND %(week)s + 6)
   AND EXISTS (SELECT FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id
                WHERE m.student_id = s.person_id AND l.lesson_date BETWEEN %(week)s AND %(week)s + 6)
 GROUP BY g.parent_id ORDER BY g.parent_id LIMIT 3
"""


@dataclass
class Inbox:
    """What the SMTP server received, and the logins it was offered."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = auth_data.login == SMTP_LOGIN.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server that wants a login (``SMTP_LOGIN``/``SMTP_PASSWORD``), no TLS."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                            auth_required=True, auth_require_tls=False,
                            auth_exclude_mechanism=["LOGIN"])
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class MailWorld:
    """The demo with consents, the mail setup and who agreed."""

    demo: DemoDb
    setup: MailSetup
    agreed: list[int]
    refused: int


def smtp_password_file(folder: Path, mode: int = 0o600) -> Path:
    """The SMTP password in a file of that mode."""
    path = folder / "smtp.pass"
    path.write_text(f"# пароль SMTP\n{SMTP_PASSWORD}\n", encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def mail_world(demo_db: DemoDb, smtp_server: tuple[Inbox, int], tmp_path: Path) -> MailWorld:
    """Two consenting parents, one refusing; the mail role's password; SMTP settings."""
    policy = MailPolicy(host="127.0.0.1", port=smtp_server[1], starttls=False, login=SMTP_LOGIN,
                        password_file=str(smtp_password_file(tmp_path)), sender=SMTP_LOGIN,
                        home=str(tmp_path / "mail"))
    setup = MailSetup(demo_db.settings, policy)
    with demo_db.connect() as su:
        parents = [row[0] for row in su.execute(BUSY_PARENTS, {"week": WEEK}).fetchall()]
        assert len(parents) == 3, "the demo has three parents with a busy week"
        for parent, agreed in zip(parents, (True, True, False), strict=True):
            su.execute("INSERT INTO journal.letter_consent (parent_id, agreed) VALUES (%s, %s)",
                       (parent, agreed))
        set_role_password(su, setup)
    return MailWorld(demo_db, setup, parents[:2], parents[2])
