"""The reports the section offers, who sees each, and how each is built (no Textual here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.reports import service
from core.reports.table import ReportTable
from core.session import UserSession

READ_ALL = ("admin", "director", "deputy", "office", "methodologist")
REPORTING = (*READ_ALL, "teacher", "curator")


@dataclass(frozen=True)
class ReportKind:
    """One entry of the list of reports."""

    key: str
    title: str
    roles: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    fortnight: bool = False

    def build(self, session: UserSession, dates: service.Dates, by: str,
              group: str = "", *, weeks: bool = False) -> ReportTable:
        """The report for these dates, this dimension and (where it applies) one group;
        ``weeks``: attendance charted by week instead of by month."""
        if self.key == "attendance":
            return service.attendance(session, dates, by, weeks=weeks)
        return BUILDERS[self.key](session, dates, by, group)


def _group_id(session: UserSession, group: str) -> int | None:
    return service.group_id(session, group) if group.strip() else None


Build = Callable[[UserSession, service.Dates, str, str], ReportTable]
BUILDERS: dict[str, Build] = {
    "remarks": lambda s, _d, _b, _g: service.my_remarks(s),
    "control": lambda s, d, _b, _g: service.control(s, d),
    "control_summary": lambda s, d, _b, _g: service.control_summary(s, d),
    "controls": lambda s, _d, _b, _g: service.control_history(s),
    "performance": lambda s, d, b, _g: service.performance(s, d, b),
    "program": lambda s, d, _b, _g: service.program(s, d),
    "behind": lambda s, d, _b, _g: service.program(s, d, behind_only=True),
    "forecast": lambda s, d, _b, g: service.forecast(s, d, _group_id(s, g)),
    "risk": lambda s, d, _b, g: service.at_risk(s, d, _group_id(s, g)),
    "debts": lambda s, d, _b, _g: service.debts(s, d),
    "parents": lambda s, _d, _b, g: service.parents_list(s, g.strip()),
}

KINDS: tuple[ReportKind, ...] = (
    ReportKind("remarks", "Мои замечания", ("teacher",)),
    ReportKind("control", "Контроль заполнения", REPORTING, fortnight=True),
    ReportKind("control_summary", "Нарушения по преподавателям", REPORTING, fortnight=True),
    ReportKind("controls", "Журнал проверок", READ_ALL),
    ReportKind("performance", "Успеваемость", REPORTING,
               ("group", "discipline", "teacher", "course", "college")),
    ReportKind("attendance", "Посещаемость", REPORTING,
               ("group", "student", "month", "discipline")),
    ReportKind("program", "Выполнение программы", REPORTING),
    ReportKind("behind", "Отставание от плана", REPORTING),
    ReportKind("forecast", "Прогноз итогов", REPORTING),
    ReportKind("risk", "Группа риска", REPORTING),
    ReportKind("debts", "Задолженности", REPORTING),
    ReportKind("parents", "Сведения для родителей", (*READ_ALL, "curator")),
)
GROUPED = frozenset({"forecast", "risk", "parents"})
"""Reports that take one group typed in the «группа» field (empty: all in scope)."""


def kinds_for(roles: frozenset[str]) -> list[ReportKind]:
    """The reports a person with ``roles`` may open."""
    return [k for k in KINDS if roles.intersection(k.roles)]
