"""«Учётные записи сотрудников» (issue 13, item 6): staff with their roles and account state;
create an account, block and unblock, a new one-time password (slip PDF, 0600), roles.

Every change is a call of the database's account functions or a write of ``person_role`` on
the admin's own connection; the database refuses whoever may not, in Russian, and the refusal
is shown as it comes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.people.roster import IssuedAccount
from core.people.staff import StaffMember, change_role, create_or_reset, list_staff, set_blocked
from core.session import ROLE_TITLES, STAFF_ROLES, UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.widgets.keys_footer import KeysFooter

COLUMNS = ("ФИО", "Роли", "Логин", "Учётная запись")


class RolePickScreen(ShowsWorkerErrors, ModalScreen[str | None]):
    """Choose a role to add or to take away; dismissed with the role's key or None."""

    HELP: ClassVar[str] = """\
# Выбор роли

Роль определяет, что сотрудник видит и может менять в журнале (R13); у одного человека может
быть несколько ролей. Права каждой роли задаёт база данных.

## Клавиши
- **↑ ↓** — роль; **Enter** — выбрать; **Esc** — отмена.
"""
    DEFAULT_CSS = """
    RolePickScreen { align: center middle; background: $background 60%; }
    RolePickScreen > Vertical { width: 60; height: auto; max-height: 90%; border: thick $accent;
                                background: $surface; padding: 0 1; }
    RolePickScreen OptionList { height: auto; max-height: 14; }
    """
    BINDINGS = [Binding("escape", "cancel", "Отмена")]

    def __init__(self, title: str, roles: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield OptionList(*[Option(ROLE_TITLES[r], id=r) for r in self.roles], id="role-pick")

    def on_mount(self) -> None:
        self.query_one("#role-pick", OptionList).focus()

    @on(OptionList.OptionSelected, "#role-pick")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        """Choose nothing."""
        self.dismiss(None)


class StaffAccountsScreen(ShowsWorkerErrors, Screen[None]):
    """The staff list with roles and account state; the admin's account actions."""

    HELP: ClassVar[str] = """\
# Учётные записи сотрудников

Список сотрудников с ролями и состоянием учётной записи (R13: доступ по личным учётным записям;
выдаёт, блокирует и меняет роли заведующий учебной частью). Все действия выполняет база данных
своими функциями и проверяет права сама: чего роль не может, то будет отклонено с объяснением.

## Состояние учётной записи
- **действует** — можно входить;
- **ждёт смены пароля** — выдан одноразовый пароль, при первом входе его надо сменить;
- **заблокирована** — вход запрещён, открытые сеансы завершены;
- **нет учётной записи** — вход ещё не выдан.

## Клавиши
- **↑ ↓** — сотрудник;
- **F2** — выдать учётную запись (логин вида ivanova.ma и одноразовый пароль; листок PDF);
- **F3** — новый одноразовый пароль (старый перестаёт действовать; листок PDF);
- **F6** — заблокировать, **F7** — разблокировать (снимает и блокировку за неверные пароли);
- **F8** — добавить роль, **F9** — снять роль (у человека может быть несколько ролей);
- **F5** — обновить; **Esc** — назад.

Листок с паролем записывается в файл, который может прочитать только ваша учётная запись
компьютера (права 0600); распечатайте его и удалите.
"""

    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f2", "create", "Выдать вход"),
        Binding("f3", "reset", "Новый пароль"),
        Binding("f6", "block", "Заблокировать"),
        Binding("f7", "unblock", "Разблокировать"),
        Binding("f8", "add_role", "Добавить роль"),
        Binding("f9", "remove_role", "Снять роль"),
        Binding("f5", "reload", "Обновить"),
    ]
    DEFAULT_CSS = """
    StaffAccountsScreen #staff-table { height: 1fr; }
    StaffAccountsScreen #staff-status { height: auto; padding: 0 1; }
    """

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.staff: list[StaffMember] = []
        self.last_issued: IssuedAccount | None = None
        """The account issued last (tests read it; the dialog forgets the password)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static("Загрузка…", id="staff-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Учётные записи сотрудников"
        table = self.query_one("#staff-table", DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.action_reload()

    @property
    def current(self) -> StaffMember | None:
        """The highlighted staff member."""
        row = self.query_one("#staff-table", DataTable).cursor_row
        return self.staff[row] if 0 <= row < len(self.staff) else None

    # --- loading ---------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the staff list again."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self, status: str = "") -> None:
        staff = list_staff(self.session)
        self.app.call_from_thread(self._show, staff, status)

    def _show(self, staff: list[StaffMember], status: str) -> None:
        table = self.query_one("#staff-table", DataTable)
        keep = table.cursor_row
        self.staff = staff
        table.clear()
        for m in staff:
            table.add_row(escape(m.full_name), m.role_titles, m.login or "—", m.state)
        table.move_cursor(row=min(max(keep, 0), max(len(staff) - 1, 0)))
        self.query_one("#staff-status", Static).update(
            status or f"Сотрудников: {len(staff)}; без учётной записи: "
                      f"{sum(1 for m in staff if not m.login)}.")
        self.refresh_bindings()

    # --- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        member = self.current
        if action in ("back", "reload"):
            return True
        if member is None:
            return False
        checks = {"create": not member.login, "reset": bool(member.login),
                  "block": bool(member.login) and not member.blocked,
                  "unblock": bool(member.login) and member.blocked,
                  "add_role": True, "remove_role": len(member.roles) > 1}
        return checks.get(action, True)

    def _confirm(self, title: str, question: str, yes: str, then: Callable[[], object]) -> None:
        from tui.dialogs.confirm import ConfirmScreen

        def answer(agreed: bool | None) -> None:
            if agreed:
                then()

        self.app.push_screen(ConfirmScreen(title, question, yes=yes, no="Отмена"), answer)

    def action_create(self) -> None:
        """Give the highlighted person an account (a one-time password, a slip)."""
        member = self.current
        if member is not None and not member.login:
            self._confirm("Выдача входа", f"Выдать учётную запись: {member.full_name}?",
                          "Выдать", lambda: self._issue(member))

    def action_reset(self) -> None:
        """A new one-time password: the old one stops working, live sessions end."""
        member = self.current
        if member is not None and member.login:
            self._confirm("Новый пароль", f"Выдать новый одноразовый пароль: {member.full_name} "
                          f"(логин {member.login})? Старый пароль перестанет действовать.",
                          "Выдать", lambda: self._issue(member))

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def _issue(self, member: StaffMember) -> None:
        issued = create_or_reset(self.session, member)
        self.app.call_from_thread(self._issued, issued)

    def _issued(self, issued: IssuedAccount) -> None:
        from tui.screens.curator.account_issued import AccountIssuedScreen

        self.last_issued = issued
        self.app.push_screen(AccountIssuedScreen(self.session, issued), lambda _r: self._forget())
        self._load()

    def _forget(self) -> None:
        self.last_issued = None

    def action_block(self) -> None:
        """Block the account: no login, live sessions ended."""
        member = self.current
        if member is not None and member.login:
            self._confirm("Блокировка", f"Заблокировать учётную запись {member.login} "
                          f"({member.full_name})? Открытые сеансы будут завершены.",
                          "Заблокировать", lambda: self._set_blocked(member, True))

    def action_unblock(self) -> None:
        """Let the account log in again."""
        member = self.current
        if member is not None and member.login:
            self._set_blocked(member, False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def _set_blocked(self, member: StaffMember, blocked: bool) -> None:
        set_blocked(self.session, member, blocked)
        word = "заблокирована" if blocked else "разблокирована"
        self.app.call_from_thread(self._load, f"Учётная запись {member.login} {word}.")

    def action_add_role(self) -> None:
        """Give the highlighted person one more role."""
        member = self.current
        if member is not None:
            roles = [r for r in ROLE_TITLES if r in STAFF_ROLES and r not in member.roles]
            self.app.push_screen(RolePickScreen(f"Добавить роль: {member.full_name}", roles),
                                 self._role_answer(member, True))

    def action_remove_role(self) -> None:
        """Take one of the person's roles away."""
        member = self.current
        if member is not None:
            roles = [r for r in ROLE_TITLES if r in member.roles]
            self.app.push_screen(RolePickScreen(f"Снять роль: {member.full_name}", roles),
                                 self._role_answer(member, False))

    def _role_answer(self, member: StaffMember, add: bool) -> Callable[[str | None], None]:
        def answer(role: str | None) -> None:
            if role:
                self._change_role(member, role, add)
        return answer

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def _change_role(self, member: StaffMember, role: str, add: bool) -> None:
        change_role(self.session, member, role, add)
        word = "добавлена" if add else "снята"
        self.app.call_from_thread(self._load, f"{member.full_name}: роль «{ROLE_TITLES[role]}» {word}.")

    def action_back(self) -> None:
        """Back to administration."""
        self.app.pop_screen()
