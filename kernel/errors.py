"""One family of errors a user can act on.

Every error shown to a person is an :class:`EJournalError` (or a subclass) with a short
Russian title and a Russian message of one or two sentences. Tracebacks go to the log file,
never to the screen.
"""

from __future__ import annotations


class EJournalError(Exception):
    """An error the user can act on, with a Russian title and message.

    Args:
        message: What happened and what to do, in Russian, one or two sentences.
        title: A short heading for the error dialog.
        field: The form field the error is about, when it is about one.
    """

    title = "Ошибка"
    field: str | None = None
    """The form field the error is about (a column name such as ``"topic"``), if any: a form
    shows the message beside that field, otherwise in its status line."""

    def __init__(self, message: str, *, title: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title
        if field is not None:
            self.field = field

    def __str__(self) -> str:
        return self.message


class ServerError(EJournalError):
    """The database server cannot be started, stopped or reached."""

    title = "Сервер базы данных"


class LoginError(EJournalError):
    """Login refused: wrong login or password, blocked account, outside working hours."""

    title = "Вход не выполнен"


class AccessDenied(EJournalError):
    """The database refused an action because the person has no right to it."""

    title = "Нет прав"


class ValidationError(EJournalError):
    """Input that breaks a rule of the regulation (a bad mark, a date outside the period)."""

    title = "Неверные данные"


class ReasonRequired(ValidationError):
    """A correction of a mark older than ``reason_after_days`` needs a reason (R14)."""

    title = "Нужна причина исправления"


class ConflictError(EJournalError):
    """Someone else changed the same record meanwhile."""

    title = "Изменено другим пользователем"


class LockedError(EJournalError):
    """The record belongs to a closed statement, period or archived year."""

    title = "Запись закрыта"


class ConfigError(EJournalError):
    """The configuration file or an EJOURNAL_* variable is wrong."""

    title = "Настройки"
