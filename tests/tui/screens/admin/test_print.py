"""The print screen driven by keys: choose, see the pages and a preview, write, stop a long run."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from textual.widgets import Input, Static, TextArea

from tui.app import EJournalApp
from tui.screens.admin.print import PrintScreen


async def settle(pilot: Any) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(screen: Any) -> str:
    """The status line's text."""
    return str(screen.query_one("#ps-status", Static).render())


def test_summary_of_one_group_by_keys(demo_db: Any, demo_group: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    lp = tmp_path / "bin" / "lp"
    lp.parent.mkdir()
    lp.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "lp.log"}\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{lp.parent}:{os.environ['PATH']}")
    asyncio.run(summary_scenario(demo_db, demo_group, tmp_path))


def test_all_groups_run_stops_on_escape(demo_db: Any) -> None:
    asyncio.run(stop_scenario(demo_db))


async def summary_scenario(demo_db: Any, demo_group: str, tmp_path: Path) -> None:
    """Summary of one group: typed filter, F5, preview, F2, F6 to the printer, Esc."""
    log = tmp_path / "lp.log"
    session = demo_db.log_in("заведующий")
    app = EJournalApp(demo_db.settings, session=session)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = PrintScreen(session)
        app.push_screen(screen)
        await settle(pilot)
        screen.query_one("#ps-folder", Input).value = str(tmp_path / "out")
        await pilot.press("down", "tab", "tab", "tab")  # summary; year; period (the year); filter
        await pilot.press(*demo_group.lower(), "enter")
        await settle(pilot)
        assert screen.group is not None and screen.group.name == demo_group
        await pilot.press("f5")
        await settle(pilot)
        assert status(screen).startswith("Готово к записи: 1 файл, ")
        assert not (tmp_path / "out").exists()
        preview = screen.query_one("#ps-preview", TextArea).text
        assert "Сводная ведомость успеваемости и посещаемости" in preview and demo_group in preview
        await pilot.press("f2")
        await settle(pilot)
        files = list((tmp_path / "out").glob("*.pdf"))
        assert [f.name.startswith(f"сводная_ведомость_{demo_group}_") for f in files] == [True]
        assert f"Записано в {tmp_path / 'out'}: 1 файл, {len(PdfReader(files[0]).pages)} " in status(screen)
        assert "f6" not in app.active_bindings  # no printer configured
        session.credentials.settings = replace(session.settings, printer="kabinet-12")
        screen.refresh_bindings()
        await pilot.pause()
        assert "f6" in app.active_bindings
        await pilot.press("f6")
        await settle(pilot)
        assert log.read_text().strip() == f"-d kabinet-12 -- {files[0]}"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PrintScreen)
    session.close()


async def stop_scenario(demo_db: Any) -> None:
    """The journal of every group, stopped by Esc after the first file."""
    session = demo_db.log_in("заведующий")
    app = EJournalApp(demo_db.settings, session=session)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = PrintScreen(session)
        app.push_screen(screen)
        await settle(pilot)
        await pilot.press("f5")  # the journal (first kind) of «Все группы» (first option)
        await pilot.pause()
        assert screen.running
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PrintScreen) and not screen.running
        assert status(screen).startswith("Печать остановлена: записано ")
        assert len(screen.staged) < len(screen.groups)
    session.close()
