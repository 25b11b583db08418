"""One page of the journal: a group × discipline × period, students down, lessons across.

The page is plain data; the grid draws it and the screen saves it. Editing is done by pure
functions that *compute* :class:`Change` records (``set_mark``, ``set_attendance``,
``clear_cell``, ``fill_empty``, ``apply_sequence``) and one function that applies them to the
page (:func:`apply_changes`). :class:`UndoStack` undoes an edit by producing new changes
(the history in the database gets a new row, it is never rewritten).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from core.people.study import STATE_OF_SIGN
from kernel.errors import ValidationError
from kernel.marks import Attendance, MarkValue, StatementValue, parse_attendance, parse_mark
from kernel.text import short_name

CellState = Literal["saved", "pending", "failed", "conflict"]
"""Where a cell stands with the database: stored, being saved, refused, changed by others."""

CellValue = MarkValue | Attendance | StatementValue | None
"""What one :class:`Change` moves: a mark of one kind of work, the attendance, or a statement
mark (a change with ``statement_id``)."""

SKIP_TOKEN = "."
"""In a typed sequence, leaves the row as it is."""


@dataclass(frozen=True, slots=True)
class StudentRow:
    """A student of the group, one row of the page (``left_on``: moved to another group then)."""

    student_id: int
    surname: str
    name: str
    subgroup: int | None = None
    left_on: date | None = None

    @property
    def short_name(self) -> str:
        """Surname and initial, as in the paper journal: 'Иванов И.'."""
        return short_name(self.surname, self.name, None, initials=1) or self.surname


@dataclass(frozen=True, slots=True)
class LessonColumn:
    """A lesson held (or planned), one column of the page.

    ``lesson_type`` is the short letter drawn in the header (``journal.lesson_type.short``);
    ``default_work_kind`` is the kind of work a typed mark is given (``journal.work_kind``).
    """

    lesson_id: int
    date: date
    pair_no: int
    lesson_type: str
    topic: str = ""
    taught_by_name: str = ""
    substitute: bool = False
    default_work_kind: str = "oral"


@dataclass(frozen=True, slots=True)
class MarkEntry:
    """One mark in a cell, for one kind of work."""

    work_kind: str
    value: MarkValue


@dataclass(frozen=True, slots=True)
class Cell:
    """What one student has at one lesson: marks (one per kind of work) and attendance."""

    marks: tuple[MarkEntry, ...] = ()
    attendance: Attendance | None = None
    state: CellState = "saved"

    @property
    def is_empty(self) -> bool:
        """No mark and no attendance."""
        return not self.marks and self.attendance is None

    @property
    def marks_text(self) -> str:
        """The marks as drawn: '5/4'."""
        return "/".join(entry.value.short for entry in self.marks)

    def mark_for(self, work_kind: str) -> MarkValue | None:
        """The mark for one kind of work, if any."""
        return next((m.value for m in self.marks if m.work_kind == work_kind), None)

    def with_value(self, work_kind: str | None, value: CellValue) -> Cell:
        """A copy with one mark (or, for ``work_kind=None``, the attendance) set or removed."""
        if work_kind is None:
            return replace(self, attendance=value if isinstance(value, Attendance) else None)
        kept = [m for m in self.marks if m.work_kind != work_kind]
        old = [i for i, m in enumerate(self.marks) if m.work_kind == work_kind]
        if isinstance(value, MarkValue):
            kept.insert(old[0] if old else len(kept), MarkEntry(work_kind, value))
        return replace(self, marks=tuple(kept))


EMPTY_CELL = Cell()


@dataclass(frozen=True, slots=True)
class StudentSummary:
    """The right-hand columns of a row, already worded by the caller."""

    count: str = ""
    mean: str = ""
    final: str = ""
    forecast: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """One value of one cell moved from ``old`` to ``new``.

    ``work_kind`` names the kind of work of a mark; ``None`` means the change is to the
    attendance. ``is_undo`` marks a change made by undoing an earlier one. A change with
    ``statement_id`` is a statement's mark (R6) of the student (``lesson_id`` is 0 then).
    """

    student_id: int
    lesson_id: int
    work_kind: str | None
    old: CellValue
    new: CellValue
    is_undo: bool = False
    statement_id: int | None = None

    @property
    def is_attendance(self) -> bool:
        """The change is to attendance, not to a mark."""
        return self.work_kind is None


@dataclass(slots=True)
class JournalPage:
    """The data of one page; ``cells`` holds only non-empty cells, keyed (student, lesson)."""

    title: str
    students: tuple[StudentRow, ...]
    lessons: tuple[LessonColumn, ...]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    pass_fail: bool = False
    summaries: dict[int, StudentSummary] = field(default_factory=dict)
    away: dict[tuple[int, int], str] = field(default_factory=dict)
    """(student, lesson) → short sign («ак. отп.», «отчисл.», «не зачисл.») where the student
    does not study in the group on the lesson's date (:mod:`core.people.study`)."""
    row_of: dict[int, int] = field(init=False, repr=False)
    col_of: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.row_of = {s.student_id: i for i, s in enumerate(self.students)}
        self.col_of = {lesson.lesson_id: i for i, lesson in enumerate(self.lessons)}

    def cell(self, student_id: int, lesson_id: int) -> Cell:
        """The cell of a student at a lesson (an empty one if nothing is there)."""
        return self.cells.get((student_id, lesson_id), EMPTY_CELL)

    def put(self, student_id: int, lesson_id: int, cell: Cell) -> None:
        """Replace one cell (an empty saved cell is dropped)."""
        if cell.is_empty and cell.state == "saved":
            self.cells.pop((student_id, lesson_id), None)
        else:
            self.cells[(student_id, lesson_id)] = cell

    def away_sign(self, student_id: int, lesson_id: int) -> str | None:
        """The short sign of a student who does not study on the lesson's date, else None."""
        return self.away.get((student_id, lesson_id))

    def summary(self, student_id: int) -> StudentSummary:
        """The summary of a student's row (blank if the caller gave none)."""
        return self.summaries.get(student_id, StudentSummary())

    def lesson(self, lesson_id: int) -> LessonColumn:
        """The lesson column by id."""
        return self.lessons[self.col_of[lesson_id]]


