"""A logged-in person: who they are, what their roles allow, their connection.

The interfaces call these use-cases from worker threads; nothing here touches the screen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg

from core.config import Settings
from core.errors import EJournalError, LoginError
from db.connect import Credentials

ROLE_TITLES: dict[str, str] = {
    "admin": "заведующий учебной частью",
    "director": "директор",
    "deputy": "заместитель директора",
    "office": "учебная часть",
    "methodologist": "методист",
    "teacher": "преподаватель",
    "curator": "куратор",
    "support": "специалист сопровождения",
    "parent": "родитель",
    "student": "обучающийся",
}
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


@dataclass
class UserSession:
    """A person's connection to the journal; one statement at a time (guarded by a lock)."""

    credentials: Credentials
    person: Person
    conn: psycopg.Connection
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def settings(self) -> Settings:
        """The installation's settings."""
        return self.credentials.settings

    @contextmanager
    def cursor(self) -> Iterator[psycopg.Cursor]:
        """A cursor on the session's connection, reconnecting once if it was dropped."""
        with self.lock:
            if self.conn.closed or self.conn.broken:
                self.conn = self.credentials.connect()
            with self.conn.cursor() as cur:
                yield cur

    def new_connection(self) -> psycopg.Connection:
        """A separate connection as the same person (for background savers and listeners)."""
        return self.credentials.connect()

    def close(self) -> None:
        """Close the connection (logout)."""
        with self.lock:
            self.conn.close()


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
    except psycopg.Error as exc:
        conn.close()
        from db.errors import translate

        raise translate(exc) from exc
    except EJournalError:
        conn.close()
        raise
    return UserSession(credentials, person, conn)
