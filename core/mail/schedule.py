"""The weekly letter's schedule, installed like the backup's (``core.backup.schedule``).

- ``systemd`` (root, systemd is PID 1): ``ejournal-mail.service`` and ``.timer``
  (``OnCalendar=Sat *-*-* 10:00:00``, ``Persistent=true``), then ``daemon-reload`` and
  ``enable --now``.
- ``cron`` (root without systemd): ``/etc/cron.d/ejournal-mail``.
- ``crontab`` (an ordinary account): a marked block in the account's own crontab.

The job reads the ``EJOURNAL_*`` variables of the installing shell from ``<home>/schedule.env``
(0600), so it sees the same settings file and data folder. The run itself is
``ejournal mail send`` for the current week, as ``ejournal_mail``. With ``root`` other than ``/``
every file goes under that folder and no system command is run (tests).
"""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.backup.schedule import KIND_TITLES, detect_kind
from core.mail.config import WEEKDAYS, MailError, MailSetup
from kernel.settings import config_file, program_variables

UNIT = "ejournal-mail"
BEGIN = "# BEGIN ejournal-mail (managed by «ejournal mail schedule»)"
END = "# END ejournal-mail"
DAY_TITLES = dict(zip(WEEKDAYS, ("понедельник", "вторник", "среду", "четверг", "пятницу",
                                 "субботу", "воскресенье"), strict=True))


@dataclass(frozen=True)
class MailSchedule:
    """The installed schedule (or its absence)."""

    installed: bool
    kind: str = ""
    when: str = ""
    files: tuple[str, ...] = ()

    def describe(self) -> str:
        """One Russian line about the schedule."""
        if not self.installed:
            return "Расписание писем не установлено (ejournal mail schedule install)."
        return f"Письма родителям: каждую {self.when}, {KIND_TITLES.get(self.kind, self.kind)}."


def _private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_text(text, encoding="utf-8")


def _public(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)


def _env_text(setup: MailSetup) -> str:
    values = program_variables()
    values["EJOURNAL_CONFIG"] = str(config_file().absolute())
    values["EJOURNAL_DATA_DIR"] = str(Path(setup.settings.data_dir).absolute())
    values.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return "".join(f"{key}={shlex.quote(value)}\n" for key, value in sorted(values.items()))


def _job(setup: MailSetup, command: Sequence[str]) -> str:
    env = shlex.quote(str(setup.home / "schedule.env"))
    run = " ".join(shlex.quote(part) for part in command)
    log = shlex.quote(str(setup.home / "scheduled.log"))
    return f"/bin/sh -c {shlex.quote(f'set -a; . {env}; set +a; exec {run}')} >> {log} 2>&1"


def _cron_when(setup: MailSetup) -> str:
    hours, minutes = (int(part) for part in setup.policy.time.split(":"))
    return f"{minutes} {hours} * * {WEEKDAYS.index(setup.policy.weekday) + 1}"


def _files(setup: MailSetup, kind: str, root: Path, command: Sequence[str]) -> dict[Path, str]:
    if kind == "systemd":
        folder = root / "etc/systemd/system"
        run = " ".join(shlex.quote(part) for part in command)
        day = setup.policy.weekday.capitalize()
        return {
            folder / f"{UNIT}.service": (
                "[Unit]\nDescription=Еженедельные письма родителям (ejournal)\n"
                "After=network-online.target\n\n[Service]\nType=oneshot\n"
                f"EnvironmentFile={setup.home / 'schedule.env'}\nExecStart={run}\n"),
            folder / f"{UNIT}.timer": (
                "[Unit]\nDescription=Еженедельные письма родителям\n\n[Timer]\n"
                f"OnCalendar={day} *-*-* {setup.policy.time}:00\nPersistent=true\n"
                f"Unit={UNIT}.service\n\n[Install]\nWantedBy=timers.target\n")}
    if kind == "cron":
        return {root / "etc/cron.d" / UNIT: (
            "# Еженедельные письма родителям (ejournal mail schedule)\nSHELL=/bin/sh\n"
            f"{_cron_when(setup)} root {_job(setup, command)}\n")}
    path = root / "crontab"
    kept = _without_block(_read_crontab(root))
    return {path: "\n".join([*kept, BEGIN, f"{_cron_when(setup)} {_job(setup, command)}", END]) + "\n"}


