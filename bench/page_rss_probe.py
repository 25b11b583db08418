"""One teacher's program with a page open after typing: its peak memory (for journal_page.py).

Arguments: LOGIN PASSWORD LOAD_ID MARKS. Settings come from the environment (EJOURNAL_*).
Logs in, opens the page in the real app (headless), types MARKS marks down the columns,
waits until they are saved, and prints ``peak_rss_mb: X``: the peak resident memory of this
process from the moment the page is opened. The login before it derives the password with
argon2id (RFC 9106 low-memory: 64 MiB, freed right after); that transient peak is reset
through ``/proc/self/clear_refs`` and printed separately on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.session import log_in
from kernel.settings import load_settings
from tui.app import EJournalApp
from tui.screens.journal.page import JournalScreen

KEYS = "54342453"


def vm(field: str) -> float:
    """A memory figure of this process from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def type_on_page(login: str, password: str, load_id: int, marks: int) -> None:
    """Open the page and type ``marks`` marks, then wait for the saves."""
    session = log_in(load_settings(), login, password)
    print(f"  # peak at login (argon2id): {vm('VmHWM'):.1f} MB", file=sys.stderr)
    Path("/proc/self/clear_refs").write_text("5")  # peak := current, from here on
    app = EJournalApp(session.settings, session=session)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = JournalScreen(session, load_id)
        await app.push_screen(screen)
        while screen.grid is None:
            await asyncio.sleep(0.01)
        grid = screen.grid
        await pilot.press("home")
        for n in range(marks):
            if grid.cursor_row == len(grid.page.students) - 1:
                await pilot.press("right", "pageup")
            await pilot.press(KEYS[n % len(KEYS)])
        if screen.saver is not None:
            screen.saver.wait_idle(30)
            screen.saver.stop()
        if screen.listener is not None:
            screen.listener.stop()


if __name__ == "__main__":
    login, password, load, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    asyncio.run(type_on_page(login, password, load, count))
    print(f"  # resident now: {vm('VmRSS'):.1f} MB", file=sys.stderr)
    print(f"peak_rss_mb: {vm('VmHWM'):.1f}")
