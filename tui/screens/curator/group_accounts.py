"""Accounts for everyone of a group who has none, in one step, with one PDF of slips.

The dialog lists who will get an account, asks once, issues them (the database decides whom
the person may serve and says why not), writes one PDF of slips (0600) to the folder typed and
says where it is. The one-time passwords are in the PDF only: the dialog never shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from core.people.forms import GroupInfo
from core.people.group_accounts import GroupIssue, group_slips_path, issuable, issue_group, summary
from core.people.roster import AccountHolder, credential_slips
from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.screens.curator.account_issued import DEFAULT_FOLDER

ROLE_PLURAL = {"student": "обучающиеся", "parent": "родители"}


class GroupAccountsScreen(ShowsWorkerErrors, ModalScreen[GroupIssue | None]):
    """Issue the accounts of a whole group at once; dismissed with what was done.

    Args:
        session: The logged-in session.
        group: The group.
        holders: Who has no account yet (:func:`core.people.group_accounts.without_account`).
        folder: The folder offered for the PDF of slips.
    """

    HELP: ClassVar[str] = """\
# Выдать вход всей группе

Выдаёт учётные записи **всем обучающимся и родителям группы, у кого их ещё нет**, одним
действием (R13: учётные записи выдаёт куратор своей группе, учебная часть и заведующий).
Каждому создаются логин и одноразовый пароль; при первом входе программа потребует сменить
пароль. Все листки с логинами и паролями записываются в **один файл PDF**, который может
прочитать только ваша учётная запись компьютера (права 0600). Пароли на экран не выводятся.

Если база данных отказала кому-то (например, родителю, у которого есть ребёнок в другой
группе, — такую запись выдаёт учебная часть), он указан в итоге с причиной.
Повторный запуск ничего не выдаёт тем, у кого вход уже есть.

## Клавиши
- **Enter** или **F2** — выдать и записать PDF;
- **Esc** — закрыть (до выдачи — ничего не меняя).
"""

    CSS_PATH = "group_accounts.tcss"
    BINDINGS = [
        Binding("f2", "issue", "Выдать всем"),
        Binding("escape", "close", "Закрыть"),
    ]

    def __init__(self, session: UserSession, group: GroupInfo, holders: list[AccountHolder],
                 folder: str = DEFAULT_FOLDER) -> None:
        super().__init__()
        self.session = session
        self.group = group
        self.holders = holders
        self.folder = folder
        self.result: GroupIssue | None = None
        self.slips: Path | None = None
        self.others: list[AccountHolder] = []
        """Who has no account but is not the person's to serve (the database's rule)."""
        self.checked = False
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Выдать вход всей группе {self.group.name}", classes="dialog-title")
            with VerticalScroll(id="ga-who-box"):
                yield Static(self._who(), id="ga-who")
            yield Label("Папка для листков (PDF):")
            yield Input(value=self.folder, id="ga-folder")
            with VerticalScroll(id="ga-result-box"):
                yield Static("", id="ga-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Выдать всем (Enter)", id="issue", variant="primary")
                yield Button("Закрыть (Esc)", id="close")

    def _who(self) -> str:
        if not self.checked:
            return "Проверяю, кому вы можете выдать вход…"
        others = ""
        if self.others:
            others = ("\n[b]Выдаёт учебная часть или заведующий[/b] (например, родитель с ребёнком "
                      "в другой группе): " + ", ".join(h.full_name for h in self.others))
        if not self.holders and self.others:
            return "Выдавать некому: у остальных обучающихся и родителей группы вход уже есть." + others
        if not self.holders:
            return "Выдавать некому: у всех обучающихся и родителей группы вход уже есть."
        lines = []
        for role, title in ROLE_PLURAL.items():
            names = [h.full_name for h in self.holders if h.role == role]
            if names:
                lines.append(f"[b]{title.capitalize()} ({len(names)}):[/b] " + ", ".join(names))
        return (f"Будут выданы учётные записи ({len(self.holders)}) — у этих людей входа ещё "
                "нет:\n" + "\n".join(lines) +
                "\nКаждый сменит пароль при первом входе. Листки — в одном PDF." + others)

    def on_mount(self) -> None:
        self.query_one("#issue", Button).disabled = True
        self.query_one("#close", Button).focus()
        self._check()

    @work(thread=True, exclusive=True, exit_on_error=False, group="check")
    def _check(self) -> None:
        mine, others = issuable(self.session, self.holders)
        self.app.call_from_thread(self._checked, mine, others)

    def _checked(self, mine: list[AccountHolder], others: list[AccountHolder]) -> None:
        self.holders, self.others, self.checked = mine, others, True
        self.query_one("#ga-who", Static).update(self._who())
        issue = self.query_one("#issue", Button)
        issue.disabled = not mine
        if mine:
            issue.focus()
        self.refresh_bindings()

    @on(Button.Pressed, "#issue")
    def _issue_pressed(self) -> None:
        self.action_issue()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()

    @on(Input.Submitted, "#ga-folder")
    def _folder_submitted(self) -> None:
        self.action_issue()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "issue":
            return self.checked and bool(self.holders) and self.result is None and not self.busy
        return True

    def action_issue(self) -> None:
        """Issue every account listed and write the slips."""
        if not self.checked or not self.holders or self.result is not None or self.busy:
            return
        self.busy = True
        self.query_one("#issue", Button).disabled = True
        self.query_one("#ga-result", Static).update("Выдаю учётные записи…")
        self._run(self.query_one("#ga-folder", Input).value.strip() or DEFAULT_FOLDER)

    @work(thread=True, exclusive=True, exit_on_error=False, group="issue")
    def _run(self, folder: str) -> None:
        from printing.slips import save_private_slips

        def progress(done: int, total: int, who: str) -> None:
            self.app.call_from_thread(self._progress, f"Выдаю {done} из {total}: {who}")

        try:
            result = issue_group(self.session, self.group, progress)
            path = None
            if result.issued:
                path = group_slips_path(folder, self.group)
                save_private_slips(credential_slips(self.session, list(result.issued)), path)
        finally:
            self.app.call_from_thread(self._not_busy)
        self.app.call_from_thread(self._done, result, path)

    def _progress(self, text: str) -> None:
        self.query_one("#ga-result", Static).update(text)

    def _not_busy(self) -> None:
        self.busy = False

    def _done(self, result: GroupIssue, path: Path | None) -> None:
        self.result, self.slips = result, path
        text = summary(result)
        if path is not None:
            text += (f"\n[green]Листки записаны:[/] {path}\n"
                     "Распечатайте их и удалите файл: в нём пароли.")
        self.query_one("#ga-result", Static).update(text)
        self.query_one("#close", Button).focus()
        self.refresh_bindings()

    def action_close(self) -> None:
        """Close (before issuing: nothing changes)."""
        if not self.busy:
            self.dismiss(self.result)
