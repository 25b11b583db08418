"""What the administrator sees about backups: each destination's last run, copies, schedule."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.backup.config import BackupPolicy, BackupSetup, load_setup
from core.backup.schedule import ScheduleInfo, schedule_status
from core.backup.store import StoredCopy, all_copies, check_destination, copies_in, read_state
from kernel.settings import Settings


@dataclass(frozen=True)
class DestinationStatus:
    """One destination: is it usable now, how did the last run go, what does it hold."""

    destination: Path
    problem: str | None
    last_at: datetime | None
    last_ok: bool | None
    last_message: str
    last_ok_at: datetime | None
    copies: int

    def describe(self) -> str:
        """One Russian line about the destination."""
        if self.last_at is None:
            last = "копий ещё не было"
        elif self.last_ok:
            last = f"последняя копия {self.last_at:%d.%m.%Y %H:%M} — успешно"
        else:
            ok_at = f"; последняя удачная {self.last_ok_at:%d.%m.%Y %H:%M}" if self.last_ok_at else ""
            last = f"последний запуск {self.last_at:%d.%m.%Y %H:%M} — ОШИБКА: {self.last_message}{ok_at}"
        now = "доступна" if self.problem is None else f"сейчас недоступна: {self.problem}"
        return f"{self.destination}: {last}; копий: {self.copies}; {now}"


@dataclass(frozen=True)
class BackupOverview:
    """The state of backups of one installation."""

    destinations: tuple[DestinationStatus, ...]
    schedule: ScheduleInfo
    credentials: str | None
    min_copies: int

    @property
    def healthy(self) -> bool:
        """Every destination usable, the last run there succeeded, and enough of them."""
        good = [d for d in self.destinations if d.problem is None and d.last_ok]
        return len(good) >= self.min_copies and len(good) == len(self.destinations)


def _when(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _credentials_problem(setup: BackupSetup) -> str | None:
    if setup.policy.auth == "peer":
        return None
    path = setup.credentials_file
    if not path.exists():
        return f"нет файла {path}: выполните «ejournal backup setup» от имени администратора сервера"
    if not os.access(path, os.R_OK):
        return f"нет доступа к файлу {path}: учётная запись ОС не входит в группу «{setup.policy.group}»"
    return None


def backup_overview(settings: Settings, policy: BackupPolicy | None = None) -> BackupOverview:
    """Each destination's state, the schedule and whether this account may start a backup."""
    setup = load_setup(settings, policy)
    state = read_state(setup)
    found: list[DestinationStatus] = []
    for dest in setup.destinations:
        entry = state.get(str(dest), {})
        problem = check_destination(dest, bool(entry.get("last_ok_at")))
        ok = entry.get("ok")
        found.append(DestinationStatus(
            dest, problem, _when(entry.get("at")), bool(ok) if ok is not None else None,
            str(entry.get("message", "")), _when(entry.get("last_ok_at")),
            len(copies_in(dest, settings.dbname)),
        ))
    return BackupOverview(tuple(found), schedule_status(setup), _credentials_problem(setup),
                          setup.policy.min_copies)


def list_copies(settings: Settings, policy: BackupPolicy | None = None) -> list[StoredCopy]:
    """Copies of the journal in every destination, newest first."""
    return all_copies(load_setup(settings, policy))
