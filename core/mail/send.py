"""The college's SMTP server: connect, STARTTLS, log in, send (issue 16.2).

Every failure becomes one Russian sentence (:class:`~core.mail.config.MailError`): the server
unreachable (wrong host or port), STARTTLS refused, the login refused, the password file
missing or open to others, a letter refused.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType

from core.mail.config import MailError, MailPolicy, read_secret

TIMEOUT_S = 30


class Transport:
    """An open, logged-in SMTP connection (a context manager).

    Args:
        policy: The ``[mail]`` settings: host, port, STARTTLS, login and the password file.
    """

    def __init__(self, policy: MailPolicy) -> None:
        if not policy.host or not policy.sender:
            raise MailError("Отправка писем не настроена: укажите host и sender в разделе [mail] "
                            "файла настроек.")
        self.policy = policy
        self.password = read_secret(policy.password_file, "пароль SMTP") if policy.login else ""
        self.smtp: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        """«smtp.college.ru:587»."""
        return f"{self.policy.host}:{self.policy.port}"

    def __enter__(self) -> Transport:
        try:
            self.smtp = smtplib.SMTP(self.policy.host, self.policy.port, timeout=TIMEOUT_S)
            if self.policy.starttls:
                self.smtp.starttls(context=ssl.create_default_context())
        except smtplib.SMTPNotSupportedError as exc:
            self.close()
            raise MailError(f"Сервер почты {self.where} не поддерживает STARTTLS или вход "
                            "по паролю: проверьте port и starttls в разделе [mail].") from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailError(f"Не удалось подключиться к серверу почты {self.where}: "
                            f"{_reason(exc)}; проверьте host, port и starttls в разделе [mail].") from exc
        if self.policy.login:
            self._log_in()
        return self

    def _log_in(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.login(self.policy.login, self.password)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailError(f"Сервер почты {self.where} не принял логин «{self.policy.login}» "
                            "и пароль: проверьте login и файл пароля в разделе [mail].") from exc

    def send(self, mail: EmailMessage) -> None:
        """Hand one letter to the server.

        Raises:
            MailError: the server refused it or the connection broke.
        """
        if self.smtp is None:
            raise MailError("Соединение с сервером почты не открыто.")
        try:
            self.smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"Сервер почты не принял письмо для {mail['To']}: {_reason(exc)}.") from exc

    def close(self) -> None:
        """Say goodbye to the server (quietly, whatever state the connection is in)."""
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
        self.smtp = None

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "соединение отклонено (сервер не слушает этот порт)"
    if isinstance(exc, TimeoutError):
        return "сервер не ответил вовремя"
    if isinstance(exc, ssl.SSLError):
        return "ошибка защищённого соединения (TLS)"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"код {exc.smtp_code}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "адрес получателя отклонён"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return "соединение прервано"
