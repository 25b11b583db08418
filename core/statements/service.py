"""Use-cases of attestation statements (ведомости, R6).

A statement belongs to one teaching load (group × discipline × period) and has the form of
attestation written in the curriculum (экзамен, дифференцированный зачёт, зачёт, курсовая
работа). It is filled one mark per student (2–5, or зачёт/незачёт for a зачёт; неявка for a
no-show), then closed (signed) through ``journal.close_statement``; a closed statement is
read-only in the database. Only the admin reopens one, with a reason kept in the history.

The semester final mark (R7) comes from the statement where there is one, else from the mean
of the current marks; the sheet shows both beside each student.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg

from core.grading.finals import DEFAULT_RULE, FinalMark, RoundingRule, final_mark
from core.journal.page import Change
from core.session import UserSession
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


def short_name_sql(alias: str) -> str:
    """SQL of «Фамилия И. О.» of the journal.person row aliased ``alias``."""
    return (f"{alias}.surname || ' ' || left({alias}.name, 1) || '.' || CASE WHEN "
            f"{alias}.patronymic <> '' THEN ' ' || left({alias}.patronymic, 1) || '.' ELSE '' END")



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
class StatementInfo:
    """A statement as listed and as the heading of its sheet."""

    statement_id: int
    load_id: int
    group_name: str
    subgroup_name: str
    discipline: str
    period_title: str
    form: str
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
    def group(self) -> str:
        """«СЭЗ-24-1» or «СЭЗ-24-1 (1 подгр.)»."""
        return f"{self.group_name} ({self.subgroup_name})" if self.subgroup_name else self.group_name

    @property
    def label(self) -> str:
        """«СЭЗ-24-1 · Математика · экзамен · I семестр 2025/2026»."""
        return f"{self.group} · {self.discipline} · {self.form} · {self.period_title}"

    @property
    def status(self) -> str:
        """«закрыта 20.12.2025» or «заполнено 12 из 25»."""
        if self.closed_at is not None:
            return f"закрыта {self.closed_at:%d.%m.%Y}"
        return f"заполнено {self.filled} из {self.students}"


@dataclass(frozen=True)
class AttestableLoad:
    """A load whose curriculum item has an attestation and which has no statement yet."""

    load_id: int
    group_name: str
    subgroup_name: str
    discipline: str
    period_title: str
    form: str
    teacher_id: int
    teacher_name: str
    is_mine: bool

    @property
    def label(self) -> str:
        """«СЭЗ-24-1 · Математика · экзамен · I семестр 2025/2026 · Иванов И. И.»."""
        group = f"{self.group_name} ({self.subgroup_name})" if self.subgroup_name else self.group_name
        return f"{group} · {self.discipline} · {self.form} · {self.period_title} · {self.teacher_name}"


@dataclass(frozen=True)
class SheetLine:
    """One student of a statement with the current marks of the semester."""

    student_id: int
    name: str
    record_book: str
    value: StatementValue | None
    marks: tuple[MarkValue, ...] = ()


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
        """Students without a mark yet."""
        return [line for line in self.lines if line.value is None]


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


LIST = f"""
SELECT s.id, s.load_id, g.name, coalesce(sg.name, ''), d.title, p.title || ' ' || y.title,
       s.form, s.number, s.held_on, s.examiner_id, coalesce({short_name_sql('ex')}, ''),
       s.closed_at, coalesce({short_name_sql('cp')}, s.closed_by, ''),
       (SELECT count(*) FROM journal.statement_mark m WHERE m.statement_id = s.id),
       (SELECT count(*) FROM journal.student st WHERE st.group_id = t.group_id
          AND (t.subgroup_id IS NULL OR st.subgroup_id = t.subgroup_id)
          AND (st.status = 'обучается' OR EXISTS (SELECT FROM journal.statement_mark m
               WHERE m.statement_id = s.id AND m.student_id = st.person_id))),
       (t.teacher_id = %(me)s OR s.examiner_id = %(me)s),
       current_date BETWEEN y.starts_on AND y.ends_on
  FROM journal.statement s
  JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.academic_year y ON y.id = p.year_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
  LEFT JOIN journal.person ex ON ex.id = s.examiner_id
  LEFT JOIN journal.account ca ON ca.login = s.closed_by
  LEFT JOIN journal.person cp ON cp.id = ca.person_id
 WHERE %(id)s::int IS NULL OR s.id = %(id)s::int
 ORDER BY (t.teacher_id = %(me)s OR s.examiner_id = %(me)s) DESC, y.starts_on DESC, p.number DESC,
          g.name, sg.name, d.title, s.form
