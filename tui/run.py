"""Start the full-screen program (kept tiny: the login screen must appear fast).

The caller (``cli``) has set up logging already.
"""

from __future__ import annotations

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

    app = EJournalApp(settings or load_settings(), demo_accounts=demo_accounts or [], web_roles=web_roles)
    app.run()
    return int(app.return_code or 0)
