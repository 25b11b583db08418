"""The administration screen through Pilot: a backup made from the screen, red on failure."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual.widgets import DataTable, Static

from core.session import log_in
from tui.app import EJournalApp
from tui.screens.admin.admin import AdminScreen

SIZE = (160, 48)


def _session(demo_backup, settings=None):
    account = demo_backup.demo.account("заведующий")
    return log_in(settings or demo_backup.settings, account.login, account.password)


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _drive(settings, session, keys: list[str]) -> dict[str, object]:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        app = EJournalApp(settings, session=session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.push_screen(AdminScreen(session))
            await _settle(pilot)
            screen = app.screen
            seen["places_before"] = str(screen.query_one("#admin-places", Static).render())
            for key in keys:
                await pilot.press(key)
                await _settle(pilot)
            result = screen.query_one("#admin-result", Static)
            seen["result"] = str(result.render())
            seen["classes"] = set(result.classes)
            seen["copies"] = screen.query_one("#admin-copies", DataTable).row_count
            seen["years"] = screen.query_one("#admin-years", DataTable).row_count
            seen["places"] = str(screen.query_one("#admin-places", Static).render())

    asyncio.run(scenario())
    return seen


def test_backup_from_the_screen(demo_backup) -> None:
    seen = _drive(demo_backup.settings, _session(demo_backup), ["f5"])

    assert "-ok" in seen["classes"] and "записана в 2 места" in seen["result"]
    assert seen["copies"] == 2 and seen["years"] >= 1
    assert all(any(p.iterdir()) for p in demo_backup.dirs)
    assert "успешно" in seen["places"]


def test_failed_backup_is_red(demo_backup, tmp_path) -> None:
    settings = replace(demo_backup.settings,
                       backup_dirs=(str(demo_backup.dirs[0]), str(tmp_path / "unplugged")))
    seen = _drive(settings, _session(demo_backup, settings), ["f5"])

    assert "-failed" in seen["classes"] and "ОШИБКА" in seen["result"]
    assert seen["copies"] == 1
    assert "не найдена" in seen["places_before"]


def test_no_destinations_says_which_file_to_edit(demo_backup, tmp_path, monkeypatch) -> None:
    settings_file = tmp_path / "ejournal.toml"
    monkeypatch.setenv("EJOURNAL_CONFIG", str(settings_file))
    settings = replace(demo_backup.settings, backup_dirs=())
    seen = _drive(settings, _session(demo_backup, settings), [])

    places = " ".join(str(seen["places"]).split())
    assert "backup_dirs" in places and str(settings_file) in places
    assert "EJOURNAL_BACKUP_DIRS" in places


def test_verify_from_the_screen(demo_backup) -> None:
    seen = _drive(demo_backup.settings, _session(demo_backup), ["f5", "f6"])

    assert "-ok" in seen["classes"] and "исправна" in seen["result"]


def test_close_year_from_the_screen_after_confirmation(demo_backup, monkeypatch) -> None:
    monkeypatch.setattr("core.archive.year._printouts", lambda *_a: ({}, ["печать пропущена в тесте"]))
    session = _session(demo_backup)

    cancelled = _drive(demo_backup.settings, session, ["f8", "enter"])  # «Отмена» has the focus
    assert cancelled["result"] == "" and cancelled["copies"] == 0

    seen = _drive(demo_backup.settings, _session(demo_backup), ["f8", "shift+tab", "enter"])
    assert "-ok" in seen["classes"] and "закрыт, копия записана" in seen["result"]
    assert seen["copies"] == 2