"""

ATTESTABLE = f"""
SELECT t.id, g.name, coalesce(sg.name, ''), d.title, p.title || ' ' || y.title, ci.attestation,
       t.teacher_id, coalesce({short_name_sql('tp')}, ''), t.teacher_id = %(me)s
  FROM journal.teaching_load t
  JOIN journal.curriculum_item ci ON ci.id = t.curriculum_item_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.academic_year y ON y.id = p.year_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
  LEFT JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE ci.attestation = ANY(%(forms)s)
   AND p.closed_at IS NULL AND y.archived_at IS NULL
   AND (%(any)s OR t.teacher_id = %(me)s)
   AND NOT EXISTS (SELECT FROM journal.statement s WHERE s.load_id = t.id AND s.form = ci.attestation)
 ORDER BY (t.teacher_id = %(me)s) DESC, current_date > p.ends_on, p.starts_on, g.name, sg.name, d.title
"""

SHEET_STUDENTS = """
SELECT st.person_id, p.surname || ' ' || p.name || coalesce(' ' || nullif(p.patronymic, ''), ''),
       st.record_book_no, sm.value
  FROM journal.statement s
  JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.student st ON st.group_id = t.group_id
       AND (t.subgroup_id IS NULL OR st.subgroup_id = t.subgroup_id)
  JOIN journal.person p ON p.id = st.person_id
  LEFT JOIN journal.statement_mark sm ON sm.statement_id = s.id AND sm.student_id = st.person_id
 WHERE s.id = %(id)s AND (st.status = 'обучается' OR sm.value IS NOT NULL)
 ORDER BY p.surname, p.name, p.patronymic, st.person_id
"""

SHEET_MARKS = """
SELECT m.student_id, m.value
  FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id
 WHERE m.load_id = (SELECT load_id FROM journal.statement WHERE id = %(id)s)
 ORDER BY l.lesson_date, l.pair_no, m.id
"""

PASS_FAIL = """SELECT t.pass_fail FROM journal.statement s JOIN journal.teaching_load t
                ON t.id = s.load_id WHERE s.id = %(id)s"""

REOPENINGS = """
SELECT changed_at, changed_by, reason FROM journal.change_log
 WHERE table_name = 'statement' AND row_key ->> 'id' = %(id)s::text
   AND old_value ->> 'closed_at' IS NOT NULL AND new_value ->> 'closed_at' IS NULL
 ORDER BY changed_at
"""

TEACHERS = f"""
SELECT p.id, {short_name_sql('p')}
  FROM journal.person p JOIN journal.person_role r ON r.person_id = p.id AND r.role = 'teacher'
 ORDER BY p.surname, p.name, p.patronymic
