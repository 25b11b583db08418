"""What every screen of the program shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import getters
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import Screen, ScreenResultType
from textual.widgets import Button
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


class TabMovesAtOnce(Screen[ScreenResultType]):
    """Tab and Shift+Tab move to the next and the previous field in the key's own turn: keys
    typed ahead of the program (a fast typist over a slow SSH link, a login typed while the
    program was still starting, a browser tab) land in the next field, not after the text of
    the first — a password typed after Tab is never shown in the login field, a homework typed
    after Tab never ends up in the topic. Textual's own Tab takes effect later, after the keys
    already received."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "tab_moves(1)", "Следующее поле", show=False, priority=True),
        Binding("shift+tab", "tab_moves(-1)", "Предыдущее поле", show=False, priority=True)]

    def action_tab_moves(self, direction: int) -> None:
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()


class EnterMovesOn(TabMovesAtOnce[ScreenResultType]):
    """Enter in a field of :attr:`ENTER_MOVES` moves the focus to the field named there in the
    key's own turn, as Tab does (:class:`TabMovesAtOnce`); Textual's own ``focus()`` takes
    effect later, after keys already received. Elsewhere Enter is the focused widget's own.
    """

    ENTER_MOVES: ClassVar[dict[str, str]] = {}
    """The id of a field → the id of the field Enter moves to."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter_moves", "Далее", show=False, priority=True)]

    def action_enter_moves(self) -> None:
        focused = self.focused
        target = self.ENTER_MOVES.get(focused.id or "") if focused is not None else None
        if target is None:
            raise SkipAction
        self.set_focus(self.query_one(f"#{target}"))


class ButtonsAnswerAtOnce(Screen[ScreenResultType]):
    """Enter on a dialog's button answers in the key's own turn. A button's own press is a
    message handled later, and keys typed right after Enter (a fast typist over a slow SSH
    link, a browser tab) went into the closing dialog and were lost; now they go to the screen
    beneath. :meth:`answer` is the dialog's reply to a button (Enter or a click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer_focused", "Ответить", show=False, priority=True)]

    def action_answer_focused(self) -> None:
        focused = self.focused
        if not isinstance(focused, Button) or focused.disabled:
            raise SkipAction
        self.answer(focused.id or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A click on a button."""
        self.answer(event.button.id or "")

    def answer(self, button: str) -> None:
        """Close the dialog with the reply of the button with this id."""
        raise NotImplementedError
