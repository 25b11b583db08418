"""Start the full-screen program (kept tiny: the login screen must appear fast).

The caller (``cli``) has set up logging already.
"""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from demo.setup import DemoAccount
    from kernel.settings import Settings


def run_program(settings: Settings | None = None, demo_accounts: list[DemoAccount] | None = None,
                web_roles: tuple[str, ...] | None = None) -> int:
    """Run the Textual app until the person quits; return the exit code.

    ``web_roles``: the program runs in a browser tab (``ejournal web``) and admits only these.
    """
    from kernel.settings import load_settings
    from tui.app import EJournalApp

    end_on_hang_up()
    app = EJournalApp(settings or load_settings(), demo_accounts=demo_accounts or [], web_roles=web_roles)
    app.run()
    return int(app.return_code or 0)


def import_ahead() -> None:
    """Import what a browser tab's program needs up to the family screen (a program started
    ahead of its visitor does it while it waits: ``cli.web.tab``)."""
    import importlib

    from tui.screens.start import login

    for name in ("tui.app", "textual.drivers.web_driver", *login.WARM_UP, *login.WARM_UP_WEB):
        importlib.import_module(name)


def end_on_hang_up() -> None:
    """A dropped terminal (an SSH connection lost) ends the program, as it ends a shell.

    The typed changes not yet in the database are in the outbox file by then (docs/saving.md).
    A parent that ignores SIGHUP (``nohup``, some service runners) passes that on through
    ``exec``; the program then outlived its terminal, holding its connections and its page.
    """
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