def _check_allowed(page: JournalPage, value: MarkValue) -> None:
    if value.points is None and not page.pass_fail:
        raise ValidationError("По этой дисциплине зачёт/незачёт в текущих отметках не ставится.")


def _check_studying(page: JournalPage, sid: int, lid: int) -> None:
    sign = page.away_sign(sid, lid)
    if sign is not None:
        raise ValidationError(f"{_who(page, sid)} в этот день не обучается в группе "
                              f"({STATE_OF_SIGN.get(sign, sign)}): "
                              "отметки и посещаемость не ставятся.")


def _who(page: JournalPage, sid: int) -> str:
    return page.students[page.row_of[sid]].short_name if sid in page.row_of else "Обучающийся"


def _check_present(page: JournalPage, sid: int, lid: int) -> None:
    attendance = page.cell(sid, lid).attendance
    if attendance is not None and attendance.is_absent:
        raise ValidationError(ABSENT_MARK.format(who=_who(page, sid), code=attendance.value))


ABSENT_MARK = ("{who} отмечен {code} на этом занятии: отсутствующему отметку не ставят. "
               "Если обучающийся был, сначала исправьте посещаемость (п), затем поставьте отметку.")
"""The rule for a mark on an absent student (docs/saving.md): the absence stays, the mark is
refused; attendance never changes by itself."""


def _change(page: JournalPage, sid: int, lid: int, kind: str | None, new: CellValue) -> list[Change]:
    cell = page.cell(sid, lid)
    old = cell.attendance if kind is None else cell.mark_for(kind)
    return [] if old == new else [Change(sid, lid, kind, old, new)]


def set_mark(page: JournalPage, student_id: int, lesson_id: int, value: MarkValue,
             work_kind: str | None = None) -> list[Change]:
    """The change that puts a mark (for the lesson's default kind of work unless given).

    Raises:
        ValidationError: зачёт/незачёт on a page that has none; the student does not study
            that day, or is marked absent at the lesson (:data:`ABSENT_MARK`).
    """
    _check_allowed(page, value)
    _check_studying(page, student_id, lesson_id)
    _check_present(page, student_id, lesson_id)
    kind = work_kind or page.lesson(lesson_id).default_work_kind
    return _change(page, student_id, lesson_id, kind, value)


def set_attendance(page: JournalPage, student_id: int, lesson_id: int,
                   value: Attendance) -> list[Change]:
    """The change that records attendance.

    Raises:
        ValidationError: the student does not study that day; or an absence where the cell
            holds a mark (:data:`ABSENT_MARK`: the mark is removed first).
    """
    _check_studying(page, student_id, lesson_id)
    if value.is_absent and page.cell(student_id, lesson_id).marks:
        raise ValidationError(f"{_who(page, student_id)}: на этом занятии уже есть отметка, а "
                              "отсутствие и отметка в одной клетке не ставятся. Сначала удалите "
                              "отметку (Del), если обучающегося не было.")
    return _change(page, student_id, lesson_id, None, value)


def clear_cell(page: JournalPage, student_id: int, lesson_id: int) -> list[Change]:
    """The changes that remove every mark and the attendance of a cell."""
    cell = page.cell(student_id, lesson_id)
    changes = [Change(student_id, lesson_id, m.work_kind, m.value, None) for m in cell.marks]
    if cell.attendance is not None:
        changes.append(Change(student_id, lesson_id, None, cell.attendance, None))
    return changes


