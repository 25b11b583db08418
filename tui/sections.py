"""The home screen's sections: which roles see each, and the screen that opens it.

The list is explicit: a new screen is added here by one line without touching the home screen.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen

from core.session import UserSession

READ_ALL = ("admin", "director", "deputy", "office", "methodologist")


@dataclass(frozen=True)
class Section:
    """One entry of the home menu."""

    key: str
    title: str
    hint: str
    roles: tuple[str, ...]
    screen: str  # "module:Class"; the class is built with the session

    def build(self, session: UserSession) -> Screen[None]:
        """Instantiate the section's screen for ``session``."""
        module_name, class_name = self.screen.split(":")
        return getattr(importlib.import_module(module_name), class_name)(session)


SECTIONS: tuple[Section, ...] = (
    Section("journal", "Журнал", "страницы журнала: отметки, посещаемость, темы, задания",
            ("teacher", "office", "admin", *READ_ALL, "curator", "support"),
            "tui.screens.journal.pick:JournalPickScreen"),
    Section("attendance", "Посещаемость группы за день", "куратор: отметить отсутствующих",
            ("curator", "office", "admin"), "tui.screens.curator.attendance_day:AttendanceDayScreen"),
    Section("statements", "Ведомости", "промежуточная аттестация: заполнить и закрыть",
            ("teacher", "office", "admin", *READ_ALL), "tui.screens.statements.screen:StatementsScreen"),
    Section("students", "Студенты и родители", "данные группы, выдача учётных записей",
            ("curator", "office", "admin"), "tui.screens.curator.students:StudentsScreen"),
    Section("my_marks", "Успеваемость", "отметки, посещаемость, задания, расписание",
            ("parent", "student"), "tui.screens.family.screen:FamilyScreen"),
    Section("messages", "Сообщения", "переписка кураторов, учебной части и родителей",
            ("curator", "parent", "office", "admin", "teacher"),
            "tui.screens.messages.screen:MessagesScreen"),
    Section("catalogue", "Справочники", "группы, студенты, родители, нагрузка, КТП, расписание; "
            "загрузка из Excel", ("office", "admin"), "tui.screens.setup.lists:CatalogueScreen"),
    Section("reports", "Отчёты", "контроль заполнения, замечания, успеваемость, посещаемость",
            (*READ_ALL, "teacher", "curator"), "tui.screens.reports.screen:ReportsScreen"),
    Section("admin", "Администрирование", "резервные копии, архив года, печать, учётные записи",
            ("admin",), "tui.screens.admin.admin:AdminScreen"),
    Section("readiness", "Готовность к учебному году", "чего не хватает к 5 сентября",
            ("admin", "office"), "tui.screens.setup.readiness_screen:ReadinessScreen"),
    Section("year", "Учебный год", "периоды, праздники, каникулы, звонки, переход на новый год",
            ("admin", "office"), "tui.screens.setup.year_screen:YearScreen"),
    Section("timetable", "Расписание и замены", "расписание, разовые изменения, замены, занятия года",
            ("admin", "office"), "tui.screens.setup.timetable_screen:TimetableScreen"),
    Section("settings", "Настройки", "рабочее время, округление, причины исправлений, блокировки",
            ("admin", "office"), "tui.screens.setup.settings_screen:SettingsScreen"),
    Section("password", "Сменить пароль", "новый пароль для входа",
            ("admin", "director", "deputy", "office", "methodologist", "teacher", "curator",
             "support", "parent", "student"), "tui.screens.start.password:ChangePasswordScreen"),
)


def sections_for(roles: frozenset[str]) -> list[Section]:
    """The sections a person with ``roles`` sees, in menu order."""
    return [s for s in SECTIONS if roles.intersection(s.roles)]

