"""The daily backup schedule (R15): a systemd timer where systemd runs, else a cron entry.

Installed by :mod:`core.scheduling` as the job ``ejournal-backup``:
``/etc/systemd/system/ejournal-backup.service`` and ``.timer`` (``OnCalendar=*-*-* HH:MM:00``,
``Persistent=true``, low I/O priority), or ``/etc/cron.d/ejournal-backup``, or a marked block in
an ordinary account's crontab. Its files (``schedule.env``, ``schedule.json``,
``scheduled.log``) live in the backup home, written for the administrators' group
(``core.backup.auth``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from pathlib import Path

from core import scheduling
from core.backup.auth import secure_folder, write_private
from core.backup.config import BackupSetup
from core.scheduling import KIND_TITLES, ScheduleInfo, detect_kind, next_due

__all__ = ["KIND_TITLES", "UNIT", "ScheduleError", "ScheduleInfo", "detect_kind", "install_schedule",
           "next_due", "remove_schedule", "reschedule", "schedule_status", "scheduled_command"]

UNIT = "ejournal-backup"


class ScheduleError(scheduling.ScheduleError):
    """The schedule could not be installed or removed."""

    title = "Расписание резервного копирования"


def _job(setup: BackupSetup, command: Sequence[str] = ()) -> scheduling.Job:
    return scheduling.Job(
        unit=UNIT, manager="ejournal backup schedule",
        title="Резервная копия электронного журнала",
        timer_title="Ежедневная резервная копия электронного журнала",
        absent="Расписание не установлено (ejournal backup schedule).",
        home=setup.home, data_dir=setup.settings.data_dir, time=setup.policy.time,
        command=tuple(command),
        service_options="Nice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=7\n",
        error=ScheduleError, private=partial(write_private, setup=setup))


def install_schedule(setup: BackupSetup, command: Sequence[str], *, root: Path = Path("/"),
                     kind: str | None = None) -> ScheduleInfo:
    """Install (or replace) the daily backup at ``setup.policy.time``.

    Args:
        setup: The installation and its backup policy.
        command: The program to run, e.g. ``["/usr/local/bin/ejournal", "backup", "run",
            "--scheduled"]``.
        root: Where the system's files are (``/``; a temporary folder in tests).
        kind: ``systemd``, ``cron`` or ``crontab``; default: what the machine has.
    """
    secure_folder(setup.home, setup, group_writes=True)
    return scheduling.install(_job(setup, command), root=root, kind=kind)


def scheduled_command() -> list[str]:
    """The command a schedule runs: this program's ``ejournal backup run --scheduled``."""
    return [*scheduling.this_program(), "backup", "run", "--scheduled"]


def reschedule(setup: BackupSetup) -> ScheduleInfo | None:
    """Move the installed schedule to ``setup.policy.time`` (same kind, place and command);
    None when no schedule is installed (``ejournal backup schedule`` installs one)."""
    installed = scheduling.installed_command(_job(setup))
    if installed is None:
        return None
    command, root = installed
    kind = schedule_status(setup).kind
    return install_schedule(setup, command or scheduled_command(), root=root, kind=kind)


def remove_schedule(setup: BackupSetup) -> ScheduleInfo:
    """Remove the installed schedule, if any."""
    return scheduling.remove(_job(setup))


def schedule_status(setup: BackupSetup, now: datetime | None = None) -> ScheduleInfo:
    """What is installed, and when the next run is due."""
    return scheduling.status(_job(setup), now)
