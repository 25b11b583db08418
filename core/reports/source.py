"""Where a report reads: the ``report_host`` streaming standby when one is set (docs/scaling.md),
else the person's own connection to the primary.

A report only reads, so it may run a little behind the primary on the standby and takes no
load off the server the teachers type into. When the standby cannot be reached the report is
built on the primary and says so in a Russian note under the table; writes (remarks, the
office's recorded check, retake dates) always go to the primary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import psycopg

from core.reports.table import ReportTable
from core.session import UserSession
from db.errors import translate
from kernel.errors import EJournalError

T = TypeVar("T")

STANDBY_DOWN = ("Сервер отчётов (резервная копия базы) недоступен: отчёт построен по "
                "основному серверу.")


@dataclass(frozen=True)
class Read(Generic[T]):
    """What a report read, and a note when it did not read where it was meant to."""

    value: T
    note: str = ""

    def on(self, table: ReportTable) -> ReportTable:
        """``table`` (built from the value) with the note, if any, under it."""
        if not self.note:
            return table
        return replace(table, notes=(*table.notes, self.note))


def on_primary(session: UserSession, action: Callable[[psycopg.Connection], T]) -> T:
    """Run ``action`` on the person's own connection; database errors in Russian."""
    try:
        with session.cursor() as cur:
            return action(cur.connection)
    except psycopg.Error as exc:
        _raise_translated(exc)
        raise


def read(session: UserSession, action: Callable[[psycopg.Connection], T]) -> Read[T]:
    """Run the read-only ``action`` on the report server when ``report_host`` is set, on the
    primary otherwise or when the report server does not answer (then with a note)."""
    if not session.settings.report_host:
        return Read(on_primary(session, action))
    try:
        conn = session.credentials.connect_reports()
    except EJournalError:
        return Read(on_primary(session, action), STANDBY_DOWN)
    try:
        with conn:
            return Read(action(conn))
    except psycopg.OperationalError:
        if not conn.broken:
            raise
        return Read(on_primary(session, action), STANDBY_DOWN)
    except psycopg.Error as exc:
        _raise_translated(exc)
        raise


def _raise_translated(exc: psycopg.Error) -> None:
    """Raise the Russian error for ``exc`` when there is one."""
    error = translate(exc)
    if isinstance(error, EJournalError):
        raise error from exc