def fill_empty(page: JournalPage, lesson_id: int, value: MarkValue | Attendance) -> list[Change]:
    """The changes that fill a column where it is empty.

    An attendance code goes to every student whose attendance is not taken (e.g. "all
    present"); a mark goes, for the lesson's default kind of work, to every student who has
    none and is not marked absent.

    Raises:
        ValidationError: зачёт/незачёт on a page that has none.
    """
    if isinstance(value, Attendance):
        return [c for s in page.students
                if page.away_sign(s.student_id, lesson_id) is None
                and page.cell(s.student_id, lesson_id).attendance is None
                and not (value.is_absent and page.cell(s.student_id, lesson_id).marks)
                for c in set_attendance(page, s.student_id, lesson_id, value)]
    _check_allowed(page, value)
    kind = page.lesson(lesson_id).default_work_kind
    changes: list[Change] = []
    for s in page.students:
        cell = page.cell(s.student_id, lesson_id)
        absent = cell.attendance is not None and cell.attendance.is_absent
        away = page.away_sign(s.student_id, lesson_id) is not None
        if not absent and not away and cell.mark_for(kind) is None:
            changes.append(Change(s.student_id, lesson_id, kind, None, value))
    return changes


def parse_sequence(text: str, *, pass_fail: bool) -> list[MarkValue | Attendance | None]:
    """Read a typed sequence like "5 4 4 н 3 -": marks, attendance codes, "." to skip a row.

    Raises:
        ValidationError: a token is neither (its position is named), or the text is empty.
    """
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    if not tokens:
        raise ValidationError("Введите отметки через пробел, например: 5 4 4 н 3.")
    values: list[MarkValue | Attendance | None] = []
    for position, token in enumerate(tokens, start=1):
        values.append(_parse_token(token, position, pass_fail))
    return values


def _parse_token(token: str, position: int, pass_fail: bool) -> MarkValue | Attendance | None:
    if token == SKIP_TOKEN:
        return None
    try:
        return parse_attendance(token)
    except ValidationError:
        pass
    try:
        parse_mark(token)
    except ValidationError as error:
        allowed = "2–5, з, - (зачёт/незачёт)" if pass_fail else "2–5"
        raise ValidationError(f"Значение {position}: «{token}» — не отметка и не посещаемость. "
                              f"Допустимы {allowed}, н (НН), у (НУ), п (был); «.» — пропустить "
                              "строку.", title=error.title) from error
    try:
        return parse_mark(token, pass_fail_allowed=pass_fail)
    except ValidationError as error:
        raise ValidationError(f"Значение {position}: {error.message} Пропуск строки — «.».",
                              title=error.title) from error


def apply_sequence(page: JournalPage, lesson_id: int, from_student_id: int,
                   text: str) -> list[Change]:
    """The changes that put a typed sequence down a column, starting at a student's row.

    Students who do not study on the lesson's date (greyed) are skipped: the values go to
    the students who study, in order.

    Raises:
        ValidationError: a bad token, more values than studying rows below, or a mark for a
            student marked absent (:data:`ABSENT_MARK`).
    """
    values = parse_sequence(text, pass_fail=page.pass_fail)
    start = page.row_of[from_student_id]
    rows = [s for s in page.students[start:] if page.away_sign(s.student_id, lesson_id) is None]
    if len(values) > len(rows):
        raise ValidationError(f"Значений {len(values)}, а строк от курсора вниз {len(rows)} "
                              "(не считая не обучающихся в этот день).")
    changes: list[Change] = []
    for student, value in zip(rows, values, strict=False):
        if isinstance(value, MarkValue):
            changes += set_mark(page, student.student_id, lesson_id, value)
        elif isinstance(value, Attendance):
            changes += set_attendance(page, student.student_id, lesson_id, value)
    return changes


def apply_changes(page: JournalPage, changes: list[Change]) -> None:
    """Apply changes to the page; every touched cell becomes 'pending' until saved."""
    for change in changes:
        cell = page.cell(change.student_id, change.lesson_id)
        cell = replace(cell.with_value(change.work_kind, change.new), state="pending")
        page.put(change.student_id, change.lesson_id, cell)


class UndoStack:
    """Edits made on a page, newest last; undoing one yields new, inverse changes.

    Args:
        limit: How many edits are kept.
    """

    def __init__(self, limit: int = 500) -> None:
        self._edits: deque[tuple[Change, ...]] = deque(maxlen=limit)

    def __len__(self) -> int:
        return len(self._edits)

    @property
    def can_undo(self) -> bool:
        """There is an edit to undo."""
        return bool(self._edits)

    def record(self, changes: list[Change]) -> None:
        """Remember one edit (several changes made by one key are one edit)."""
        if changes:
            self._edits.append(tuple(changes))

    def undo(self, page: JournalPage) -> list[Change]:
        """Changes that put back what the newest edit replaced (not applied, not recorded).

        The old value of each new change is what the cell holds now, so an undo after
        someone else's edit still says truthfully what it overwrites.
        """
        if not self._edits:
            return []
        changes: list[Change] = []
        for done in reversed(self._edits.pop()):
            for change in _change(page, done.student_id, done.lesson_id, done.work_kind,
                                  done.old):
                changes.append(replace(change, is_undo=True))
        return changes