"""


def list_statements(session: UserSession) -> list[StatementInfo]:
    """Every statement the person may see, their own first, newest period first."""
    with session.cursor() as cur:
        rows = cur.execute(LIST, {"me": session.person.person_id, "id": None}).fetchall()
    return [StatementInfo(*row) for row in rows]


def attestable_loads(session: UserSession) -> list[AttestableLoad]:
    """Loads of open periods whose curriculum item has an attestation without a statement yet:
    the office's and the admin's for every group, a teacher's for their own loads; the current
    and coming periods first."""
    person = session.person
    args = {"me": person.person_id, "forms": list(FORMS), "any": person.has("office", "admin")}
    with session.cursor() as cur:
        rows = cur.execute(ATTESTABLE, args).fetchall()
    return [AttestableLoad(*row) for row in rows]


def examiners(session: UserSession) -> list[tuple[int, str]]:
    """Teachers who may be named examiner, as (person id, «Фамилия И. О.»)."""
    with session.cursor() as cur:
        return [(int(pid), name) for pid, name in cur.execute(TEACHERS).fetchall()]


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


def create_statement(session: UserSession, load_id: int, form: str, held_on: date | None,
                     examiner_id: int | None, number: str = "") -> int:
    """Create a statement for a load; return its id.

    Raises:
        ValidationError: an unknown form, or the load has a statement of that form.
        EJournalError: refused by the database (no right, closed period).
    """
    if form not in FORMS:
        raise ValidationError(f"Форма аттестации «{form}» не ведётся ведомостью.")
    # Neither RETURNING nor ON CONFLICT: both check the new row against the SELECT policy,
    # which counts a teacher's statements as they were when the statement began.
    try:
        _run(session, lambda cur: cur.execute(
            """INSERT INTO journal.statement (load_id, form, number, held_on, examiner_id)
               VALUES (%s, %s, %s, %s, %s)""", (load_id, form, number.strip(), held_on, examiner_id)),
             passing=psycopg.errors.UniqueViolation)
    except psycopg.errors.UniqueViolation:
        raise ValidationError("Ведомость этой формы по этой нагрузке уже создана.") from None
    row = _execute(session, "SELECT id FROM journal.statement WHERE load_id = %s AND form = %s",
                   (load_id, form))
    return int(row[0])


def read_statement(session: UserSession, statement_id: int, rule: RoundingRule | None = None
                   ) -> StatementSheet:
    """A statement with its students, their marks and the current marks of the semester.

    Raises:
        AccessDenied: the statement does not exist or is not visible to the person.
    """
    from core.journal.service import rounding_rule
    from kernel.errors import AccessDenied

    args = {"id": statement_id, "me": session.person.person_id}
    with session.cursor() as cur:
        info = cur.execute(LIST, args).fetchall()
        if not info:
            raise AccessDenied("Ведомость не найдена или недоступна.")
        students = cur.execute(SHEET_STUDENTS, args).fetchall()
        marks = cur.execute(SHEET_MARKS, args).fetchall()
        pass_fail = cur.execute(PASS_FAIL, args).fetchone()
        history = cur.execute(REOPENINGS, args).fetchall()
    by_student: dict[int, list[MarkValue]] = {}
    for sid, value in marks:
        by_student.setdefault(sid, []).append(MarkValue(value))
    lines = [SheetLine(sid, name, book, StatementValue(value) if value else None,
                       tuple(by_student.get(sid, ()))) for sid, name, book, value in students]
    return StatementSheet(StatementInfo(*info[0]), lines, bool(pass_fail and pass_fail[0]),
                          rule or rounding_rule(session), session.person.has(*EDITOR_ROLES),
                          [tuple(h) for h in history])


def save_marks(session: UserSession, statement_id: int, changes: Sequence[MarkChange],
               reason: str = "") -> list[MarkOutcome]:
    """Save typed marks at once, without the program's outbox (scripts and tests; the screen
    saves through the saver); a change whose old value no longer holds comes back not applied,
    with the value found.

    Raises:
        ReasonRequired: an old mark changes only with a reason (R14).
        EJournalError: the database refused a mark (closed statement, no right).
    """
    from core.journal.cell_save import save_changes

    merged = merge_changes(changes)
    typed = [Change(c.student_id, 0, None, c.old, c.new, statement_id=statement_id) for c in merged]
    with session.cursor() as cur:
        results = save_changes(cur.connection, typed, reason)
    by_student = {r.edit.change.student_id: r for r in results}
    for result in results:
        if result.error is not None:
            raise result.error
    return [_outcome(c, by_student.get(c.student_id)) for c in merged]


def _outcome(change: MarkChange, result: Any) -> MarkOutcome:
    if result is None or result.status == "applied":
        return MarkOutcome(change, True, change.new)
    return MarkOutcome(change, False, StatementValue(result.found) if result.found else None)


def close_statement(session: UserSession, sheet: StatementSheet) -> None:
    """Close (sign) a filled statement; afterwards the database refuses every change to it.

    Raises:
        ValidationError: some students have no mark yet.
        EJournalError: refused by the database (no right, already closed).
    """
    empty = sheet.empty_lines()
    if empty:
        names = ", ".join(line.name for line in empty[:3]) + (" и др." if len(empty) > 3 else "")
        raise ValidationError(f"Не заполнено {len(empty)}: {names}. Поставьте отметку или «неявка».",
                              title="Ведомость не закрыта")
    _execute(session, "SELECT journal.close_statement(%s)", (sheet.info.statement_id,))


def reopen_statement(session: UserSession, statement_id: int, reason: str) -> None:
    """Reopen a closed statement (the admin only), recording the reason in the history.

    Raises:
        ValidationError: no reason given.
        EJournalError: refused by the database (not the admin, not closed).
    """
    if len(reason.strip()) < 5:
        raise ValidationError("Укажите причину (не короче 5 символов): она сохраняется в истории.")
    _execute(session, "SELECT journal.reopen_statement(%s, %s)", (statement_id, reason.strip()))


def _execute(session: UserSession, sql: str, args: Sequence[object]) -> Any:
    return _run(session, lambda cur: cur.execute(sql, args).fetchone())


def _run(session: UserSession, action: Any, passing: type[Exception] | None = None) -> Any:
    """Run ``action(cursor)``; database errors become the program's (``passing`` ones pass)."""
    from db.errors import translate

    try:
        with session.cursor() as cur:
            return action(cur)
    except psycopg.Error as exc:
        if passing is not None and isinstance(exc, passing):
            raise
        raise translate(exc) from exc


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
        year = int(parts[2]) if len(parts) > 2 and parts[2] else (today or date.today()).year
        return date(year + 2000 if year < 100 else year, month, day)
    except (ValueError, IndexError):
        raise ValidationError(f"«{text}» — не дата: введите ДД.ММ.ГГГГ.") from None


def needs_reason(error: BaseException) -> bool:
    """True when the database refused a correction only because it needs a reason (R14)."""
    from db.errors import needs_reason as database_says

    return database_says(error)


def statement_text(value: StatementValue | None) -> str:
    """How a statement mark is shown in the sheet («5», «зачёт», «неявка»; empty for None)."""
    return "" if value is None else value.value


def mean_text(mean: Decimal | None) -> str:
    """The mean with a decimal comma, or an empty string."""
    from core.grading.finals import format_decimal

    return "" if mean is None else format_decimal(mean)
