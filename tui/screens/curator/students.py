"""Students and parents of a group: their data, checked as typed, and their accounts.

The curator keeps the contact data of the group's students and their parents, adds parents
and links them to children, and issues accounts (the one-time password is shown once, with
a credentials slip to print). The office and the admin also add students and change any
field. What a person may change is what row-level security lets them write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from core.people.forms import (
    GroupInfo,
    GroupRoster,
    ParentCard,
    ParentData,
    StudentCard,
    StudentData,
    check_parent,
    check_student,
    parent_form,
    student_form,
)
from core.people.roster import (
    AccountHolder,
    IssuedAccount,
    account_holder,
    issue_account,
    keeps_lists,
    parent_fields,
    read_roster,
    save_parent,
    save_student,
    student_fields,
)
from core.people.validation import phone_text
from core.session import UserSession
from kernel.errors import EJournalError
from tui.dialogs.error import ErrorScreen
from tui.screens.curator import helps
from tui.screens.curator.card_fields import parent_form_fields, student_form_fields
from tui.screens.curator.group_pick import GroupScreen
from tui.screens.curator.letters import LetterKeys
from tui.screens.curator.movement import MovementKeys
from tui.screens.curator.person_form import PersonFormScreen
from tui.widgets.keys_footer import KeysFooter

HINT = ("Tab — студенты/родители · Enter или F2 — изменить · F3 — добавить родителя · "
        "F4 — выдать вход · F7 — движение (отпуск, выход…) · F8 — вход всей группе")
STUDENT_COLUMNS = (("№", 3), ("Фамилия Имя Отчество", 32), ("Дата рожд.", 10), ("Зач. книжка", 11),
                   ("Статус", 20), ("Пг", 2), ("Телефон", 18), ("E-mail", 28), ("Вход", 16))
PARENT_COLUMNS = (("Фамилия Имя Отчество", 32), ("Кем приходится", 16), ("Телефон", 18),
                  ("E-mail", 28), ("Дети в группе", 30), ("Вход", 16))
"""Fixed widths (for 160 columns): the tables look the same whatever the data."""

ParentResult = tuple[dict[str, str], tuple[int, ...], ParentData]
"""What the parent's form gives back: the texts typed, the children ticked, the checked data."""


