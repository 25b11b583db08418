"""What every screen of the program shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.screen import Screen, ScreenResultType
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from tui.app import EJournalApp


class ShowsWorkerErrors(Screen[ScreenResultType]):
    """A failed background worker of the screen shows the error dialog.

    A screen of this program lists it first (``class X(ShowsWorkerErrors, Screen[None])``), so
    that ``self.app`` is typed as ``EJournalApp``.

    Textual posts ``Worker.StateChanged`` to the screen that started the worker and does not
    let it bubble to the app, so without this a screen's failure (the server down while a
    page loads, a refused save) would pass silently.
    """

    if TYPE_CHECKING:
        app = getters.app(EJournalApp)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show what went wrong; the traceback of an unexpected error goes to the log."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.show_error(event.worker.error)
