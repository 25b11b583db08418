"""Versioned schema migrations: ordered plain SQL files in ``db/migrations``.

Each file runs once, inside its own transaction, and is recorded in
``public.ejournal_migration`` with its checksum. Re-running :func:`upgrade` changes nothing;
a file changed after it was applied is refused (a new migration is the way to change a
schema that is in use).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import psycopg

from kernel.errors import ServerError

LEDGER = """
CREATE TABLE IF NOT EXISTS public.ejournal_migration (
    version    text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class Migration:
    """One SQL file of the migrations folder."""

    version: str
    sql: str

    @property
    def checksum(self) -> str:
        """sha256 of the file's text."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available() -> list[Migration]:
    """All migrations shipped with the program, in order."""
    folder = resources.files("db") / "migrations"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [Migration(f.name.removesuffix(".sql"), f.read_text("utf-8")) for f in files]


def applied(conn: psycopg.Connection) -> dict[str, str]:
    """Versions already applied to this database, with their checksums."""
    with conn.transaction():
        conn.execute(LEDGER)
    rows = conn.execute("SELECT version, checksum FROM public.ejournal_migration").fetchall()
    return {version: checksum for version, checksum in rows}


def upgrade(conn: psycopg.Connection) -> list[str]:
    """Apply every migration not yet applied; return the versions applied now.

    The connection must be a superuser's (migrations create roles and policies).

    Raises:
        ServerError: a migration failed or an applied one was changed since.
    """
    done = applied(conn)
    ran: list[str] = []
    for migration in available():
        if migration.version in done:
            if done[migration.version] != migration.checksum:
                raise ServerError(
                    f"Миграция {migration.version} изменена после применения; "
                    "изменения схемы вносятся только новой миграцией."
                )
            continue
        _apply(conn, migration)
        ran.append(migration.version)
    return ran


def _apply(conn: psycopg.Connection, migration: Migration) -> None:
    try:
        with conn.transaction():
            conn.execute(migration.sql.encode())
            conn.execute("RESET ROLE; RESET search_path")
            conn.execute(
                "INSERT INTO public.ejournal_migration (version, checksum) VALUES (%s, %s)",
                (migration.version, migration.checksum),
            )
    except psycopg.Error as exc:
        raise ServerError(f"Миграция {migration.version} не применена: {exc}") from exc


def schema_version(conn: psycopg.Connection) -> str:
    """The newest applied migration, or an empty string for an empty database."""
    versions = applied(conn)
    return max(versions) if versions else ""
