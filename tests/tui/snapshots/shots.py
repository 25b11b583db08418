"""What each screen's snapshot opens: as whom, how, and the keys a person presses to get there.

A screen that opens from another one with data in hand (a cell's history, a form, a picker)
is reached the way a person reaches it: its parent screen opens, then the keys are pressed.
Dialogs whose content is made up on the spot (a one-time password, a question) are built
with fixed texts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from core.people.roster import IssuedAccount
from demo.setup import DemoAccount
from tests.demo_fixture import BUSIEST_LOAD, DemoDb
from tests.tui.screens.journal.pilot import cursor, wait_until
from tui.dialogs.error import ErrorScreen
from tui.dialogs.prompt import PromptScreen
from tui.screens.admin.accounts import StaffAccountsScreen
from tui.screens.admin.admin import AdminScreen
from tui.screens.admin.print import PrintScreen
from tui.screens.curator.account_issued import AccountIssuedScreen
from tui.screens.curator.attendance_day import AttendanceDayScreen
from tui.screens.curator.students import StudentsScreen
from tui.screens.family.screen import FamilyScreen
from tui.screens.journal.page import JournalScreen
from tui.screens.journal.pick import JournalPickScreen
from tui.screens.messages.screen import MessagesScreen
from tui.screens.reports.jump import JournalAtScreen
from tui.screens.reports.screen import ReportsScreen
from tui.screens.setup.lists import CatalogueScreen
from tui.screens.setup.readiness_screen import ReadinessScreen
from tui.screens.setup.settings_screen import SettingsScreen
from tui.screens.setup.timetable_screen import TimetableScreen
from tui.screens.setup.year_screen import YearScreen
from tui.screens.start.guide import GuideScreen
from tui.screens.start.home import HomeScreen
from tui.screens.start.lock import LockScreen
from tui.screens.start.login import LoginScreen
from tui.screens.start.password import ChangePasswordScreen
from tui.screens.statements.screen import StatementsScreen

TEACHER, CURATOR, PARENT, ADMIN = "преподаватель", "куратор", "родитель", "заведующий"
OFFICE = "учебной части"

Opener = Callable[[DemoDb, Any], Screen[Any]]
Act = Callable[[Pilot[None], DemoDb], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    """One snapshot: the role logged in, the screen pushed, then keys (or an act) on it."""

    role: str
    open: Opener
    keys: tuple[str, ...] = ()
    act: Act | None = None


def load_of(demo: DemoDb, session: Any) -> int:
    """The demo teacher's load with the most lessons (the page every teacher test opens)."""
    with demo.connect() as conn:
        login = demo.account(TEACHER).login
        return int(conn.execute(BUSIEST_LOAD, (login,)).fetchone()[0])


def page(demo: DemoDb, session: Any) -> JournalScreen:
    return JournalScreen(session, load_of(demo, session))


async def conflict(pilot: Pilot[None], demo: DemoDb) -> None:
    """The office corrects a cell the teacher is typing into: the page asks whose value stays."""
    screen = pilot.app.screen
    assert isinstance(screen, JournalScreen)
    await pilot.press("home")
    await pilot.pause()
    lesson_id, student_id = cursor(screen)
    with demo.connect() as conn:
        conn.execute("DELETE FROM journal.attendance WHERE lesson_id = %s AND student_id = %s",
                     (lesson_id, student_id))
        conn.execute("INSERT INTO journal.attendance (lesson_id, load_id, student_id, code) "
                     "SELECT id, load_id, %s, 'НУ' FROM journal.lesson WHERE id = %s",
                     (student_id, lesson_id))
    if screen.listener:
        screen.listener.stop()    # the page has not heard of it yet
    await pilot.press("н")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ConflictScreen")


ISSUED = IssuedAccount(0, "Родионов Максим Сергеевич", "обучающийся", "st-jx2h8e", "ябл-4821-ком",
                       "МВС-24-1", True)
"""A one-time password is random: the dialog is shown with a fixed one."""


def login_screen(demo: DemoDb, session: Any) -> LoginScreen:
    accounts = [DemoAccount(x.role, x.login, x.password, x.full_name) for x in demo.logins]
    return LoginScreen(demo.settings, accounts)


