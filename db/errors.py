"""PostgreSQL errors as the program's error family (:mod:`kernel.errors`).

The database is the security boundary, so most refusals a person meets come from it: a
policy (SQLSTATE 42501), a CHECK or trigger (23514), a closed statement or period (EJ002),
a correction that needs a reason (EJ001). :func:`translate` turns any of them into an
:class:`~kernel.errors.EJournalError` with a Russian message; the database's own message is
kept when it is already Russian (the triggers and security functions write Russian).
"""

from __future__ import annotations

import re

import psycopg

from kernel.errors import (
    AccessDenied,
    ConflictError,
    EJournalError,
    LockedError,
    LoginError,
    ReasonRequired,
    ServerError,
    ValidationError,
)

REASON_REQUIRED = "EJ001"
"""A mark older than ``reason_after_days`` changes only with a reason (journal.reason)."""

RECORD_LOCKED = "EJ002"
"""A closed statement, a closed period or an archived year refuses the write."""

_CYRILLIC = re.compile("[А-Яа-яЁё]")
_SERVER_FATAL = re.compile(r"FATAL:\s+(.+)")


def _russian(text: str | None) -> str | None:
    """The text when it is a Russian message meant for people, else None."""
    if text and _CYRILLIC.search(text):
        return text.strip()
    return None


def needs_reason(exc: BaseException) -> bool:
    """True when the database refused a correction because it needs a reason."""
    if isinstance(exc, ReasonRequired):
        return True
    cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
    return isinstance(cause, psycopg.Error) and cause.sqlstate == REASON_REQUIRED


def _connection_error(exc: psycopg.Error) -> EJournalError:
    match = _SERVER_FATAL.search(str(exc))
    own = _russian(match.group(1).splitlines()[0]) if match else None
    if own:
        return LoginError(own)
    text = str(exc)
    if "password authentication failed" in text or "does not exist" in text:
        return LoginError("Неверный логин или пароль.")
    if "not permitted to log in" in text:
        return LoginError("Учётная запись заблокирована. Обратитесь к заведующему учебной частью.")
    return ServerError("Сервер базы данных недоступен. Проверьте, что он запущен, и повторите.")


def translate(exc: psycopg.Error) -> EJournalError:
    """The user-facing error for a psycopg error (keep ``exc`` as the cause when raising)."""
    state = exc.sqlstate or ""
    own = _russian(exc.diag.message_primary)
    if not state:
        return _connection_error(exc)
    if state == RECORD_LOCKED:
        return LockedError(own or "Запись закрыта: изменения запрещены.")
    if state == REASON_REQUIRED:
        return ReasonRequired(own or "Исправление требует причины.")
    if state == "42501":
        return AccessDenied(own or "Недостаточно прав для этого действия.")
    if state in ("40001", "40P01", "55P03"):
        return ConflictError("Запись одновременно изменил другой пользователь. Повторите.")
    if state == "23505":
        return ValidationError(own or "Такая запись уже есть.")
    if state == "23503":
        return ValidationError(own or "Запись ссылается на отсутствующие данные "
                                      "или на неё ссылаются другие записи.")
    if state == "23502":
        column = exc.diag.column_name or ""
        return ValidationError(own or f"Не заполнено обязательное поле «{column}».")
    if state.startswith(("22", "23")) or state == "P0002":
        return ValidationError(own or "Неверные данные: значение не соответствует правилам журнала.")
    if state.startswith("28"):
        return LoginError(own or "Вход не выполнен.")
    if state == "57014":
        return ServerError("Запрос выполнялся дольше допустимого и прерван сервером. "
                           "Повторите или сузьте отбор.")
    if state in ("25P03", "57P05"):
        return ServerError("Сеанс простаивал слишком долго и завершён сервером. "
                           "Повторите действие: программа подключится заново.")
    if state.startswith(("08", "57", "53")):
        return ServerError(own or "Связь с сервером базы данных прервана. Войдите заново.")
    return EJournalError(own or "Сервер базы данных отказал в операции.")
