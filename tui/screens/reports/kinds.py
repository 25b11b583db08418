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

    def build(self, session: UserSession, dates: service.Dates, by: str) -> ReportTable:
        """The report for these dates and this dimension."""
        return BUILDERS[self.key](session, dates, by)


BUILDERS: dict[str, Callable[[UserSession, service.Dates, str], ReportTable]] = {
    "remarks": lambda s, _d, _b: service.my_remarks(s),
    "control": lambda s, d, _b: service.control(s, d),
    "control_summary": lambda s, d, _b: service.control_summary(s, d),
    "controls": lambda s, _d, _b: service.control_history(s),
    "performance": lambda s, d, b: service.performance(s, d, b),
    "attendance": lambda s, d, b: service.attendance(s, d, b),
    "program": lambda s, d, _b: service.program(s, d),
    "behind": lambda s, d, _b: service.program(s, d, behind_only=True),
    "forecast": lambda s, d, _b: service.forecast(s, d),
    "risk": lambda s, d, _b: service.at_risk(s, d),
    "debts": lambda s, d, _b: service.debts(s, d),
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
)


def kinds_for(roles: frozenset[str]) -> list[ReportKind]:
    """The reports a person with ``roles`` may open."""
    return [k for k in KINDS if roles.intersection(k.roles)]
