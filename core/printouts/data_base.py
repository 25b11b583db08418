"""What every printout loader shares: the period, the groups, the college, names, finals.

The loaders read through whatever connection they are given: a person's own (row-level
security decides what comes back, so a teacher's printout holds only their loads) or the
superuser's for the year archive. Every query is set-based: a printout costs a few queries
whatever the number of students, and ``snapshot`` reads them all from one consistent
snapshot of the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from core.grading.finals import RoundingRule, final_mark
from core.grading.performance import AnyMark
from core.printouts.forms import College
from kernel import clock
from kernel.errors import ValidationError
from kernel.marks import MarkValue, StatementValue
from kernel.text import full_name, short_name

ACTIVE_STATUSES = ("обучается", "академический отпуск")
# A discipline with several statements (an exam and a course work): the one that decides.
STATEMENT_PRIORITY = ("экзамен", "дифференцированный зачёт", "зачёт", "курсовая работа")
NOT_ATTESTED = "н/а"


@dataclass(frozen=True)
class PeriodChoice:
    """A semester (``number``) or the whole academic year (``number`` None).

    Attributes:
        year_id: The academic year.
        year_title: «2026/2027».
        number: Number of the period, or None for the year.
        period_ids: The periods covered, in order.
        period_titles: Title of each covered period by id («1 семестр»).
        starts_on: First day covered.
        ends_on: Last day covered.
        finished_ids: The covered periods that are closed or over.
    """

    year_id: int
    year_title: str
    number: int | None
    period_ids: tuple[int, ...]
    period_titles: Mapping[int, str]
    starts_on: date
    ends_on: date
    finished_ids: frozenset[int]

    @property
    def is_year(self) -> bool:
        """The choice covers the whole year."""
        return self.number is None

    @property
    def label(self) -> str:
        """«2026/2027 учебный год» or «1 семестр 2026/2027 учебного года»."""
        if self.number is None:
            return f"{self.year_title} учебный год"
        return f"{self.period_titles[self.period_ids[0]]} {self.year_title} учебного года"

    @property
    def slug(self) -> str:
        """For file names: «2026-2027_год» or «2026-2027_1 семестр»."""
        year = self.year_title.replace("/", "-")
        return f"{year}_год" if self.number is None else f"{year}_{self.period_titles[self.period_ids[0]]}"


@dataclass(frozen=True)
class GroupRef:
    """A study group as chosen for printing."""

    id: int
    name: str


@dataclass(frozen=True)
class PrintContext:
    """Settings kept in the database that every printout needs.

    Attributes:
        college: Name and director.
        rule: The rounding rule of final marks.
        sees_contacts: The connection may read people's phones and e-mails (staff may;
            students and parents read names only).
    """

    college: College
    rule: RoundingRule
    sees_contacts: bool = False

    @property
    def group_info_sql(self) -> str:
        """``GROUP_INFO`` with the curator's contacts where they may be read."""
        contacts = "c.phone, c.email" if self.sees_contacts else "NULL::text, NULL::text"
        return GROUP_INFO.replace("c.phone, c.email", contacts)


@dataclass(frozen=True)
class LoadRow:
    """A teaching load as a printout needs it.

    Attributes:
        discipline: «ОУД.04 Математика».
        short_title: Short discipline title for narrow columns.
        subgroup: Subgroup name, empty for the whole group.
        teacher: The load's teacher «Фамилия И. О.» (empty when not visible).
    """

    id: int
    group_id: int
    period_id: int
    period_number: int
    period_title: str
    subgroup_id: int | None
    subgroup: str
    discipline_id: int
    discipline: str
    short_title: str
    pass_fail: bool
    teacher_id: int
    teacher: str
    planned: int = 0

    def title(self, with_period: bool) -> str:
        """Discipline, subgroup and (for a year's printout) the period."""
        text = f"{self.discipline} ({self.subgroup})" if self.subgroup else self.discipline
        return f"{text}, {self.period_title}" if with_period else text


@dataclass(frozen=True)
class StudentRow:
    """A student of a group as listed in a printout."""

    id: int
    group_id: int
    subgroup_id: int | None
    name: str
    record_book: str



