"""The daily backup schedule: a systemd timer where systemd runs, else a cron entry.

- ``systemd`` (root, systemd is PID 1): ``/etc/systemd/system/ejournal-backup.service`` and
  ``.timer`` (``OnCalendar=*-*-* HH:MM:00``, ``Persistent=true``: a run missed while the machine
  was off happens at the next boot), then ``systemctl daemon-reload`` and ``enable --now``.
- ``cron`` (root without systemd): ``/etc/cron.d/ejournal-backup``.
- ``crontab`` (an ordinary account): a marked block in the account's own crontab.

The job reads the ``EJOURNAL_*`` variables of the installing shell from ``<home>/schedule.env``
(mode 0600), so it sees the same settings file, data folder and destinations. With ``root``
other than ``/`` every file goes under that folder and no system command is run (tests).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from core.backup.auth import secure_folder, write_private
from core.backup.config import BackupSetup
from kernel.errors import EJournalError
from kernel.settings import config_file, program_variables

UNIT = "ejournal-backup"
BEGIN = "# BEGIN ejournal-backup (managed by «ejournal backup schedule»)"
END = "# END ejournal-backup"
KIND_TITLES = {"systemd": "таймер systemd", "cron": "cron (/etc/cron.d)", "crontab": "crontab пользователя"}


class ScheduleError(EJournalError):
    """The schedule could not be installed or removed."""

    title = "Расписание резервного копирования"


@dataclass(frozen=True)
class ScheduleInfo:
    """The installed schedule (or its absence)."""

    installed: bool
    kind: str = ""
    time: str = ""
    files: tuple[str, ...] = ()
    next_due: datetime | None = None

    def describe(self) -> str:
        """One Russian line about the schedule."""
        if not self.installed:
            return "Расписание не установлено (ejournal backup schedule)."
        due = f"; следующий запуск {self.next_due:%d.%m.%Y %H:%M}" if self.next_due else ""
        return f"Ежедневно в {self.time}, {KIND_TITLES.get(self.kind, self.kind)}{due}."


def next_due(time_text: str, now: datetime | None = None) -> datetime:
    """The next moment the daily ``HH:MM`` comes (local time)."""
    moment = now or datetime.now()
    hours, minutes = (int(part) for part in time_text.split(":"))
    due = moment.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return due if due > moment else due + timedelta(days=1)


def detect_kind(root: Path) -> str:
    """``systemd``, ``cron`` or ``crontab``, whichever this machine (or ``root``) has."""
    if os.geteuid() != 0:
        return "crontab"
    if (root / "run/systemd/system").is_dir() and (root != Path("/") or shutil.which("systemctl")):
        return "systemd"
    return "cron"


def _state_file(setup: BackupSetup) -> Path:
    return setup.home / "schedule.json"


def _env_text(setup: BackupSetup) -> str:
    values = program_variables()
    values["EJOURNAL_CONFIG"] = str(config_file().absolute())
    values["EJOURNAL_DATA_DIR"] = str(Path(setup.settings.data_dir).absolute())
    values.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    lines = ["# Settings of the scheduled backup (written by «ejournal backup schedule»)."]
    lines += [f"{key}={shlex.quote(value)}" for key, value in sorted(values.items())]
    return "\n".join(lines) + "\n"


def _cron_time(time_text: str) -> str:
    hours, minutes = (int(part) for part in time_text.split(":"))
    return f"{minutes} {hours} * * *"


def _job_line(setup: BackupSetup, command: Sequence[str], env_file: Path) -> str:
    run = " ".join(shlex.quote(part) for part in command)
    log = shlex.quote(str(setup.home / "scheduled.log"))
    inner = f"set -a; . {shlex.quote(str(env_file))}; set +a; exec {run}"
    return f"/bin/sh -c {shlex.quote(inner)} >> {log} 2>&1"


def _systemd_units(setup: BackupSetup, command: Sequence[str], env_file: Path) -> dict[str, str]:
    run = " ".join(shlex.quote(part) for part in command)
    service = (
        "[Unit]\nDescription=Резервная копия электронного журнала (ejournal)\n"
        "After=network-online.target local-fs.target\n\n"
        f"[Service]\nType=oneshot\nEnvironmentFile={env_file}\nExecStart={run}\n"
        "Nice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=7\n"
    )
    timer = (
        "[Unit]\nDescription=Ежедневная резервная копия электронного журнала\n\n"
        f"[Timer]\nOnCalendar=*-*-* {setup.policy.time}:00\nPersistent=true\n"
        f"Unit={UNIT}.service\n\n[Install]\nWantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def _write_public(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)
    tmp.replace(path)


def _run(args: list[str]) -> None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScheduleError(f"Не удалось выполнить {args[0]}: {exc}.") from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise ScheduleError(f"Команда «{' '.join(args)}» завершилась с ошибкой: "
                            f"{reason[-1] if reason else done.returncode}.")


def _read_crontab(root: Path) -> str:
    if root != Path("/"):
        path = root / "crontab"
        return path.read_text("utf-8") if path.exists() else ""
    if shutil.which("crontab") is None:
        raise ScheduleError("Программа crontab не найдена: установите cron или используйте root.")
    done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=30, check=False)
    return done.stdout if done.returncode == 0 else ""


def _write_crontab(root: Path, text: str) -> None:
    if root != Path("/"):
        _write_public(root / "crontab", text)
        return
    done = subprocess.run(["crontab", "-"], input=text, capture_output=True, text=True,
                          timeout=30, check=False)
    if done.returncode != 0:
        raise ScheduleError(f"crontab не принял расписание: {done.stderr.strip()}.")


def _without_block(text: str) -> list[str]:
    lines, inside = [], False
    for line in text.splitlines():
        if line == BEGIN:
            inside = True
        elif line == END:
            inside = False
        elif not inside:
            lines.append(line)
    return lines


def _install_files(setup: BackupSetup, kind: str, root: Path, command: Sequence[str],
                   env_file: Path) -> list[str]:
    if kind == "systemd":
        folder = root / "etc/systemd/system"
        units = _systemd_units(setup, command, env_file)
        for name, text in units.items():
            _write_public(folder / name, text)
        if root == Path("/"):
            _run(["systemctl", "daemon-reload"])
            _run(["systemctl", "enable", "--now", f"{UNIT}.timer"])
        return [str(folder / name) for name in units]
    job = _job_line(setup, command, env_file)
    if kind == "cron":
        path = root / "etc/cron.d" / UNIT
        _write_public(path, f"# Резервная копия электронного журнала (ejournal backup schedule)\n"
                            f"SHELL=/bin/sh\n{_cron_time(setup.policy.time)} root {job}\n")
        return [str(path)]
    lines = _without_block(_read_crontab(root))
    lines += [BEGIN, f"{_cron_time(setup.policy.time)} {job}", END]
    _write_crontab(root, "\n".join(lines) + "\n")
    return [str(root / "crontab") if root != Path("/") else "crontab"]


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
    chosen = kind or detect_kind(root)
    if chosen not in KIND_TITLES:
        raise ScheduleError(f"Неизвестный способ расписания «{chosen}»: systemd, cron или crontab.")
    secure_folder(setup.home, setup, group_writes=True)
    env_file = setup.home / "schedule.env"
    write_private(env_file, _env_text(setup), setup)
    env_file.chmod(0o600)
    try:
        files = _install_files(setup, chosen, root, command, env_file)
    except OSError as exc:
        raise ScheduleError(f"Не удалось записать файлы расписания: {exc.strerror} "
                            f"({exc.filename}); нужны права root.") from exc
    state = {"kind": chosen, "time": setup.policy.time, "files": files, "root": str(root),
             "command": list(command),
             "installed_at": datetime.now().astimezone().isoformat(timespec="seconds")}
    write_private(_state_file(setup), json.dumps(state, ensure_ascii=False, indent=1) + "\n", setup)
    return schedule_status(setup)


def scheduled_command() -> list[str]:
    """The command a schedule runs: this program's ``ejournal backup run --scheduled``."""
    here = Path(sys.argv[0])
    if here.name == "ejournal" and here.exists():
        program = [str(here.absolute())]
    else:
        found = shutil.which("ejournal")
        program = [found] if found else [sys.executable, "-m", "cli"]
    return [*program, "backup", "run", "--scheduled"]


