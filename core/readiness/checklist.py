"""The checklist «Готовность к учебному году» (issue 13, item 8).

Each check counts what is missing for the year that starts next (or is running), names a few
examples and the place where it is fixed: a ``target`` key the program maps to a screen.
Targets of this branch's screens: ``year`` (calendar: periods, holidays, bells),
``timetable``, ``settings``. Targets of lists kept by other screens: ``groups`` (curators),
``loads``, ``ktp``, ``students``, ``parents``, ``staff_accounts``; the program opens the
screen registered for the key (tui/screens/setup/readiness.py), or says where to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from core.calendar.year import Year, list_years, rows
from kernel import clock

if TYPE_CHECKING:
    import psycopg

EXAMPLES = 5


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    key: str
    title: str
    missing: int
    examples: tuple[str, ...]
    target: str
    """The screen where it is fixed (see the module's docstring)."""

    @property
    def ok(self) -> bool:
        return self.missing == 0

    @property
    def text(self) -> str:
        """``✗ Кураторы групп — не хватает: 2 (ИС-25-1, ТО-25-2)`` or ``✓ Кураторы групп``."""
        if self.ok:
            return f"✓ {self.title}"
        more = "…" if self.missing > len(self.examples) else ""
        return f"✗ {self.title} — не хватает: {self.missing} ({', '.join(self.examples)}{more})"


# Each query returns the names of what is missing; %(year)s is the year checked.
CHECKS: tuple[tuple[str, str, str, str], ...] = (
    ("periods", "Периоды (семестры) открыты", "year", """
        SELECT y.title FROM journal.academic_year y WHERE y.id = %(year)s
           AND NOT EXISTS (SELECT FROM journal.period p WHERE p.year_id = y.id)"""),
    ("bells", "Расписание звонков", "year", """
        SELECT y.title FROM journal.academic_year y WHERE y.id = %(year)s
           AND NOT EXISTS (SELECT FROM journal.bell b WHERE b.year_id = y.id)"""),
    ("holidays", "Праздники и каникулы в календаре", "year", """
        SELECT y.title FROM journal.academic_year y WHERE y.id = %(year)s
           AND NOT EXISTS (SELECT FROM journal.holiday h WHERE h.year_id = y.id)"""),
    ("curator", "Кураторы групп", "groups", """
        SELECT g.name FROM journal.study_group g
         WHERE g.graduated_at IS NULL AND g.curator_id IS NULL ORDER BY g.name"""),
    ("group_load", "Нагрузка групп на год", "loads", """
        SELECT g.name FROM journal.study_group g WHERE g.graduated_at IS NULL
           AND NOT EXISTS (SELECT FROM journal.teaching_load t JOIN journal.period p ON p.id = t.period_id
                            WHERE t.group_id = g.id AND p.year_id = %(year)s) ORDER BY g.name"""),
    ("timetable", "Расписание групп", "timetable", """
        SELECT g.name FROM journal.study_group g WHERE g.graduated_at IS NULL
           AND NOT EXISTS (SELECT FROM journal.timetable_slot s
                             JOIN journal.teaching_load t ON t.id = s.load_id
                             JOIN journal.period p ON p.id = t.period_id
                            WHERE t.group_id = g.id AND p.year_id = %(year)s) ORDER BY g.name"""),
    ("ktp", "КТП нагрузок", "ktp", """
        SELECT g.name || ' ' || d.title FROM journal.teaching_load t
          JOIN journal.period p ON p.id = t.period_id JOIN journal.study_group g ON g.id = t.group_id
          JOIN journal.discipline d ON d.id = t.discipline_id
         WHERE p.year_id = %(year)s
           AND NOT EXISTS (SELECT FROM journal.ktp_topic k WHERE k.load_id = t.id)
         ORDER BY g.name, d.title"""),
    ("parents", "Контакты родителей", "parents", """
        SELECT pp.surname || ' ' || left(pp.name, 1) || '. (' || g.name || ')'
          FROM journal.student s JOIN journal.person pp ON pp.id = s.person_id
          JOIN journal.study_group g ON g.id = s.group_id
         WHERE s.status = 'обучается' AND g.graduated_at IS NULL
           AND NOT EXISTS (SELECT FROM journal.guardian gu JOIN journal.person p ON p.id = gu.parent_id
                            WHERE gu.student_id = s.person_id
                              AND (p.phone IS NOT NULL OR p.email IS NOT NULL))
         ORDER BY g.name, pp.surname"""),
    ("staff_accounts", "Учётные записи сотрудников", "staff_accounts", """
        SELECT DISTINCT p.surname || ' ' || left(p.name, 1) || '.' FROM journal.person p
          JOIN journal.person_role r ON r.person_id = p.id AND r.role NOT IN ('student', 'parent')
         WHERE NOT EXISTS (SELECT FROM journal.account a WHERE a.person_id = p.id)"""),
)


def year_to_check(conn: psycopg.Connection, today: date | None = None) -> Year | None:
    """The year that runs on ``today`` or starts after it (the nearest); None when none."""
    today = today or clock.today()
    years = sorted(list_years(conn), key=lambda y: y.starts_on)
    coming = [y for y in years if today < y.starts_on and (y.starts_on - today).days <= 120]
    running = [y for y in years if y.starts_on <= today <= y.ends_on]
    found = coming or running or years[-1:]
    return found[0] if found else None


def checklist(conn: psycopg.Connection, year: Year) -> list[Check]:
    """Every check for ``year``, failed ones first."""
    result = []
    for key, title, target, sql in CHECKS:
        names = [str(r[0]) for r in rows(conn, f"SELECT * FROM ({sql}) x", {"year": year.year_id})]
        result.append(Check(key, title, len(names), tuple(names[:EXAMPLES]), target))
    return sorted(result, key=lambda c: c.ok)
