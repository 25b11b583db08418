"""The weekly letter's schedule (R20), installed like the backup's by :mod:`core.scheduling`.

The job ``ejournal-mail``: ``/etc/systemd/system/ejournal-mail.service`` and ``.timer``
(``OnCalendar=Sat *-*-* 10:00:00``, ``Persistent=true``), or ``/etc/cron.d/ejournal-mail``, or a
marked block in an ordinary account's crontab, at ``[mail] weekday`` and ``time``. Its files
(``schedule.env``, ``schedule.json``, ``scheduled.log``) live in the mail home. The run itself is
``ejournal mail send`` for the current week, as ``ejournal_mail``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core import scheduling
from core.mail.config import MailError, MailSetup
from core.scheduling import ScheduleInfo

__all__ = ["BEGIN", "END", "UNIT", "ScheduleInfo", "install_schedule", "remove_schedule",
           "schedule_status", "scheduled_command"]

UNIT = "ejournal-mail"
MANAGER = "ejournal mail schedule"
BEGIN, END = scheduling.block_marks(UNIT, MANAGER)


def _job(setup: MailSetup, command: Sequence[str] = ()) -> scheduling.Job:
    return scheduling.Job(
        unit=UNIT, manager=MANAGER, title="Еженедельные письма родителям",
        timer_title="Еженедельные письма родителям",
        absent="Расписание писем не установлено (ejournal mail schedule install).",
        home=setup.home, data_dir=setup.settings.data_dir, time=setup.policy.time,
        weekday=setup.policy.weekday, command=tuple(command), label="Письма родителям: ",
        error=MailError)


def scheduled_command() -> list[str]:
    """The command the schedule runs: this program's ``ejournal mail send``."""
    return [*scheduling.this_program(), "mail", "send"]


def install_schedule(setup: MailSetup, command: Sequence[str], *, root: Path = Path("/"),
                     kind: str | None = None) -> ScheduleInfo:
    """Install (or replace) the weekly run of ``command`` at ``[mail] weekday`` and ``time``.

    Under a test ``root`` only the files are written; on ``/`` the systemd timer is enabled
    and the crontab block goes to the account's own crontab.
    """
    return scheduling.install(_job(setup, command), root=root, kind=kind)


def remove_schedule(setup: MailSetup) -> ScheduleInfo:
    """Remove the installed schedule, if any."""
    return scheduling.remove(_job(setup))


def schedule_status(setup: MailSetup) -> ScheduleInfo:
    """What is installed."""
    return scheduling.status(_job(setup))