def reschedule(setup: BackupSetup) -> ScheduleInfo | None:
    """Move the installed schedule to ``setup.policy.time`` (same kind, place and command);
    None when no schedule is installed (``ejournal backup schedule`` installs one)."""
    info = schedule_status(setup)
    if not info.installed:
        return None
    state = json.loads(_state_file(setup).read_text("utf-8"))
    command = state.get("command") or scheduled_command()
    return install_schedule(setup, command, root=Path(state.get("root", "/")), kind=info.kind)


def remove_schedule(setup: BackupSetup) -> ScheduleInfo:
    """Remove the installed schedule, if any."""
    info = schedule_status(setup)
    if not info.installed:
        return info
    root = Path(json.loads(_state_file(setup).read_text("utf-8")).get("root", "/"))
    if info.kind == "systemd" and root == Path("/"):
        _run(["systemctl", "disable", "--now", f"{UNIT}.timer"])
    if info.kind == "crontab":
        _write_crontab(root, "\n".join(_without_block(_read_crontab(root))) + "\n")
    else:
        for name in info.files:
            Path(name).unlink(missing_ok=True)
    _state_file(setup).unlink(missing_ok=True)
    return ScheduleInfo(False)


def schedule_status(setup: BackupSetup, now: datetime | None = None) -> ScheduleInfo:
    """What is installed, and when the next run is due."""
    try:
        state = json.loads(_state_file(setup).read_text("utf-8"))
        kind, time_text, files = state["kind"], state["time"], tuple(state["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return ScheduleInfo(False)
    present = kind == "crontab" or all(Path(f).exists() for f in files)
    if not present:
        return ScheduleInfo(False, kind, time_text, files)
    return ScheduleInfo(True, kind, time_text, files, next_due(time_text, now))