@contextmanager
def snapshot(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """Read every query of a printout from one consistent, read-only snapshot.

    Inside a transaction the caller opened already, the caller's transaction is used as is.
    """
    if conn.info.transaction_status != TransactionStatus.IDLE:
        yield conn
        return
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


SETTINGS_SQL = """
SELECT key, value #>> '{}' FROM journal.setting
 WHERE key IN ('college_name', 'director_name', 'rounding_rule')
UNION ALL
SELECT 'contacts', has_column_privilege('journal.person', 'phone', 'SELECT')::text
"""


def print_context(conn: psycopg.Connection) -> PrintContext:
    """The college's name, its director and the rounding rule (settings in the database)."""
    values: dict[str, str] = dict(conn.execute(SETTINGS_SQL).fetchall())
    try:
        rule = RoundingRule(values.get("rounding_rule") or RoundingRule.HALF_UP)
    except ValueError:
        rule = RoundingRule.HALF_UP
    return PrintContext(College(values.get("college_name") or "", values.get("director_name") or ""),
                        rule, values.get("contacts") == "true")


YEAR_BY_TITLE = "SELECT id, title FROM journal.academic_year WHERE title = %s"
YEAR_BY_ID = "SELECT id, title FROM journal.academic_year WHERE id = %s"
CURRENT_YEAR = """
SELECT id, title FROM journal.academic_year
 ORDER BY (%(today)s::date BETWEEN starts_on AND ends_on) DESC, (starts_on <= %(today)s::date) DESC,
          starts_on DESC
 LIMIT 1
"""
PERIODS = """
SELECT id, number, title, starts_on, ends_on, closed_at IS NOT NULL OR ends_on < %(today)s::date
  FROM journal.period WHERE year_id = %(year)s ORDER BY number
"""


def resolve_period(conn: psycopg.Connection, year: str | int | None = None,
                   period: int | None = None) -> PeriodChoice:
    """The academic year (by title «2026/2027», by id, or the current one) and a period of it.

    Args:
        conn: Any connection to the journal.
        year: Title or id of the year; None for the current (or latest) year.
        period: Number of the period; None for the whole year.

    Raises:
        ValidationError: no such year or period.
    """
    if year is None:
        row = conn.execute(CURRENT_YEAR, {"today": clock.today()}).fetchone()
    elif isinstance(year, int):
        row = conn.execute(YEAR_BY_ID, (year,)).fetchone()
    else:
        row = conn.execute(YEAR_BY_TITLE, (year.strip(),)).fetchone()
    if row is None:
        raise ValidationError("Учебный год не найден." if year is None else
                              f"Учебный год «{year}» не найден.")
    year_id, title = row
    periods = conn.execute(PERIODS, {"year": year_id, "today": clock.today()}).fetchall()
    chosen = [p for p in periods if period is None or p[1] == period]
    if not chosen:
        raise ValidationError(f"В {title} учебном году нет периода {period}."
                              if period is not None else f"В {title} учебном году нет периодов.")
    return PeriodChoice(
        year_id=year_id, year_title=title, number=period,
        period_ids=tuple(p[0] for p in chosen), period_titles={p[0]: p[2] for p in chosen},
        starts_on=min(p[3] for p in chosen), ends_on=max(p[4] for p in chosen),
        finished_ids=frozenset(p[0] for p in chosen if p[5]),
    )


GROUPS_BY_NAME = """
SELECT id, name FROM journal.study_group WHERE upper(name) = ANY(%s) ORDER BY name
"""
GROUPS_WITH_LOADS = """
SELECT g.id, g.name FROM journal.study_group g
 WHERE EXISTS (SELECT FROM journal.teaching_load t
                WHERE t.group_id = g.id AND t.period_id = ANY(%s))
 ORDER BY g.name
"""


def find_groups(conn: psycopg.Connection, names: Sequence[str]) -> list[GroupRef]:
    """Groups by name (case does not matter), in the order given.

    Raises:
        ValidationError: a group does not exist or row-level security hides it.
    """
    wanted = [name.strip().upper() for name in names if name.strip()]
    found = {name.upper(): GroupRef(gid, name)
             for gid, name in conn.execute(GROUPS_BY_NAME, (wanted,)).fetchall()}
    missing = [name for name in wanted if name not in found]
    if missing:
        raise ValidationError(f"Группа «{missing[0]}» не найдена или недоступна.")
    return [found[name] for name in dict.fromkeys(wanted)]


def groups_of(conn: psycopg.Connection, choice: PeriodChoice) -> list[GroupRef]:
    """Every group with a teaching load in the chosen period that the connection sees."""
    rows = conn.execute(GROUPS_WITH_LOADS, (list(choice.period_ids),)).fetchall()
    return [GroupRef(gid, name) for gid, name in rows]


GROUP_INFO = """
SELECT g.id, g.name, sp.code, sp.title, c.surname, c.name, c.patronymic, c.phone, c.email
  FROM journal.study_group g
  JOIN journal.specialty sp ON sp.id = g.specialty_id
  LEFT JOIN journal.person c ON c.id = g.curator_id
 WHERE g.id = ANY(%(groups)s)
"""


@dataclass(frozen=True)
class GroupHeading:
    """A group's heading: name, specialty with its code, curator and the curator's contacts."""

    id: int
    name: str
    specialty: str
    curator: str
    curator_full: str
    curator_phone: str
    curator_email: str


def group_infos(rows: Sequence[tuple[Any, ...]]) -> dict[int, GroupHeading]:
    """``GROUP_INFO`` rows by group id."""
    return {gid: GroupHeading(gid, name, f"{code} {title}", short_name(s, n, p), full_name(s, n, p),
                           phone or "", email or "")
            for gid, name, code, title, s, n, p, phone, email in rows}


LOADS = """
SELECT t.id, t.group_id, t.period_id, p.number, p.title, t.subgroup_id, coalesce(sg.name, ''),
       t.discipline_id, btrim(d.code || ' ' || d.title), d.short_title, t.pass_fail,
       t.teacher_id, tp.surname, tp.name, tp.patronymic, t.planned_hours
  FROM journal.teaching_load t
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
  LEFT JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE t.group_id = ANY(%(groups)s) AND t.period_id = ANY(%(periods)s)
 ORDER BY p.number, d.code, d.title, sg.name NULLS FIRST, t.id
"""


def load_rows(rows: Sequence[tuple[Any, ...]]) -> list[LoadRow]:
    """``LOADS`` rows as :class:`LoadRow`."""
    return [LoadRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                    bool(row[10]), row[11], short_name(*row[12:15]), row[15]) for row in rows]


