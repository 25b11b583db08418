"""What the family screens share: following the child's loads so that others' marks, absences
and new lessons show without a key press (the journal page's listener, R20)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.journal.sync import PageListener
from core.session import UserSession

if TYPE_CHECKING:
    from tui.screens.base import ShowsWorkerErrors

    _Screen = ShowsWorkerErrors[None]
else:  # a mixin, not a screen of its own (it has no HELP, no keys)
    _Screen = object


class FollowsLoads(_Screen):
    """A family screen that reloads when the child's loads change.

    A screen lists it first, before ``ShowsWorkerErrors``, and defines :meth:`_reload` (its
    loading worker); it calls :meth:`_listen` with the loads it shows.
    """

    session: UserSession
    listener: PageListener | None = None
    """Hears changes of the loads shown (stopped with the screen)."""

    def _reload(self) -> None:
        raise NotImplementedError

    def _heard(self) -> None:
        """The listener heard a change of the child's loads: reload on the UI thread."""
        self.app.call_from_thread(self._reload)

    def _listen(self, loads: set[int]) -> None:
        """Follow these loads: start listening, or switch the running listener to them."""
        if self.listener is None:
            self.listener = PageListener(self.session.new_connection, None, self._heard)
            self.listener.watch(loads)
            self.listener.start()
        else:
            self.listener.watch(loads)

    def on_unmount(self) -> None:
        """Stop listening."""
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()