def _system(args: list[str], text: str | None = None) -> str:
    """Run a system command (systemctl, crontab); its output, or one sentence on failure."""
    try:
        done = subprocess.run(args, input=text, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MailError(f"Не удалось выполнить {args[0]}: {exc}.") from exc
    if done.returncode != 0 and args[:2] != ["crontab", "-l"]:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise MailError(f"Команда «{' '.join(args)}» завершилась с ошибкой: "
                        f"{reason[-1] if reason else done.returncode}.")
    return done.stdout if done.returncode == 0 else ""


def _read_crontab(root: Path) -> list[str]:
    if root == Path("/"):
        return _system(["crontab", "-l"]).splitlines()
    path = root / "crontab"
    return path.read_text("utf-8").splitlines() if path.exists() else []


def _activate(kind: str, root: Path, files: dict[Path, str]) -> None:
    """On the live system: enable the timer, or hand the crontab to ``crontab``."""
    if root != Path("/"):
        return
    if kind == "systemd":
        _system(["systemctl", "daemon-reload"])
        _system(["systemctl", "enable", "--now", f"{UNIT}.timer"])
    elif kind == "crontab":
        _system(["crontab", "-"], next(iter(files.values())))


def _without_block(lines: list[str]) -> list[str]:
    kept, inside = [], False
    for line in lines:
        inside = (inside or line == BEGIN) and line != END
        if not inside and line not in (BEGIN, END):
            kept.append(line)
    return kept


def install_schedule(setup: MailSetup, command: Sequence[str], *, root: Path = Path("/"),
                     kind: str | None = None) -> MailSchedule:
    """Install (or replace) the weekly run of ``command`` at ``[mail] weekday`` and ``time``.

    Under a test ``root`` only the files are written; on ``/`` the systemd timer is enabled
    and the crontab block goes to the account's own crontab.
    """
    chosen = kind or detect_kind(root)
    _private(setup.home / "schedule.env", _env_text(setup))
    files = _files(setup, chosen, root, command)
    try:
        for path, text in files.items():
            if not (chosen == "crontab" and root == Path("/")):
                _public(path, text)
    except OSError as exc:
        raise MailError(f"Не удалось записать файлы расписания писем: {exc.strerror} "
                        f"({exc.filename}); нужны права root.") from exc
    _activate(chosen, root, files)
    when = f"{DAY_TITLES[setup.policy.weekday]} в {setup.policy.time}"
    state = {"kind": chosen, "when": when, "files": [str(p) for p in files], "root": str(root)}
    _private(setup.home / "schedule.json", json.dumps(state, ensure_ascii=False) + "\n")
    return schedule_status(setup)


def remove_schedule(setup: MailSetup) -> MailSchedule:
    """Remove the installed schedule, if any."""
    info = schedule_status(setup)
    for name in info.files if info.installed else ():
        path = Path(name)
        if info.kind == "crontab":
            root = path.parent
            kept = "\n".join(_without_block(_read_crontab(root))) + "\n"
            if root == Path("/"):
                _system(["crontab", "-"], kept)
            else:
                _public(path, kept)
        else:
            path.unlink(missing_ok=True)
    if info.installed and info.kind == "systemd" and Path(info.files[0]).parent == Path(
            "/etc/systemd/system"):
        _system(["systemctl", "disable", "--now", f"{UNIT}.timer"])
    (setup.home / "schedule.json").unlink(missing_ok=True)
    return MailSchedule(False)


def schedule_status(setup: MailSetup) -> MailSchedule:
    """What is installed."""
    try:
        state = json.loads((setup.home / "schedule.json").read_text("utf-8"))
        info = MailSchedule(True, state["kind"], state["when"], tuple(state["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return MailSchedule(False)
    present = info.kind == "crontab" or all(Path(f).exists() for f in info.files)
    return info if present else MailSchedule(False)
