"""The rules of an attestation statement's sheet (ведомость, R6), without the database.

What a statement of each form takes (2–5, or зачёт/незачёт for a зачёт; неявка always), the
keys typed into it, the sheet as data (:class:`StatementSheet`: its students, their marks and
the semester final beside each, R7), typed marks merged one per student, the examiner found by
a typed name (:func:`match_person`), dates typed into the form. Pure: reading statements is
:mod:`core.statements.service`, creating, saving and closing them :mod:`core.statements.closing`,
their SQL :mod:`core.statements.queries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from core.grading.finals import DEFAULT_RULE, FinalMark, RoundingRule, final_mark, format_decimal
from core.people.study import STATE_OF_SIGN
from kernel import clock
from kernel.errors import ValidationError
from kernel.marks import MarkValue, StatementValue

FORMS = ("экзамен", "дифференцированный зачёт", "зачёт", "курсовая работа")
PASS_FAIL_VALUES = (StatementValue.PASS, StatementValue.FAIL, StatementValue.ABSENT)
GRADED_VALUES = (StatementValue.FIVE, StatementValue.FOUR, StatementValue.THREE,
                 StatementValue.TWO, StatementValue.ABSENT)
STATEMENT_KEYS: dict[str, StatementValue] = {
    "5": StatementValue.FIVE, "4": StatementValue.FOUR, "3": StatementValue.THREE,
    "2": StatementValue.TWO, "з": StatementValue.PASS, "z": StatementValue.PASS,
    "-": StatementValue.FAIL, "н": StatementValue.ABSENT, "n": StatementValue.ABSENT,
}
EDITOR_ROLES = ("teacher", "office", "admin")


def allowed_values(form: str) -> tuple[StatementValue, ...]:
    """The marks a statement of this form takes: зачёт/незачёт for a зачёт, 2–5 otherwise;
    неявка always."""
    return PASS_FAIL_VALUES if form == "зачёт" else GRADED_VALUES


def legend(form: str) -> str:
    """The keys a statement of this form takes, as shown under the sheet."""
    marks = "з зачёт · - незачёт" if form == "зачёт" else "2–5 отметка"
    return f"{marks} · н неявка · Del очистить · курсор идёт вниз"


def parse_statement_key(key: str, form: str) -> StatementValue:
    """The mark one typed key means in a statement of ``form``.

    Keys: 2–5, ``з``/``z`` зачёт, ``-`` незачёт, ``н``/``n`` неявка.

    Raises:
        ValidationError: not a mark key, or a mark this form does not take.
    """
    value = STATEMENT_KEYS.get(key.lower())
    if value is None:
        raise ValidationError(f"«{key}» — не отметка ведомости: 2–5, з (зачёт), - (незачёт), н (неявка).")
    if value not in allowed_values(form):
        words = ", ".join(v.value for v in allowed_values(form))
        raise ValidationError(f"В ведомости формы «{form}» ставится: {words}.")
    return value


@dataclass(frozen=True)
class LoadHeading:
    """A load as a statement is headed: group (and subgroup), discipline, period, form."""

    load_id: int
    group_name: str
    subgroup_name: str
    discipline: str
    period_title: str
    form: str

    @property
    def group(self) -> str:
        """«СЭЗ-24-1» or «СЭЗ-24-1 (1 подгр.)»."""
        return f"{self.group_name} ({self.subgroup_name})" if self.subgroup_name else self.group_name

    @property
    def label(self) -> str:
        """«СЭЗ-24-1 · Математика · экзамен · I семестр 2025/2026»."""
        return f"{self.group} · {self.discipline} · {self.form} · {self.period_title}"


@dataclass(frozen=True)
class StatementInfo(LoadHeading):
    """A statement as listed and as the heading of its sheet (the load's columns first)."""

    statement_id: int
    number: str
    held_on: date | None
    examiner_id: int | None
    examiner_name: str
    closed_at: datetime | None
    closed_by: str
    filled: int
    students: int
    is_mine: bool
    current: bool

    @property
    def closed(self) -> bool:
        """Signed and locked."""
        return self.closed_at is not None

    @property
    def status(self) -> str:
        """«закрыта 20.12.2025» or «заполнено 12 из 25»."""
        if self.closed_at is not None:
            return f"закрыта {self.closed_at:%d.%m.%Y}"
        return f"заполнено {self.filled} из {self.students}"


@dataclass(frozen=True)
class AttestableLoad(LoadHeading):
    """A load whose curriculum item has an attestation and which has no statement yet."""

    teacher_id: int
    teacher_name: str
    is_mine: bool

    @property
    def label(self) -> str:
        """«СЭЗ-24-1 · Математика · экзамен · I семестр 2025/2026 · Иванов И. И.»."""
        return f"{super().label} · {self.teacher_name}"


@dataclass(frozen=True)
class SheetLine:
    """One student of a statement with the current marks of the semester."""

    student_id: int
    name: str
    record_book: str
    value: StatementValue | None
    marks: tuple[MarkValue, ...] = ()
    away: str = ""
    """The short sign («отп.») of a student not studying on the statement's date."""


@dataclass
class StatementSheet:
    """A statement with its students, ready to fill and show.

    Attributes:
        info: The heading.
        lines: Students in list order.
        pass_fail: The discipline's current marks are зачёт/незачёт.
        rule: The rounding rule of R7.
        may_edit: The person's roles allow filling statements (the database has the last word).
    """

    info: StatementInfo
    lines: list[SheetLine]
    pass_fail: bool = False
    rule: RoundingRule = DEFAULT_RULE
    may_edit: bool = False
    history: list[tuple[datetime, str, str]] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        """Open for typing: not closed and the person fills statements."""
        return self.may_edit and not self.info.closed

    def by_mean(self, line: SheetLine) -> FinalMark:
        """R7 from the current marks only (what the mark would be without the statement)."""
        return final_mark(line.marks, None, self.pass_fail, self.rule)

    def final(self, line: SheetLine) -> FinalMark:
        """The semester final mark: the statement's mark where there is one, else R7."""
        return final_mark(line.marks, line.value, self.pass_fail, self.rule)

    def row_of(self, student_id: int) -> int:
        """The index of a student's line."""
        return next(i for i, line in enumerate(self.lines) if line.student_id == student_id)

    def set_value(self, student_id: int, value: StatementValue | None) -> None:
        """Put a value into a line (after typing or after the database said what it holds)."""
        index = self.row_of(student_id)
        self.lines[index] = replace(self.lines[index], value=value)

    def empty_lines(self) -> list[SheetLine]:
        """Students without a mark yet (those not studying on the date are not waited for)."""
        return [line for line in self.lines if line.value is None and not line.away]

    def check_typed(self, line: SheetLine, value: StatementValue | None) -> None:
        """Refuse what the journal's rules refuse: anything for a student not studying on
        the statement's date; a mark over «неявка» (the absence stays until it is removed
        with Del — the same rule as a mark on an absent student on the journal page).

        Raises:
            ValidationError: in Russian, saying what to do.
        """
        if line.away and value is not None:
            raise ValidationError(f"{line.name} на дату ведомости не обучается в группе "
                                  f"({STATE_OF_SIGN.get(line.away, line.away)}): отметка не ставится.")
        if line.value is StatementValue.ABSENT and value not in (None, StatementValue.ABSENT):
            raise ValidationError(f"{line.name}: в ведомости «неявка», а отсутствующему отметку не "
                                  "ставят. Если обучающийся пришёл, сначала удалите «неявка» (Del), "
                                  "затем поставьте отметку.")


@dataclass(frozen=True)
class MarkChange:
    """A statement mark typed: the value seen before and the new one (None clears)."""

    student_id: int
    old: StatementValue | None
    new: StatementValue | None


@dataclass(frozen=True)
class MarkOutcome:
    """What became of a change: applied, or the value found instead (conflict or refusal)."""

    change: MarkChange
    applied: bool
    found: StatementValue | None

    @property
    def refused(self) -> bool:
        """Not applied although nobody changed the mark: the database did not allow it."""
        return not self.applied and self.found == self.change.old


def merge_changes(changes: Iterable[MarkChange]) -> list[MarkChange]:
    """One change per student: the first old value and the last new value, in first-seen order."""
    merged: dict[int, MarkChange] = {}
    for change in changes:
        first = merged.get(change.student_id)
        merged[change.student_id] = change if first is None else replace(first, new=change.new)
    return list(merged.values())


def match_person(people: Sequence[tuple[int, str]], typed: str) -> tuple[int, str] | None:
    """The person whose name starts with the typed text («иванов и» finds «Иванов И. П.»);
    None when nobody or several people match and none of them exactly."""
    wanted = _normalized(typed)
    if not wanted:
        return None
    found = [p for p in people if _normalized(p[1]).startswith(wanted)]
    exact = [p for p in found if _normalized(p[1]) == wanted]
    if len(exact) == 1:
        return exact[0]
    return found[0] if len(found) == 1 else None


def _normalized(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").replace(".", " ").split())


def parse_day(text: str, today: date | None = None) -> date | None:
    """A date typed as «20.12.2025» or «20.12» (this year); None for an empty line.

    Raises:
        ValidationError: not a date.
    """
    parts = text.strip().replace("/", ".").split(".")
    if parts == [""]:
        return None
    try:
        day, month = int(parts[0]), int(parts[1])
        year = int(parts[2]) if len(parts) > 2 and parts[2] else (today or clock.today()).year
        return date(year + 2000 if year < 100 else year, month, day)
    except (ValueError, IndexError):
        raise ValidationError(f"«{text}» — не дата: введите ДД.ММ.ГГГГ.") from None


def statement_text(value: StatementValue | None) -> str:
    """How a statement mark is shown in the sheet («5», «зачёт», «неявка»; empty for None)."""
    return "" if value is None else value.value


def mean_text(mean: Decimal | None) -> str:
    """The mean with a decimal comma, or an empty string."""
    return "" if mean is None else format_decimal(mean)
