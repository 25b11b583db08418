"""Running a command of the program at set times: one way for every scheduled job.

A :class:`Job` (its name, command, daily or weekly ``HH:MM``, its home folder and texts) is
installed as whichever the machine has (:func:`detect_kind`):

- ``systemd`` (root, systemd is PID 1): ``/etc/systemd/system/<unit>.service`` and ``.timer``
  (``OnCalendar=[Day ]*-*-* HH:MM:00``, ``Persistent=true``: a run missed while the machine was
  off happens at the next boot), then ``systemctl daemon-reload`` and ``enable --now``.
- ``cron`` (root without systemd): ``/etc/cron.d/<unit>``, run as root.
- ``crontab`` (an ordinary account): a block between ``# BEGIN <unit>`` and ``# END <unit>``
  in the account's own crontab; other lines, and other jobs' blocks, stay as they are.

The job reads the ``EJOURNAL_*`` variables of the installing shell from ``<home>/schedule.env``
(mode 0600), so it sees the same settings file and data folder; its output goes to
``<home>/scheduled.log``; ``<home>/schedule.json`` remembers what was installed. With ``root``
other than ``/`` every file goes under that folder and no system command is run (tests).
Used by the daily backup (``core.backup.schedule``, R15) and the weekly letter
(``core.mail.schedule``, R20).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from kernel.errors import EJournalError
from kernel.settings import config_file, program_variables

KIND_TITLES = {"systemd": "таймер systemd", "cron": "cron (/etc/cron.d)", "crontab": "crontab пользователя"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY = dict(zip(WEEKDAYS, ("каждый понедельник", "каждый вторник", "каждую среду", "каждый четверг",
                            "каждую пятницу", "каждую субботу", "каждое воскресенье"), strict=True))
# How schedule.json of the weekly letter said the day before the job's state was shared.
_OLD_DAYS = dict(zip(("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу",
                      "воскресенье"), WEEKDAYS, strict=True))
_LIVE = Path("/")


class ScheduleError(EJournalError):
    """A schedule could not be installed or removed."""

    title = "Расписание"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (mode 0600, folder 0700 when new), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def write_public(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (mode 0644), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)
    tmp.replace(path)


def block_marks(unit: str, manager: str) -> tuple[str, str]:
    """The first and last lines of a job's block in a crontab."""
    return f"# BEGIN {unit} (managed by «{manager}»)", f"# END {unit}"


@dataclass(frozen=True)
class Job:
    """One scheduled job of the program.

    Attributes:
        unit: Name of the systemd units, the cron.d file and the crontab block
            (``ejournal-backup``).
        manager: The command that installs it (``ejournal backup schedule``), named in the files.
        title: What it does, in Russian (the service's and the cron file's description).
        timer_title: The timer's description, in Russian.
        absent: The Russian sentence shown while nothing is installed.
        home: Folder of ``schedule.env``, ``schedule.json`` and ``scheduled.log``.
        data_dir: The data folder the job works on (written into ``schedule.env``).
        time: ``HH:MM``, local time.
        weekday: ``mon`` … ``sun``; empty: every day.
        command: The program and its arguments.
        label: Words before the time in :meth:`ScheduleInfo.describe` (``Письма родителям: ``).
        service_options: Extra ``[Service]`` lines (priorities).
        error: The error raised when a file or a system command fails.
        private: Writes the job's own files (``schedule.env``, ``schedule.json``).
    """

    unit: str
    manager: str
    title: str
    timer_title: str
    absent: str
    home: Path
    data_dir: str = ""
    time: str = "00:00"
    weekday: str = ""
    command: tuple[str, ...] = ()
    label: str = ""
    service_options: str = ""
    error: type[EJournalError] = ScheduleError
    private: Callable[[Path, str], None] = field(default=write_private, compare=False)

    @property
    def begin(self) -> str:
        """The first line of the job's block in a crontab."""
        return block_marks(self.unit, self.manager)[0]

    @property
    def end(self) -> str:
        """The last line of the job's block in a crontab."""
        return block_marks(self.unit, self.manager)[1]

    @property
    def state_file(self) -> Path:
        """What was installed (``schedule.json``)."""
        return self.home / "schedule.json"


@dataclass(frozen=True)
class ScheduleInfo:
    """An installed schedule (or its absence).

    ``next_due`` is known for daily jobs only.
    """

    installed: bool
    kind: str = ""
    time: str = ""
    files: tuple[str, ...] = ()
    next_due: datetime | None = None
    weekday: str = ""
    label: str = ""
    absent: str = "Расписание не установлено."

    @property
    def when(self) -> str:
        """``ежедневно в 03:15`` or ``каждую субботу в 10:00``."""
        return f"{EVERY.get(self.weekday, 'ежедневно')} в {self.time}"

    def describe(self) -> str:
        """One Russian line about the schedule."""
        if not self.installed:
            return self.absent
        due = f"; следующий запуск {self.next_due:%d.%m.%Y %H:%M}" if self.next_due else ""
        line = f"{self.label}{self.when}, {KIND_TITLES.get(self.kind, self.kind)}{due}."
        return line[0].upper() + line[1:]


