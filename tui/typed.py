"""The program's own app, typed, for screens and widgets.

Textual types ``widget.app`` as ``App[object]``, so the program's methods (``show_error``,
``log_out``, ``lock``, ``settings``) are not known on it; ``app_of(self)`` gives them to mypy.
A cast, not an import of :mod:`tui.app` (which imports the screens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from tui.app import EJournalApp


def app_of(node: DOMNode) -> EJournalApp:
    """The :class:`~tui.app.EJournalApp` that ``node`` (a screen or widget) runs in."""
    return cast("EJournalApp", node.app)
