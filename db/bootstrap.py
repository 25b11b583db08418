"""Bring a database to a usable state: server running, database present, schema current."""

from __future__ import annotations

import psycopg
from psycopg import sql

from db import migrate
from kernel.errors import ServerError
from kernel.settings import Settings, admin_dsn


def admin_conninfo(settings: Settings, dbname: str) -> str:
    """A superuser conninfo: the embedded server's own, or ``EJOURNAL_ADMIN_DSN``.

    For a college's own server the administrator gives the migration account's conninfo in
    ``EJOURNAL_ADMIN_DSN`` (the ``dbname`` there is replaced by ``dbname``).
    """
    if settings.embedded:
        from db.server.launcher import EmbeddedServer

        server = EmbeddedServer(settings)
        server.start()
        return server.superuser_conninfo(dbname)
    dsn = admin_dsn()
    if not dsn:
        raise ServerError(
            "Для обслуживания базы на сервере колледжа задайте EJOURNAL_ADMIN_DSN "
            "(подключение учётной записи, владеющей базой)."
        )
    return psycopg.conninfo.make_conninfo(dsn, dbname=dbname)


def connect_admin(settings: Settings, dbname: str | None = None) -> psycopg.Connection:
    """A superuser connection to ``dbname`` (default: the journal's database)."""
    conninfo = admin_conninfo(settings, dbname or settings.dbname)
    try:
        return psycopg.connect(conninfo, autocommit=True)
    except psycopg.OperationalError as exc:
        raise ServerError(f"Не удалось подключиться к базе «{dbname or settings.dbname}».") from exc


def database_exists(settings: Settings) -> bool:
    """True when the journal's database exists on the server."""
    with connect_admin(settings, "postgres") as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (settings.dbname,))
        return row.fetchone() is not None


def create_database(settings: Settings) -> None:
    """Create the journal's database; only ej_login members may connect to it."""
    with connect_admin(settings, "postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
            sql.Identifier(settings.dbname)))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(
            sql.Identifier(settings.dbname)))


def drop_database(settings: Settings) -> None:
    """Drop the journal's database, ending its sessions first (``demo --reset``)."""
    with connect_admin(settings, "postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(settings.dbname)))


def ensure_database(settings: Settings) -> list[str]:
    """Server up, database present, every migration applied; return migrations run now."""
    if not database_exists(settings):
        create_database(settings)
    with connect_admin(settings) as conn:
        return migrate.upgrade(conn)