STUDENTS = """
SELECT s.person_id, s.group_id, s.subgroup_id, p.surname, p.name, p.patronymic, s.record_book_no
  FROM journal.student s
  JOIN journal.person p ON p.id = s.person_id
 WHERE s.group_id = ANY(%(groups)s) AND s.enrolled_on <= %(end)s
   AND (s.status IN ('обучается', 'академический отпуск') OR s.left_on >= %(start)s)
 ORDER BY p.surname, p.name, p.patronymic, s.person_id
"""


def student_rows(rows: Sequence[tuple[Any, ...]]) -> list[StudentRow]:
    """``STUDENTS`` rows as :class:`StudentRow`, in list order."""
    return [StudentRow(sid, gid, sub, full_name(s, n, p), book)
            for sid, gid, sub, s, n, p, book in rows]


def students_of(load: LoadRow, students: Sequence[StudentRow]) -> list[StudentRow]:
    """The students a load teaches: its group, or only its subgroup."""
    return [s for s in students if s.group_id == load.group_id
            and (load.subgroup_id is None or s.subgroup_id == load.subgroup_id)]


def scope_args(groups: Sequence[int], choice: PeriodChoice) -> dict[str, Any]:
    """The parameters of ``LOADS`` and ``STUDENTS``."""
    return {"groups": list(groups), "periods": list(choice.period_ids),
            "start": choice.starts_on, "end": choice.ends_on}


STATEMENT_MARKS = """
SELECT s.load_id, sm.student_id, s.form, sm.value
  FROM journal.statement s JOIN journal.statement_mark sm ON sm.statement_id = s.id
 WHERE s.load_id = ANY(%(loads)s) AND (%(student)s::bigint IS NULL OR sm.student_id = %(student)s)
"""
FIXED_FINALS = """
SELECT load_id, student_id, value FROM journal.final_mark
 WHERE load_id = ANY(%(loads)s) AND (%(student)s::bigint IS NULL OR student_id = %(student)s)
"""


@dataclass
class Attested:
    """Statement marks and fixed final marks, by (load, student)."""

    statements: dict[tuple[int, int], dict[str, str]]
    fixed: dict[tuple[int, int], str]

    @classmethod
    def of(cls, statement_rows: Sequence[tuple[Any, ...]],
           fixed_rows: Sequence[tuple[Any, ...]]) -> Attested:
        """From ``STATEMENT_MARKS`` and ``FIXED_FINALS`` rows."""
        statements: dict[tuple[int, int], dict[str, str]] = {}
        for load, student, form, value in statement_rows:
            statements.setdefault((load, student), {})[form] = value
        return cls(statements, {(load, student): value for load, student, value in fixed_rows})

    def statement(self, load: int, student: int) -> StatementValue | None:
        """The deciding statement mark (an exam before a course work), or None."""
        forms = self.statements.get((load, student), {})
        for form in STATEMENT_PRIORITY:
            if form in forms:
                return StatementValue(forms[form])
        return None

    def final(self, load: LoadRow, student: int, marks: Sequence[MarkValue],
              rule: RoundingRule, *, derive: bool = True) -> str:
        """The final mark of R7 as text: the statement mark wins, then the mark fixed when the
        period was closed, then (with ``derive``) the rounded mean of the current marks."""
        statement = self.statement(load.id, student)
        fixed = self.fixed.get((load.id, student))
        if statement is None and fixed is not None:
            return fixed
        if statement is None and not derive:
            return ""
        return final_mark(marks, statement, load.pass_fail, rule).text


def as_mark(text: str) -> AnyMark | None:
    """A final mark's text as a mark for ``core.grading.performance``.

    «н/а» (не аттестован) counts as a failing result, like a неявка.
    """
    if not text:
        return None
    if text == NOT_ATTESTED:
        return StatementValue.ABSENT
    return StatementValue(text)
