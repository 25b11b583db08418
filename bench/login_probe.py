"""A fresh process that draws the login screen and says how long it took (for journal_page.py).

The parent passes its clock in ``EJOURNAL_BENCH_T0`` (``time.time()`` just before spawning);
this process prints ``start_to_login_ms: X`` once the first frame with the login screen has
been composed, then exits.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kernel.settings import load_settings
from tui.app import EJournalApp
from tui.screens.start.login import LoginScreen


class ProbeApp(EJournalApp):
    """The real app, which reports when the login screen is on the first frame."""

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._drawn)

    def _drawn(self) -> None:
        if not isinstance(self.screen, LoginScreen):
            self.call_after_refresh(self._drawn)
            return
        elapsed = (time.time() - float(os.environ["EJOURNAL_BENCH_T0"])) * 1000
        print(f"start_to_login_ms: {elapsed:.1f}", flush=True)
        self.exit()


if __name__ == "__main__":
    ProbeApp(load_settings()).run(headless=True, size=(160, 48))
