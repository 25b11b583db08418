"""How the weekly letter is sent: the ``[mail]`` section of ``ejournal.toml`` (issue 16.2, R20).

Read like ``[backup]`` (:func:`kernel.settings.load_section`): keyword overrides, then
``EJOURNAL_MAIL_<NAME>`` variables, then the section, then the defaults::

    [mail]
    host = "smtp.college.ru"     # the college's SMTP server
    port = 587
    starttls = true              # STARTTLS after connecting (false: plain, e.g. a local relay)
    login = "journal@college.ru" # empty: no SMTP login
    password_file = "/etc/ejournal/smtp.pass"   # the SMTP password, mode 0600, checked
    sender = "journal@college.ru"               # the letter's From
    weekday = "sat"              # when the scheduled letter goes: day of the week and time
    time = "10:00"
    home = ""                    # the mail role's password and the schedule (default <data_dir>/mail)
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from core.scheduling import WEEKDAYS
from kernel.errors import ConfigError, EJournalError
from kernel.settings import Settings, load_section

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class MailError(EJournalError):
    """A letter could not be composed or sent; one Russian sentence says why."""

    title = "Письма родителям"


@dataclass(frozen=True)
class MailPolicy:
    """Mail settings of one installation.

    Attributes:
        host: The SMTP server (empty: sending is not set up).
        port: Its port.
        starttls: Switch to TLS with STARTTLS after connecting.
        login: The SMTP login (empty: the server takes letters without one).
        password_file: The SMTP password, alone in a file only its owner reads (0600).
        sender: The From address of the letters.
        weekday: Day of the scheduled letter (mon … sun).
        time: ``HH:MM`` of the scheduled letter.
        home: Folder of the mail role's password and the schedule's files (empty: default).
    """

    host: str = ""
    port: int = 587
    starttls: bool = True
    login: str = ""
    password_file: str = ""
    sender: str = ""
    weekday: str = "sat"
    time: str = "10:00"
    home: str = ""


@dataclass(frozen=True)
class MailSetup:
    """The installation and its mail policy."""

    settings: Settings
    policy: MailPolicy

    @property
    def home(self) -> Path:
        """Folder of the mail role's password, the schedule's state and its log."""
        if self.policy.home:
            return Path(self.policy.home).expanduser()
        return Path(self.settings.data_dir) / "mail"

    @property
    def role_password_file(self) -> Path:
        """The database password of the mail role ``ejournal_mail`` (mode 0600)."""
        return self.home / "ejournal_mail.pass"


def load_policy(**overrides: object) -> MailPolicy:
    """The mail policy from overrides, ``EJOURNAL_MAIL_*``, ``[mail]`` and defaults.

    Raises:
        ConfigError: an unknown key, a value of the wrong kind, a bad day or time.
    """
    policy = load_section(MailPolicy, "mail", **overrides)
    if policy.weekday not in WEEKDAYS:
        raise ConfigError(f"День отправки писем «{policy.weekday}» задайте одним из: "
                          f"{', '.join(WEEKDAYS)}.")
    if not _TIME.match(policy.time):
        raise ConfigError(f"Время отправки писем «{policy.time}» задайте как ЧЧ:ММ.")
    return policy


def load_setup(settings: Settings, policy: MailPolicy | None = None) -> MailSetup:
    """The mail setup of ``settings`` with the configured (or the given) policy."""
    return MailSetup(settings, policy or load_policy())


def read_secret(path_text: str, what: str) -> str:
    """The first non-comment line of a password file that only its owner may read.

    Args:
        path_text: The file.
        what: Whose password it is, in Russian («пароль SMTP»), for the message.

    Raises:
        MailError: the file is not named, missing, unreadable, open to others, or empty.
    """
    if not path_text:
        raise MailError(f"Не задан файл, в котором лежит {what}: укажите password_file в разделе "
                        "[mail] файла настроек.")
    path = Path(path_text).expanduser()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise MailError(f"Не удалось прочитать файл {path}, в котором лежит {what}: "
                        f"{exc.strerror or exc}.") from exc
    if mode & 0o077:
        raise MailError(f"Файл {path}, в котором лежит {what}, доступен другим (права {mode:04o}): "
                        f"выполните «chmod 600 {path}».")
    secret = next((ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")), "")
    if not secret:
        raise MailError(f"Файл {path} пуст: запишите в него {what}.")
    return secret
