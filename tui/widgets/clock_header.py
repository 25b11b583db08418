"""The header with a clock that reads the program's clock (:mod:`kernel.clock`).

Textual's own header clock reads the computer's time; this one shows the time the rest of
the program works with, so a frozen clock (``EJOURNAL_TODAY``, tests and demonstrations)
freezes the header too.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.widgets import Header
from textual.widgets._header import HeaderClock, HeaderIcon, HeaderTitle

from kernel import clock


class ProgramClock(HeaderClock):
    """The time of day of the program's clock, in the header's format."""

    def render(self) -> RenderResult:
        return Text(clock.now().time().strftime(self.time_format))


class ClockHeader(Header):
    """Textual's header with :class:`ProgramClock` on the right."""

    def __init__(self) -> None:
        super().__init__(show_clock=True)

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield HeaderTitle()
        yield ProgramClock().data_bind(Header.time_format)