def next_due(time_text: str, now: datetime | None = None) -> datetime:
    """The next moment the daily ``HH:MM`` comes (local time)."""
    moment = now or datetime.now()
    hours, minutes = (int(part) for part in time_text.split(":"))
    due = moment.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return due if due > moment else due + timedelta(days=1)


def this_program() -> list[str]:
    """How a schedule starts this program: the ``ejournal`` that runs now, else the one on
    ``PATH``, else this Python with ``-m cli``."""
    here = Path(sys.argv[0])
    if here.name == "ejournal" and here.exists():
        return [str(here.absolute())]
    found = shutil.which("ejournal")
    return [found] if found else [sys.executable, "-m", "cli"]


def detect_kind(root: Path) -> str:
    """``systemd``, ``cron`` or ``crontab``, whichever this machine (or ``root``) has."""
    if os.geteuid() != 0:
        return "crontab"
    if (root / "run/systemd/system").is_dir() and (root != _LIVE or shutil.which("systemctl")):
        return "systemd"
    return "cron"


def _env_text(job: Job) -> str:
    values = program_variables()
    values["EJOURNAL_CONFIG"] = str(config_file().absolute())
    values["EJOURNAL_DATA_DIR"] = str(Path(job.data_dir).absolute())
    values.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    lines = [f"# Settings of the scheduled {job.unit} (written by «{job.manager}»)."]
    lines += [f"{key}={shlex.quote(value)}" for key, value in sorted(values.items())]
    return "\n".join(lines) + "\n"


def _cron_time(job: Job) -> str:
    hours, minutes = (int(part) for part in job.time.split(":"))
    day = str(WEEKDAYS.index(job.weekday) + 1) if job.weekday else "*"
    return f"{minutes} {hours} * * {day}"


def _job_line(job: Job) -> str:
    env = shlex.quote(str(job.home / "schedule.env"))
    run = " ".join(shlex.quote(part) for part in job.command)
    log = shlex.quote(str(job.home / "scheduled.log"))
    return f"/bin/sh -c {shlex.quote(f'set -a; . {env}; set +a; exec {run}')} >> {log} 2>&1"


def _systemd_units(job: Job) -> dict[str, str]:
    run = " ".join(shlex.quote(part) for part in job.command)
    service = (
        f"[Unit]\nDescription={job.title} (ejournal)\n"
        "After=network-online.target local-fs.target\n\n"
        f"[Service]\nType=oneshot\nEnvironmentFile={job.home / 'schedule.env'}\nExecStart={run}\n"
        f"{job.service_options}"
    )
    day = f"{job.weekday.capitalize()} " if job.weekday else ""
    timer = (
        f"[Unit]\nDescription={job.timer_title}\n\n"
        f"[Timer]\nOnCalendar={day}*-*-* {job.time}:00\nPersistent=true\n"
        f"Unit={job.unit}.service\n\n[Install]\nWantedBy=timers.target\n"
    )
    return {f"{job.unit}.service": service, f"{job.unit}.timer": timer}


def _run(job: Job, args: list[str], text: str | None = None) -> str:
    """Run a system command (systemctl, crontab); its output, or the job's error on failure."""
    try:
        done = subprocess.run(args, input=text, capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise job.error(f"Не удалось выполнить {args[0]}: {exc}.") from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise job.error(f"Команда «{' '.join(args)}» завершилась с ошибкой: "
                        f"{reason[-1] if reason else done.returncode}.")
    return done.stdout


def _read_crontab(job: Job, root: Path) -> str:
    if root != _LIVE:
        path = root / "crontab"
        return path.read_text("utf-8") if path.exists() else ""
    if shutil.which("crontab") is None:
        raise job.error("Программа crontab не найдена: установите cron или используйте root.")
    done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=30, check=False)
    return done.stdout if done.returncode == 0 else ""   # no crontab yet: empty


def _write_crontab(job: Job, root: Path, text: str) -> None:
    if root != _LIVE:
        write_public(root / "crontab", text)
        return
    _run(job, ["crontab", "-"], text)


def _without_block(job: Job, text: str) -> list[str]:
    """The crontab's lines without this job's block (other jobs' blocks are kept)."""
    lines, inside = [], False
    for line in text.splitlines():
        if line == job.begin:
            inside = True
        elif line == job.end:
            inside = False
        elif not inside:
            lines.append(line)
    return lines


