"""Connections as a person (their own login role) and the libpq URIs for other SQL tools.

A person's connection carries exactly their rights: the database's row-level security decides
what they see. Across the LAN TLS with channel binding is required; over the embedded
server's Unix socket it is not needed (the socket never leaves the machine).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import psycopg

from kernel.errors import LoginError, ServerError
from kernel.passwords import derive_password
from kernel.settings import Settings

CONNECT_TIMEOUT_S = 15
"""How long a connection may take to be answered. Thirty teachers pressing Enter at once on
a two-core server (bench/ssh_load.py) waited more than 5 s for the server: 2 of 30 were
told the server was down."""
APPLICATION_NAME = "ejournal"


def server_params(settings: Settings) -> dict[str, str]:
    """host/port/dbname (and TLS demands for a remote server) as libpq keywords."""
    params = {"dbname": settings.dbname, "port": str(settings.port)}
    if settings.embedded:
        params["host"] = settings.socket_dir
    else:
        params["host"] = settings.host
        if not settings.host.startswith("/"):
            params["sslmode"] = settings.sslmode
            params["channel_binding"] = "require"
    return params


def person_params(settings: Settings, login: str, derived_password: str) -> dict[str, str]:
    """libpq keywords of a person's own connection."""
    return {**server_params(settings), "user": login, "password": derived_password}


def report_params(settings: Settings, login: str, derived_password: str) -> dict[str, str]:
    """libpq keywords of a person's connection for reading reports.

    With ``report_host`` set, reports read from that streaming standby (``report_port``, or
    the main ``port``); the standby is read-only and a little behind the primary, which reports
    tolerate. Without it, the same as :func:`person_params`.
    """
    params = person_params(settings, login, derived_password)
    if settings.report_host:
        params["host"] = settings.report_host
        params["port"] = str(settings.report_port or settings.port)
        params.pop("sslmode", None)
        params.pop("channel_binding", None)
        if not settings.report_host.startswith("/"):
            params["sslmode"] = settings.sslmode
            params["channel_binding"] = "require"
    return params


def person_uri(settings: Settings, login: str, derived_password: str) -> str:
    """A ``postgresql://`` URI that any SQL tool (psql, DBeaver) accepts."""
    params = person_params(settings, login, derived_password)
    host = params.pop("host")
    user = quote(params.pop("user"), safe="")
    password = quote(params.pop("password"), safe="")
    dbname = quote(params.pop("dbname"), safe="")
    port = params.pop("port")
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items())
    if host.startswith("/"):
        query = f"host={quote(host, safe='')}" + (f"&{query}" if query else "")
        return f"postgresql://{user}:{password}@:{port}/{dbname}?{query}"
    return f"postgresql://{user}:{password}@{host}:{port}/{dbname}" + (f"?{query}" if query else "")


def _login_error(exc: psycopg.OperationalError) -> Exception:
    text = str(exc)
    if "password authentication failed" in text or "does not exist" in text:
        return LoginError("Неверный логин или пароль.")
    if "not permitted to log in" in text:
        return LoginError("Учётная запись заблокирована. Обратитесь к заведующему учебной частью.")
    if "too many" in text or "remaining connection slots" in text:
        return ServerError("Сервер перегружен: слишком много подключений. Попробуйте через минуту.")
    if "вход" in text or "заблок" in text or "рабоч" in text:
        return LoginError(text.split("FATAL:")[-1].strip().split("\n")[0])
    if "timeout expired" in text:
        return ServerError(f"Сервер не ответил за {CONNECT_TIMEOUT_S} с: он перегружен или "
                           "недоступен. Повторите вход через минуту.")
    if "SSL" in text or "channel binding" in text:
        return ServerError("Не удалось установить защищённое соединение с сервером (TLS).")
    return ServerError("Сервер базы данных недоступен. Проверьте, что он запущен, и повторите.")


def connect(params: dict[str, str], *, autocommit: bool = True) -> psycopg.Connection:
    """Open a connection; map libpq failures to LoginError/ServerError."""
    try:
        conninfo = psycopg.conninfo.make_conninfo(
            **params, connect_timeout=str(CONNECT_TIMEOUT_S), application_name=APPLICATION_NAME
        )
        return psycopg.connect(conninfo, autocommit=autocommit)
    except psycopg.OperationalError as exc:
        raise _login_error(exc) from exc


@dataclass
class Credentials:
    """A logged-in person's way to (re)connect: login and derived password, never the typed one."""

    settings: Settings
    login: str
    derived_password: str

    @classmethod
    def from_typed(cls, settings: Settings, login: str, password: str) -> Credentials:
        """Derive the PostgreSQL password (argon2id) from what the person typed."""
        login = login.strip().lower()
        derived = derive_password(login, password, installation_salt=settings.auth_salt)
        return cls(settings, login, derived)

    @property
    def params(self) -> dict[str, str]:
        """libpq keywords of this person's connection."""
        return person_params(self.settings, self.login, self.derived_password)

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection:
        """A new connection as this person."""
        return connect(self.params, autocommit=autocommit)

    def connect_reports(self) -> psycopg.Connection:
        """A read-only connection as this person for reports: the ``report_host`` standby
        when one is set, else the main server (docs/scaling.md)."""
        conn = connect(report_params(self.settings, self.login, self.derived_password))
        if self.settings.report_host:
            conn.read_only = True
        return conn


@contextmanager
def transaction(conn: psycopg.Connection, reason: str = "") -> Iterator[psycopg.Connection]:
    """A transaction carrying the reason of a correction into the history triggers (R14)."""
    with conn.transaction():
        if reason:
            conn.execute("SELECT set_config('journal.reason', %s, true)", (reason,))
        yield conn
