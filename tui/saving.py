"""A screen's link to the program's saver: cell states, the status line and the questions.

The journal page and the attendance day show the same truth about saving: a cell is drawn
'pending' until the database confirmed it, 'failed' when a rule refused it or a reason is
needed, 'conflict' when someone else's value is there; the status line says «сохранены» only
when nothing of the page waits. Questions (the reason for correcting old marks, conflicts)
are asked once per batch for the cells on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from core.journal.outbox_format import CellEdit
from core.journal.page import CellState, Change, JournalPage
from core.journal.saver import Saver, SaveReport
from core.journal.sync import PageListener
from core.session import UserSession
from tui.change_text import cell_line, shown
from tui.dialogs.confirm import leave_when_saved
from tui.dialogs.conflict import ConflictScreen
from tui.dialogs.prompt import PromptScreen
from tui.typed_since import CellRead, TypedSince
from tui.widgets.journal_grid import JournalGrid

RANK: dict[CellState, int] = {"saved": 0, "pending": 1, "failed": 2, "conflict": 3}


class SaveReported(Message):
    """The saver finished a batch or its state changed (posted from the saver's thread)."""

    bubble = False

    def __init__(self, report: SaveReport) -> None:
        super().__init__()
        self.report = report


def edit_state(edit: CellEdit) -> CellState:
    """How a cell with this unconfirmed edit is drawn."""
    if edit.parked is None:
        return "pending"
    return "conflict" if edit.parked.state == "conflict" else "failed"


def cell_states(edits: list[CellEdit]) -> dict[tuple[int, int], CellState]:
    """The worst state per cell (student, lesson) among its unconfirmed edits."""
    states: dict[tuple[int, int], CellState] = {}
    for edit in edits:
        key = (edit.change.student_id, edit.change.lesson_id)
        state = edit_state(edit)
        if RANK[state] > RANK[states.get(key, "saved")]:
            states[key] = state
    return states


def overlay(page: JournalPage, edits: list[CellEdit]) -> None:
    """Show unconfirmed edits on a page just read from the database (they are what was typed)."""
    states = cell_states(edits)
    for edit in edits:
        c = edit.change
        if c.student_id in page.row_of and c.lesson_id in page.col_of:
            cell = page.cell(c.student_id, c.lesson_id).with_value(c.work_kind, c.new)
            page.put(c.student_id, c.lesson_id, replace(cell, state=states[(c.student_id, c.lesson_id)]))


def status_text(saver: Saver, edits: list[CellEdit]) -> str:
    """The status line: «сохранены» only when nothing of the screen waits for the database."""
    parked = sum(1 for e in edits if e.parked is not None)
    waiting = len(edits) - parked
    where = "сохранены на диске" if saver.outbox.durable else "[b]только в памяти[/]"
    parts = []
    if saver.problem:
        parts.append(f"[b red]{saver.problem}[/]")
    if saver.login_needed is not None:
        parts.append(f"[b red]Нужно войти заново[/]: {len(edits)} изм. ждут отправки ({where})")
    elif not saver.online and edits:
        parts.append(f"[b red]Нет связи с сервером[/]: {len(edits)} изм. ждут отправки ({where})")
    elif not saver.online:
        parts.append("[b red]Нет связи с сервером[/]: изменения будут сохранены на диске и "
                     "отправлены, когда связь вернётся")
    else:
        if parked:
            parts.append(f"[b red]{parked} не сохранены — F3[/] (причина в истории ячейки)")
        if waiting:
            parts.append(f"Сохранение… ({waiting})")
    if not parts:
        return "[green]Все изменения сохранены[/]"
    return " · ".join(parts)


def saving_summary(saver: Saver) -> str:
    """The home screen's line about changes not yet in the database ('' when there are none)."""
    edits = saver.edits()
    parked = sum(1 for e in edits if e.parked is not None)
    parts = []
    if saver.problem:
        parts.append(f"[b red]{saver.problem}[/]")
    if saver.outbox.adopted:
        parts.append(f"Из прошлого запуска программы взято изменений: {saver.outbox.adopted}.")
    if saver.outbox.torn:
        parts.append(f"[b red]Повреждённых записей в файле изменений: {saver.outbox.torn}[/] "
                     "(запись прервана сбоем; остальные изменения целы).")
    if len(edits) > parked:
        state = "" if saver.online else " [b red]— нет связи с сервером[/]"
        parts.append(f"Ждут отправки изменений: {len(edits) - parked} (сохранены на этом "
                     f"компьютере){state}.")
    if parked:
        parts.append(f"[b red]Не сохранены: {parked}[/] — откройте страницу журнала: ячейки "
                     "отмечены, F3 объясняет причину.")
    return " ".join(parts)


class SaveLink:
    """Ties one screen (its grid and status line) to the program's saver.

    Args:
        screen: The screen; it must handle :class:`SaveReported` by calling :meth:`reported`.
        status_id: The id of the screen's status line.
        page: Returns the page shown now (None while loading).
        reload_cells: Re-reads the page's cells from the database (after giving edits up).
    """

    def __init__(self, screen: Widget, status_id: str, page: Callable[[], JournalPage | None],
                 reload_cells: Callable[[], object]) -> None:
        self.screen, self.status_id = screen, status_id
        self.page, self.reload_cells = page, reload_cells
        self.saver: Saver | None = None
        self.listener: PageListener | None = None
        """The screen's listener for others' changes (stopped with the link)."""
        self._asked: set[int] = set()
        self._asking = False
        self._status_shown: str | None = None
        self.typed: TypedSince[tuple[int, int]] = TypedSince(self.pending_cells)
        """The cells a refresh must leave as the screen shows them."""

    def start(self, session: UserSession) -> Saver:
        """Subscribe to the program's saver (started with the session)."""
        if self.saver is None:
            self.saver = session.saver()
            self.saver.subscribe(self._post)
        return self.saver

    def stop(self) -> None:
        """Stop following the saver (it goes on for the rest of the program) and stop the
        screen's listener."""
        if self.saver is not None:
            self.saver.unsubscribe(self._post)
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()

    def saver_pids(self) -> set[int]:
        """The saver's server process: its notifications are this program's own commits
        (called from the listener's thread)."""
        pid = self.saver.backend_pid() if self.saver is not None else None
        return {pid} if pid is not None else set()

    def _post(self, report: SaveReport) -> None:
        self.screen.post_message(SaveReported(report))

    def lessons(self) -> set[int]:
        """The lessons on the screen."""
        page = self.page()
        return {lesson.lesson_id for lesson in page.lessons} if page is not None else set()

    def edits(self) -> list[CellEdit]:
        """Unconfirmed edits of the cells on the screen."""
        if self.saver is None:
            return []
        page = self.page()
        return [e for e in self.saver.edits(self.lessons())
                if page is not None and e.change.student_id in page.row_of]

    def has_pending(self) -> bool:
        """Something typed on this screen is not confirmed yet."""
        return bool(self.edits())

    def pending_cells(self) -> set[tuple[int, int]]:
        """The cells (student, lesson) whose typed value is not confirmed yet."""
        return {(e.change.student_id, e.change.lesson_id) for e in self.edits()}

    def submit(self, load_id: int, changes: list[Change]) -> None:
        """Write an edit to the outbox (before the grid shows it)."""
        if self.saver is not None:
            self.saver.submit(load_id, changes)
            self.typed.typed((c.student_id, c.lesson_id) for c in changes)

    def keep_typed(self, start: CellRead, new: JournalPage) -> None:
        """On a page just read (begun at ``start``) that is to replace the one on the screen,
        keep the screen's value of the cells :class:`TypedSince` keeps from the read. Call before the
        screen takes the new page, then :func:`overlay` its unconfirmed edits."""
        old = self.page()
        if old is None or old is new:
            return
        for sid, lid in self.typed.kept_from(start):
            on_both = sid in old.row_of and sid in new.row_of and lid in old.col_of and lid in new.col_of
            if on_both:
                new.put(sid, lid, old.cell(sid, lid))

    def show_status(self) -> None:
        """Rewrite the status line when its text changed. A line of fixed height is redrawn
        without a layout pass of the whole screen: it is rewritten twice a typed mark
        («Сохранение…», then «Все изменения сохранены»), and thirty teachers type at once on
        one college server."""
        if self.saver is None:
            return
        status = self.screen.query_one(f"#{self.status_id}", Static)
        text = status_text(self.saver, self.edits())
        if text != self._status_shown:
            height = status.styles.height
            status.update(text, layout=height is None or not height.is_cells)
            self._status_shown = text

    def reported(self, grid: JournalGrid | None, report: SaveReport) -> None:
        """Redraw the states of the cells the report touched, then ask what must be asked."""
        page = self.page()
        if grid is not None and page is not None:
            states = cell_states(self.edits())
            keys = {(r.edit.change.student_id, r.edit.change.lesson_id) for r in report.results}
            for key in keys | set(states):
                on_page = key[0] in page.row_of and key[1] in page.col_of
                if on_page and page.cell(*key).state != states.get(key, "saved"):
                    grid.set_cell_state(key[0], key[1], states.get(key, "saved"))
            self._tell_refused(page, report)
            self.ask(page)
        self.show_status()

    def _tell_refused(self, page: JournalPage, report: SaveReport) -> None:
        """Say at once why the database refused cells (a student not studying that day, a mark
        on an absent student, a closed period): the cell stays red, the reason is shown."""
        refused = [r for r in report.results if r.status == "refused"]
        for result in refused[:3]:
            self.screen.notify(f"{cell_line(page, result.edit.change)}: {result.why}",
                               title="Не сохранено", severity="error", timeout=12)

    def not_saved_why(self, student_id: int, lesson_id: int) -> str:
        """Why a cell's typed value is not in the database ('' when it is, or is on its way)."""
        return " ".join(e.parked.why for e in self.edits() if e.parked is not None
                        and (e.change.student_id, e.change.lesson_id) == (student_id, lesson_id))

    # --- questions -----------------------------------------------------------------------

    def ask(self, page: JournalPage) -> None:
        """Ask for a reason, or about conflicts, once per batch of parked cells."""
        if self._asking or self.saver is None:
            return
        parked = [e for e in self.edits() if e.parked is not None and not set(e.seqs) <= self._asked]
        reasons = [e for e in parked if e.parked is not None and e.parked.state == "reason"]
        conflicts = [e for e in parked if e.parked is not None and e.parked.state == "conflict"]
        if reasons:
            self._ask_reason(page, reasons)
        elif conflicts:
            self._ask_conflicts(page, conflicts)

    def _mark_asked(self, edits: list[CellEdit]) -> None:
        self._asking = True
        self._asked.update(s for e in edits for s in e.seqs)

    def _ask_reason(self, page: JournalPage, edits: list[CellEdit]) -> None:
        self._mark_asked(edits)
        cells = "; ".join(f"{cell_line(page, e.change)}: {shown(e.change.old)} → {shown(e.change.new)}"
                          for e in edits[:5]) + (f" и ещё {len(edits) - 5}" if len(edits) > 5 else "")
        first = edits[0].parked
        why = first.why if first is not None else ""
        self.screen.app.push_screen(PromptScreen(
            "Нужна причина исправления",
            f"{why} {cells}. Enter — сохранить с этой причиной (она попадёт в историю), "
            "Esc — оставить в журнале прежние значения."), lambda text: self._reason_given(edits, text))

    def _reason_given(self, edits: list[CellEdit], text: str | None) -> None:
        self._asking = False
        assert self.saver is not None
        if text and text.strip():
            self.saver.give_reason(edits, text.strip())
        else:
            self.saver.drop(edits)
            self.reload_cells()
        self.show_status()

    def _ask_conflicts(self, page: JournalPage, edits: list[CellEdit]) -> None:
        self._mark_asked(edits)
        self.screen.app.push_screen(ConflictScreen(edits, page),
                                    lambda mine: self._conflicts_resolved(edits, mine))

    def _conflicts_resolved(self, edits: list[CellEdit], mine: bool | None) -> None:
        self._asking = False
        assert self.saver is not None
        if mine:
            self.saver.keep_mine(edits)
        else:
            self.saver.drop(edits)
            self.reload_cells()
        self.show_status()


if TYPE_CHECKING:
    from tui.screens.base import ShowsWorkerErrors

    _Screen = ShowsWorkerErrors[None]
else:  # a mixin, not a screen of its own (it has no HELP, no keys)
    _Screen = object


class SavesCells(_Screen):
    """What the journal page and the attendance day share: a grid whose cells go to the
    program's saver through ``self.link``, the saver's reports redrawing them, and leaving
    only after asking while something typed is not in the database.

    A screen lists it first, before ``ShowsWorkerErrors`` (this mixin is no screen of its own:
    at run time it derives from ``object``), and sets :attr:`LEAVING` (what is reopened to
    send the changes, in the genitive); it may override :meth:`_after_report`.
    """

    link: SaveLink
    LEAVING: ClassVar[str] = "журнала"

    @property
    def grid(self) -> JournalGrid | None:
        """The grid, once the screen's cells are loaded."""
        found = self.query(JournalGrid)
        return found.first() if found else None

    @property
    def saver(self) -> Saver | None:
        """The program's saver, once the screen's cells are open."""
        return self.link.saver

    @property
    def listener(self) -> PageListener | None:
        """The listener for others' changes of the screen's cells, once they are open."""
        return self.link.listener

    def on_save_reported(self, message: SaveReported) -> None:
        """The saver confirmed, refused or parked changes: redraw their cells and the status."""
        self.link.reported(self.grid, message.report)
        if message.report.results:
            self._after_report(message.report)

    def _after_report(self, report: SaveReport) -> None:
        """Recount what depends on the cells of ``report`` (nothing by default)."""

    def _has_unsent(self) -> bool:
        return self.link.has_pending()

    def action_back(self) -> None:
        """Leave; ask first if something is not saved yet."""
        leave_when_saved(self, self._has_unsent, self._leave, ask="Выйти?",
                         kept="Изменения останутся на этом компьютере и будут отправлены при "
                              f"следующем открытии {self.LEAVING}.")

    def _leave(self) -> None:
        self.link.stop()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        """Stop listening however the screen goes (the saver goes on for the program)."""
        self.link.stop()
