"""``ejournal demo``: the embedded database filled with the demo college, once.

The demo's logins and passwords are kept in a file readable only by the OS account that
built the demo (``demo-logins.json`` in the data directory), so ``demo --no-tui`` can print
them again without rebuilding.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from kernel.errors import ServerError
from kernel.settings import Settings


@dataclass(frozen=True)
class DemoAccount:
    """One demo login as printed for the user."""

    role: str
    login: str
    password: str
    full_name: str


def logins_file(settings: Settings) -> Path:
    """Where the demo's logins are remembered."""
    return Path(settings.data_dir) / "demo-logins.json"


def read_logins(settings: Settings) -> list[DemoAccount]:
    """The remembered demo logins, or an empty list when the demo was never built."""
    path = logins_file(settings)
    if not path.exists():
        return []
    return [DemoAccount(**item) for item in json.loads(path.read_text("utf-8"))]


def _write_logins(settings: Settings, accounts: list[DemoAccount]) -> None:
    path = logins_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump([asdict(a) for a in accounts], handle, ensure_ascii=False, indent=1)
    tmp.replace(path)


def _demo_built(settings: Settings) -> bool:
    from db.bootstrap import connect_admin

    with connect_admin(settings) as conn:
        row = conn.execute("SELECT 1 FROM journal.setting WHERE key = 'demo_seed'").fetchone()
        return row is not None


DEMO_BACKUP_FOLDERS = ("backup-copies/disk", "backup-copies/usb")
"""Two demo destinations inside the data folder (one disk: a demo of the flow, not of R15's
two media; a college sets ``backup_dirs`` to a local disk and an external drive)."""


def demo_settings(settings: Settings) -> Settings:
    """The demo's settings: with two backup destinations when none are configured."""
    if settings.backup_dirs:
        return settings
    folders = tuple(Path(settings.data_dir) / name for name in DEMO_BACKUP_FOLDERS)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return replace(settings, backup_dirs=tuple(str(f) for f in folders))


def _ensure_backup_credentials(settings: Settings) -> None:
    """Set up the backup role's password file once, so the demo admin can back up at once."""
    from core.backup.auth import setup_credentials
    from core.backup.config import BackupSetup, load_policy

    setup = BackupSetup(settings, load_policy())
    if not setup.credentials_file.exists():
        setup_credentials(setup)


def prepare_demo(
    settings: Settings, *, reset: bool = False, scale: str = "small", seed: int = 2026
) -> list[DemoAccount]:
    """Start the server, build the demo database when missing (or on ``reset``), return logins."""
    if not settings.embedded:
        raise ServerError("Демонстрационная база создаётся только на встроенном сервере.")
    from db.bootstrap import connect_admin, drop_database, ensure_database

    if reset:
        drop_database(settings)
    try:
        ensure_database(settings)
    except ServerError as exc:
        if "изменена" not in exc.message:
            raise
        raise ServerError(exc.message + " Демонстрационную базу можно пересоздать: "
                          "ejournal demo --reset.") from exc
    _ensure_backup_credentials(settings)
    accounts = read_logins(settings)
    if _demo_built(settings) and accounts:
        return accounts
    from demo.build import build_demo

    with connect_admin(settings) as conn:
        summary = build_demo(conn, seed=seed, scale=scale, settings=settings)
        conn.execute(
            "INSERT INTO journal.setting (key, value, title) VALUES ('demo_seed', %s::jsonb, "
            "'Демонстрационные данные: зерно') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (json.dumps({"seed": seed, "scale": scale}),),
        )
    accounts = [DemoAccount(x.role, x.login, x.password, x.full_name) for x in summary.logins]
    _write_logins(settings, accounts)
    return accounts