def _install_files(job: Job, kind: str, root: Path) -> list[str]:
    if kind == "systemd":
        folder = root / "etc/systemd/system"
        units = _systemd_units(job)
        for name, text in units.items():
            write_public(folder / name, text)
        if root == _LIVE:
            _run(job, ["systemctl", "daemon-reload"])
            _run(job, ["systemctl", "enable", "--now", f"{job.unit}.timer"])
        return [str(folder / name) for name in units]
    if kind == "cron":
        path = root / "etc/cron.d" / job.unit
        write_public(path, f"# {job.title} ({job.manager})\n"
                           f"SHELL=/bin/sh\n{_cron_time(job)} root {_job_line(job)}\n")
        return [str(path)]
    lines = _without_block(job, _read_crontab(job, root))
    lines += [job.begin, f"{_cron_time(job)} {_job_line(job)}", job.end]
    _write_crontab(job, root, "\n".join(lines) + "\n")
    return [str(root / "crontab") if root != _LIVE else "crontab"]


def install(job: Job, *, root: Path = _LIVE, kind: str | None = None) -> ScheduleInfo:
    """Install (or replace) ``job``.

    Args:
        job: What to run and when.
        root: Where the system's files are (``/``; a temporary folder in tests).
        kind: ``systemd``, ``cron`` or ``crontab``; default: what the machine has.
    """
    chosen = kind or detect_kind(root)
    if chosen not in KIND_TITLES:
        raise job.error(f"Неизвестный способ расписания «{chosen}»: systemd, cron или crontab.")
    env_file = job.home / "schedule.env"
    job.private(env_file, _env_text(job))
    env_file.chmod(0o600)
    try:
        files = _install_files(job, chosen, root)
    except OSError as exc:
        raise job.error(f"Не удалось записать файлы расписания: {exc.strerror} "
                        f"({exc.filename}); нужны права root.") from exc
    state = {"kind": chosen, "time": job.time, "weekday": job.weekday, "files": files,
             "root": str(root), "command": list(job.command),
             "installed_at": datetime.now().astimezone().isoformat(timespec="seconds")}
    job.private(job.state_file, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
    return status(job)


@dataclass(frozen=True)
class _Saved:
    """What ``schedule.json`` says was installed."""

    kind: str
    time: str
    weekday: str
    files: tuple[str, ...]
    root: Path
    command: tuple[str, ...]


def _saved(job: Job) -> _Saved | None:
    """schedule.json, if readable (the weekly letter's older files said ``when``, not ``time``)."""
    try:
        state = json.loads(job.state_file.read_text("utf-8"))
        if "time" not in state:   # {"when": "субботу в 10:00", ...}
            day, state["time"] = state["when"].rsplit(" в ", 1)
            state["weekday"] = _OLD_DAYS[day]
        return _Saved(str(state["kind"]), str(state["time"]), str(state.get("weekday") or ""),
                      tuple(str(f) for f in state["files"]), Path(str(state.get("root", "/"))),
                      tuple(str(part) for part in state.get("command") or ()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def installed_command(job: Job) -> tuple[list[str], Path] | None:
    """The command (empty if not recorded) and root of the installed schedule; None when
    nothing is installed."""
    saved = _saved(job)
    if saved is None or not status(job).installed:
        return None
    return list(saved.command), saved.root


def remove(job: Job) -> ScheduleInfo:
    """Remove the installed schedule of ``job``, if any."""
    info, saved = status(job), _saved(job)
    if not info.installed or saved is None:
        return info
    if info.kind == "systemd" and saved.root == _LIVE:
        _run(job, ["systemctl", "disable", "--now", f"{job.unit}.timer"])
    if info.kind == "crontab":
        kept = _without_block(job, _read_crontab(job, saved.root))
        _write_crontab(job, saved.root, "\n".join(kept) + "\n")
    else:
        for name in info.files:
            Path(name).unlink(missing_ok=True)
    job.state_file.unlink(missing_ok=True)
    return ScheduleInfo(False, label=job.label, absent=job.absent)


def status(job: Job, now: datetime | None = None) -> ScheduleInfo:
    """What is installed, and (daily jobs) when the next run is due."""
    saved = _saved(job)
    if saved is None:
        return ScheduleInfo(False, label=job.label, absent=job.absent)
    present = saved.kind == "crontab" or all(Path(f).exists() for f in saved.files)
    due = next_due(saved.time, now) if present and not saved.weekday else None
    return ScheduleInfo(present, saved.kind, saved.time, saved.files, due, saved.weekday,
                        job.label, job.absent)