SHOTS: dict[str, Shot] = {
    "LoginScreen": Shot(TEACHER, login_screen),
    "HomeScreen": Shot(TEACHER, lambda d, s: HomeScreen(s)),
    "GuideScreen": Shot(TEACHER, lambda d, s: GuideScreen(s.person.roles)),
    "ChangePasswordScreen": Shot(TEACHER, lambda d, s: ChangePasswordScreen(s)),
    "LockScreen": Shot(TEACHER, lambda d, s: LockScreen(s)),
    "ConfirmScreen": Shot(TEACHER, lambda d, s: HomeScreen(s), ("escape",)),
    "PromptScreen": Shot(TEACHER, lambda d, s: PromptScreen(
        "Нужна причина исправления", "Отметка уже сохранена в журнале.\n"
        "Причина (сохраняется в истории):")),
    "ErrorScreen": Shot(TEACHER, lambda d, s: ErrorScreen(
        "Нет связи с сервером", "Изменения сохранены на этом компьютере и будут отправлены, "
        "когда связь появится.")),
    "JournalPickScreen": Shot(TEACHER, lambda d, s: JournalPickScreen(s)),
    "JournalScreen": Shot(TEACHER, page),
    "LessonFormScreen": Shot(TEACHER, page, ("f2",)),
    "CellHistoryScreen": Shot(TEACHER, page, ("f3",)),
    "WorkKindScreen": Shot(TEACHER, page, ("f4",)),
    "HelpScreen": Shot(TEACHER, page, ("f1",)),
    "ActionsScreen": Shot(TEACHER, page, ("ctrl+p",)),
    "ConflictScreen": Shot(TEACHER, page, act=conflict),
    "HomeworkFilesScreen": Shot(TEACHER, page, ("f9",)),
    "StatementsScreen": Shot(TEACHER, lambda d, s: StatementsScreen(s)),
    "AttendanceDayScreen": Shot(CURATOR, lambda d, s: AttendanceDayScreen(s)),
    "StudentsScreen": Shot(CURATOR, lambda d, s: StudentsScreen(s)),
    "PersonFormScreen": Shot(CURATOR, lambda d, s: StudentsScreen(s), ("f2",)),
    "GroupAccountsScreen": Shot(CURATOR, lambda d, s: StudentsScreen(s), ("f8",)),
    "GroupPickScreen": Shot(OFFICE, lambda d, s: AttendanceDayScreen(s)),  # no group of its own
    "AccountIssuedScreen": Shot(CURATOR, lambda d, s: AccountIssuedScreen(s, ISSUED)),
    "MessagesScreen": Shot(PARENT, lambda d, s: MessagesScreen(s)),
    "FamilyScreen": Shot(PARENT, lambda d, s: FamilyScreen(s)),
    "WeekScreen": Shot(PARENT, lambda d, s: FamilyScreen(s), ("enter", "f4")),  # the first child
    "LegendScreen": Shot(PARENT, lambda d, s: FamilyScreen(s), ("л",)),
    "AdminScreen": Shot(ADMIN, lambda d, s: AdminScreen(s)),
    "PrintScreen": Shot(ADMIN, lambda d, s: PrintScreen(s)),
    "StaffAccountsScreen": Shot(ADMIN, lambda d, s: StaffAccountsScreen(s)),
    "RolePickScreen": Shot(ADMIN, lambda d, s: StaffAccountsScreen(s), ("f8",)),
    "ReportsScreen": Shot(ADMIN, lambda d, s: ReportsScreen(s)),
    "JournalAtScreen": Shot(ADMIN, lambda d, s: JournalAtScreen(s, load_of(d, s), None, None)),
    "CatalogueScreen": Shot(ADMIN, lambda d, s: CatalogueScreen(s)),
    "RowFormScreen": Shot(ADMIN, lambda d, s: CatalogueScreen(s), ("insert",)),
    "ImportScreen": Shot(ADMIN, lambda d, s: CatalogueScreen(s), ("f3",)),
    "ReadinessScreen": Shot(ADMIN, lambda d, s: ReadinessScreen(s)),
    "SettingsScreen": Shot(ADMIN, lambda d, s: SettingsScreen(s)),
    "TimetableScreen": Shot(ADMIN, lambda d, s: TimetableScreen(s)),
    "YearScreen": Shot(ADMIN, lambda d, s: YearScreen(s)),
    "FormDialog": Shot(ADMIN, lambda d, s: YearScreen(s), ("f6",)),
    "PreviewDialog": Shot(ADMIN, lambda d, s: YearScreen(s), ("f8",)),
}
"""Every screen and dialog of the program, by class name."""

BASES = {"GroupScreen": "the curator's screens' base (StudentsScreen, AttendanceDayScreen)",
         "StatementSheetScreen": "the statement sheet's base (StatementsScreen)",
         "LessonFields": "the lesson form's fields (LessonFormScreen)"}
"""Classes that are never shown on their own; their subclasses' snapshots show them."""
