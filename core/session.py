"""A logged-in person: who they are, what their roles allow, their connection.

The interfaces call these use-cases from worker threads; nothing here touches the screen.
"""

from __future__ import annotations

import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import psycopg
from psycopg.pq import ConnStatus, TransactionStatus

from db.connect import Credentials
from kernel.errors import EJournalError, LoginError
from kernel.roles import ROLE_TITLES
from kernel.settings import Settings

if TYPE_CHECKING:
    from core.journal.saver import Saver

READ_ALL_ROLES = frozenset({"admin", "director", "deputy", "office", "methodologist"})
STAFF_ROLES = READ_ALL_ROLES | {"teacher", "curator", "support"}


@dataclass(frozen=True)
class Person:
    """The person behind the session, as the database's identity helper reports them."""

    person_id: int
    login: str
    full_name: str
    roles: frozenset[str]
    must_change_password: bool

    @property
    def role_titles(self) -> str:
        """Roles in Russian, comma-separated, in a stable order."""
        return ", ".join(title for key, title in ROLE_TITLES.items() if key in self.roles)

    def has(self, *roles: str) -> bool:
        """True when the person holds any of ``roles``."""
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        """College staff (sees students' data as far as their work needs)."""
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_family(self) -> bool:
        """A parent or a student and no member of staff: reads only their own (or their
        child's) journal, and opens on it after login."""
        return self.has("parent", "student") and not self.is_staff


@dataclass
class UserSession:
    """A person's connection to the journal; one statement at a time (guarded by a lock)."""

    credentials: Credentials
    person: Person
    conn: psycopg.Connection
    database_id: str = ""
    """The database's identity (``journal.database_id()``): the outbox is keyed by it."""
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _saver: Saver | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The installation's settings."""
        return self.credentials.settings

    @contextmanager
    def cursor(self) -> Iterator[psycopg.Cursor]:
        """A cursor on the session's connection, reconnecting quietly if it was dropped.

        The server ends a person's session that stays idle too long (idle_session_timeout,
        migration 0020), and an administrator or a restart may end it too; a connection found
        ended while it sat idle is replaced by a fresh one before the caller's first
        statement. A connection inside a transaction is never replaced silently.
        """
        with self.lock:
            if not connection_usable(self.conn):
                self.conn.close()
                self.conn = self.credentials.connect()
            with self.conn.cursor() as cur:
                yield cur

    def new_connection(self) -> psycopg.Connection:
        """A separate connection as the same person (for background savers and listeners)."""
        return self.credentials.connect()

    def saver(self) -> Saver:
        """The program's one background saver for this person (started on first use).

        Opening it creates this program's outbox file and takes over the outboxes that
        earlier runs of the same person left behind, so their changes are sent now.
        """
        if self._saver is None:
            from core.journal.outbox import Outbox
            from core.journal.saver import Saver

            outbox = Outbox.open(self.person.login, self.database_id)
            self._saver = Saver(self.new_connection, outbox)
            self._saver.start()
        return self._saver

    @property
    def has_saver(self) -> bool:
        """The saver was started (something may be on its way)."""
        return self._saver is not None

    def close(self) -> None:
        """Stop the saver (what is not sent stays in the outbox) and close the connection."""
        if self._saver is not None:
            self._saver.stop()
            self._saver = None
        with self.lock:
            self.conn.close()


def log_in_again(session: UserSession, password: str) -> None:
    """The server refused the session's password (reset, blocked): log in with the one typed
    now, as the same person, and let the saver go on.

    Raises:
        LoginError: still refused (wrong password, blocked, outside working hours), or the
            password belongs to another person.
        ServerError: the server cannot be reached.
    """
    fresh = log_in(session.settings, session.person.login, password)
    if fresh.person.person_id != session.person.person_id:
        fresh.close()
        raise LoginError("Этот пароль — другого пользователя.")
    with session.lock:
        old, session.conn = session.conn, fresh.conn
        session.credentials, session.person = fresh.credentials, fresh.person
    old.close()
    if session.has_saver and not fresh.person.must_change_password:
        session.saver().logged_in_again()


def connection_usable(conn: psycopg.Connection) -> bool:
    """False when the connection is closed, broken, or was ended by the server while idle.

    Without a round trip: a server that ends an idle session (idle_session_timeout, an
    administrator's pg_terminate_backend, a shutdown) first sends its FATAL message and then
    closes the socket, so the socket of an idle connection is readable; reading what is there
    tells an ended session (the read hits the closed end) from a stray notice.
    """
    if conn.closed or conn.broken:
        return False
    if conn.info.transaction_status != TransactionStatus.IDLE:
        return True
    try:
        for _ in range(3):
            ready, _w, _x = select.select([conn.fileno()], [], [], 0)
            if not ready:
                break
            conn.pgconn.consume_input()
    except (OSError, psycopg.Error):
        return False
    return conn.pgconn.status == ConnStatus.OK


def fetch_person(conn: psycopg.Connection) -> Person:
    """Ask the database who this connection is (``journal.whoami()``)."""
    row = conn.execute(
        "SELECT person_id, login, full_name, roles, must_change_password FROM journal.whoami()"
    ).fetchone()
    if row is None or row[0] is None:
        raise LoginError("Учётная запись не связана с человеком в журнале. Обратитесь к администратору.")
    return Person(int(row[0]), row[1], row[2], frozenset(row[3] or ()), bool(row[4]))


def log_in(settings: Settings, login: str, password: str) -> UserSession:
    """Derive the password, connect as the person and learn their roles.

    Raises:
        LoginError: wrong login or password, blocked account, refused by policy.
        ServerError: the server cannot be reached.
    """
    if not login.strip() or not password:
        raise LoginError("Введите логин и пароль.")
    credentials = Credentials.from_typed(settings, login, password)
    conn = credentials.connect()
    try:
        person = fetch_person(conn)
        database_id = conn.execute("SELECT journal.database_id()").fetchone()
    except psycopg.Error as exc:
        conn.close()
        from db.errors import translate

        raise translate(exc) from exc
    except EJournalError:
        conn.close()
        raise
    return UserSession(credentials, person, conn, str(database_id[0]) if database_id else "")