class StudentsScreen(LetterKeys, MovementKeys, GroupScreen):
    """The group's students (top) and the parents of the selected student (bottom).

    Args:
        session: The logged-in session.
    """

    HELP: ClassVar[str] = helps.STUDENTS

    CSS_PATH = "students.tcss"
    TITLE_ID = "students-title"
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("f2", "edit", "Изменить"),
        Binding("f3", "add_parent", "Добавить родителя"),
        Binding("f4", "issue_account", "Выдать вход"),
        Binding("f6", "add_student", "Добавить студента"),
        Binding("f7", "movement", "Движение"),
        Binding("f8", "issue_group", "Вход всей группе"),
        Binding("f9", "pick_group", "Группа"),
        Binding("f5", "reload", "Обновить"),
        Binding("f10", "parents_report", "Сведения родителям"),
        Binding("f11", "consent", "Согласие на письма"),
        Binding("f12", "send_letters", "Письма группе"),
    ]

    def __init__(self, session: UserSession) -> None:
        super().__init__(session)
        self.roster: GroupRoster | None = None
        self.shown_parents: list[ParentCard] = []
        self.last_issued: IssuedAccount | None = None
        """The account issued last (tests read it; the dialog forgets the password on close)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Загрузка…", id="students-title")
        yield DataTable(id="students-table", cursor_type="row", zebra_stripes=True)
        yield Static("Родители", id="parents-title")
        yield DataTable(id="parents-table", cursor_type="row")
        yield Static(HINT, id="students-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Студенты и родители"
        students = self.query_one("#students-table", DataTable)
        for label, width in STUDENT_COLUMNS:
            students.add_column(label, width=width)
        parents = self.query_one("#parents-table", DataTable)
        for label, width in PARENT_COLUMNS:
            parents.add_column(label, width=width)
        students.focus()
        self._load_groups()

    # --- group -----------------------------------------------------------------------------

    def _set_group(self, group: GroupInfo) -> None:
        from core.preferences import write_pref

        self.group = group
        write_pref(self.session.person.login, "last_group", group.group_id)
        self.action_reload()

    # --- loading ---------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Re-read the group's students and parents."""
        if self.group is not None:
            self._load(self.group)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self, group: GroupInfo, select: int | None = None) -> None:
        roster = read_roster(self.session, group)
        self.app.call_from_thread(self._show, roster, select)

    def _show(self, roster: GroupRoster, select: int | None = None) -> None:
        self.roster = roster
        table = self.query_one("#students-table", DataTable)
        keep = self.current_student
        table.clear()
        for number, card in enumerate(roster.students, start=1):
            d = card.data
            table.add_row(str(number), card.full_name, _date(d.birth_date), d.record_book_no,
                          d.status, card.subgroup_name.split(" ")[0], phone_text(d.phone), d.email or "",
                          card.login or "—", key=str(card.person_id))
        target = select if select is not None else (keep.person_id if keep else None)
        ids = [s.person_id for s in roster.students]
        if target in ids:
            table.move_cursor(row=ids.index(target))
        active = sum(1 for s in roster.students if s.data.status == "обучается")
        self.query_one("#students-title", Static).update(
            f"[b]{roster.group.name}[/]" + (f" · куратор {roster.group.curator}" if roster.group.curator
                                            else "") + f" · обучаются: {active} из {len(ids)}")
        self._show_parents()
        self.refresh_bindings()

    @property
    def current_student(self) -> StudentCard | None:
        """The student under the cursor of the students' table."""
        if self.roster is None or not self.roster.students:
            return None
        row = self.query_one("#students-table", DataTable).cursor_row
        return self.roster.students[row] if 0 <= row < len(self.roster.students) else None

    @property
    def current_parent(self) -> ParentCard | None:
        """The parent under the cursor of the parents' table."""
        row = self.query_one("#parents-table", DataTable).cursor_row
        return self.shown_parents[row] if 0 <= row < len(self.shown_parents) else None

    @on(DataTable.RowHighlighted, "#students-table")
    def _student_moved(self) -> None:
        self._show_parents()

    def _show_parents(self) -> None:
        table = self.query_one("#parents-table", DataTable)
        table.clear()
        student, roster = self.current_student, self.roster
        self.shown_parents = roster.parents_of(student.person_id) if student and roster else []
        for parent in self.shown_parents:
            d = parent.data
            children = ", ".join(roster.student(c).data.name for c in d.children
                                 if roster is not None and c in {s.person_id for s in roster.students})
            table.add_row(parent.full_name, d.relation, phone_text(d.phone), d.email or "", children,
                          parent.login or "—", key=str(parent.person_id))
        title = f"Родители: {student.full_name}" if student else "Родители"
        if student and not self.shown_parents:
            title += " — [dim]не указаны (F3 — добавить)[/]"
        self.query_one("#parents-title", Static).update(title)

    @property
    def in_parents(self) -> bool:
        """The parents' table has the focus."""
        return self.focused is self.query_one("#parents-table", DataTable)

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_group":
            return len(self.groups) > 1
        if action == "add_student":
            return self.roster is not None and keeps_lists(self.session)
        if action == "consent":
            return self.in_parents and self.current_parent is not None
        if action in ("edit", "issue_account"):
            return (self.current_parent if self.in_parents else self.current_student) is not None
        if action == "issue_group":
            return self.roster is not None
        if action in ("add_parent", "movement"):
            return self.current_student is not None and not self.in_parents
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def on_descendant_focus(self) -> None:
        """The keys shown depend on which table has the focus."""
        self.refresh_bindings()

    def action_edit(self) -> None:
        """Change the selected student's or parent's data."""
        if self.in_parents:
            parent = self.current_parent
            if parent is not None:
                self._parent_form(parent)
        else:
            student = self.current_student
            if student is not None:
                self._student_form(student)

    def action_add_student(self) -> None:
        """Add a student to the group (the office, the admin)."""
        self._student_form(None)

    def action_add_parent(self) -> None:
        """Add a parent of the selected student."""
        self._parent_form(None)

    # --- forms -----------------------------------------------------------------------------

    def _student_form(self, card: StudentCard | None, texts: dict[str, str] | None = None) -> None:
        roster = self.roster
        if roster is None:
            return
        names = dict(roster.subgroups)
        allowed = student_fields(self.session) if card is not None else None
        fields = student_form_fields(names, allowed)
        by_name = {name: sid for sid, name in roster.subgroups}
        values = texts or student_form(card, names)
        title = f"Обучающийся: {card.full_name}" if card else f"Новый обучающийся группы {roster.group.name}"

        def check(form: dict[str, str], _children: tuple[int, ...]) -> tuple[dict[str, str], StudentData]:
            return form, check_student(form, {"": None, **by_name})

        def done(result: tuple[dict[str, str], StudentData] | None) -> None:
            if result is not None:
                self._save_student(card, *result)

        self.app.push_screen(PersonFormScreen(title, fields, values, check), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save_student(self, card: StudentCard | None, texts: dict[str, str], data: StudentData) -> None:
        assert self.group is not None
        try:
            person_id = save_student(self.session, self.group, data,
                                     card.person_id if card else None)
        except EJournalError as exc:
            self.app.call_from_thread(self._refused, exc, lambda: self._student_form(card, texts))
            return
        self.app.call_from_thread(self.notify, "Данные обучающегося сохранены.")
        self._load(self.group, person_id)

    def _parent_form(self, card: ParentCard | None, texts: dict[str, str] | None = None,
                     chosen: tuple[int, ...] | None = None) -> None:
        roster, student = self.roster, self.current_student
        if roster is None or (card is None and student is None):
            return
        allowed = parent_fields(self.session, card is None)
        children = tuple((s.full_name, str(s.person_id)) for s in roster.students)
        fields = parent_form_fields(children, allowed)
        start = chosen if chosen is not None else (
            card.data.children if card else (student.person_id,) if student else ())
        whose = student.full_name if student else ""
        title = f"Родитель: {card.full_name}" if card else f"Новый родитель. Ребёнок: {whose}"

        def check(form: dict[str, str], ticked: tuple[int, ...]) -> ParentResult:
            return form, ticked, check_parent(form, ticked)

        def done(result: ParentResult | None) -> None:
            if result is not None:
                self._save_parent(card, *result)

        self.app.push_screen(PersonFormScreen(title, fields, texts or parent_form(card), check,
                                              chosen=start), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save_parent(self, card: ParentCard | None, texts: dict[str, str],
                     ticked: tuple[int, ...], data: ParentData) -> None:
        assert self.group is not None
        try:
            save_parent(self.session, self.group, data, card.person_id if card else None)
        except EJournalError as exc:
            self.app.call_from_thread(self._refused, exc,
                                      lambda: self._parent_form(card, texts, ticked))
            return
        self.app.call_from_thread(self.notify, "Данные родителя сохранены.")
        student = self.current_student
        self._load(self.group, student.person_id if student else None)

    def _refused(self, error: EJournalError, reopen: Callable[[], None]) -> None:
        """The database refused: say why, then give the form back with what was typed."""
        self.app.push_screen(_error_screen(error), lambda _r: reopen())

    # --- accounts --------------------------------------------------------------------------

    def action_issue_account(self) -> None:
        """Give the selected student or parent a login and a one-time password."""
        from tui.dialogs.confirm import ConfirmScreen

        roster = self.roster
        person = self.current_parent if self.in_parents else self.current_student
        if roster is None or person is None:
            return
        holder = account_holder(roster, person.person_id)
        if holder.login:
            question = (f"У человека «{holder.full_name}» уже есть вход (логин {holder.login}). "
                        "Выдать новый одноразовый пароль? Старый пароль перестанет действовать.")
        else:
            question = (f"Выдать учётную запись: {holder.full_name}? Будут созданы логин и "
                        "одноразовый пароль; пароль будет показан один раз.")
        def answered(yes: bool | None) -> None:
            if yes:
                self._issue(holder)

        self.app.push_screen(ConfirmScreen("Выдача входа", question, yes="Выдать", no="Отмена"),
                             answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="account")
    def _issue(self, holder: AccountHolder) -> None:
        issued = issue_account(self.session, holder)
        self.app.call_from_thread(self._issued, issued)

    def _issued(self, issued: IssuedAccount) -> None:
        from tui.screens.curator.account_issued import AccountIssuedScreen

        self.last_issued = issued
        self.app.push_screen(AccountIssuedScreen(self.session, issued), lambda _r: self._forget())
        self.action_reload()

    def _forget(self) -> None:
        self.last_issued = None

    def action_issue_group(self) -> None:
        """Give an account to everyone of the group who has none (one PDF of slips)."""
        from core.people.group_accounts import without_account
        from tui.screens.curator.group_accounts import GroupAccountsScreen

        if self.roster is not None:
            self.app.push_screen(GroupAccountsScreen(self.session, self.roster.group,
                                                     without_account(self.roster)),
                                 lambda _r: self.action_reload())

    def action_parents_report(self) -> None:
        """The parents' reports of this group (R20): Enter — the student, F10 — everyone."""
        from tui.screens.reports.screen import ReportsScreen

        student = self.current_student
        self.app.push_screen(ReportsScreen(self.session, start="parents", group=(
            self.group.name if self.group else ""), student=student.full_name if student else ""))

    def action_back(self) -> None:
        """Back to the menu."""
        self.app.pop_screen()


def _date(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _error_screen(error: EJournalError) -> ErrorScreen:
    return ErrorScreen(error.title, error.message)
