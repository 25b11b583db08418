"""The settings screen changes the backup folders and time by keyboard (Pilot): the settings
file gets them, the installed schedule moves to the new time (issue 13, item 5; R15)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from core.backup.config import load_setup
from core.backup.schedule import install_schedule
from kernel.settings import load_settings
from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import wait_until
from tui.app import EJournalApp
from tui.screens.setup.settings_screen import SettingsScreen
from tui.screens.setup.year_form import FormDialog


def _text(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def _edit(pilot: Pilot[None], screen: SettingsScreen, key: str, value: str) -> str:
    """Arrow down to the item, Enter, type the value, Enter twice; the status line."""
    table = screen.query_one("#settings-table", DataTable)
    target = next(i for i, c in enumerate(screen.current) if c.item.key == key)
    while table.cursor_row != target:
        await pilot.press("down" if table.cursor_row < target else "up")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
    field = pilot.app.focused
    field.value = ""  # type: ignore[union-attr]
    await pilot.press(*value, "enter")  # the only field (no reason: the file has no history)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen)
                     and bool(_text(pilot, "#settings-status")))
    status = _text(pilot, "#settings-status")
    await wait_until(pilot, lambda: table.row_count > 0 and value.split(",")[0].strip()
                     in {c.value.split(",")[0] for c in screen.current})
    return status


def test_admin_sets_backup_folders_and_time(demo_db: DemoDb, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "ejournal.toml"
    monkeypatch.setenv("EJOURNAL_CONFIG", str(config))
    monkeypatch.setenv("EJOURNAL_BACKUP_HOME", str(tmp_path / "home"))
    first, second, root = tmp_path / "disk", tmp_path / "usb", tmp_path / "root"
    first.mkdir()
    second.mkdir()
    install_schedule(load_setup(load_settings()), ["/usr/bin/ejournal", "backup", "run",
                                                   "--scheduled"], root=root, kind="cron")
    session = demo_db.log_in("заведующий")

    async def run() -> tuple[str, str, str]:
        app = EJournalApp(demo_db.settings, session=session)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = SettingsScreen(session)
            await pilot.app.push_screen(screen)
            await wait_until(pilot, lambda: len(screen.current) > 0)
            shown = {c.item.key: c.value for c in screen.current}
            assert shown["backup.destinations"] == "не заданы"
            assert shown["backup.schedule"].startswith("Ежедневно в 02:30")
            folders = await _edit(pilot, screen, "backup.destinations", f"{first}, {second}")
            time = await _edit(pilot, screen, "backup.time", "04:20")
            shown = {c.item.key: c.value for c in screen.current}
            return folders, time, shown["backup.schedule"]

    folders, time, schedule = asyncio.run(run())
    assert "Записано" in folders and "Записано" in time and "перенесено" in time
    assert schedule.startswith("Ежедневно в 04:20")
    text = config.read_text(encoding="utf-8")
    assert f'backup_dirs = ["{first}", "{second}"]' in text and '[backup]\ntime = "04:20"' in text
    assert "\n20 4 * * * root /bin/sh -c " in (root / "etc/cron.d/ejournal-backup").read_text()
