"""An account just issued: the login and the one-time password, shown this once, and a
credentials slip (PDF) written to a folder the person chooses.

The password lives only in this dialog; closing it forgets it, and nothing can show it again
(a new one-time password can be issued instead).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from core.people.group_accounts import slip_path
from core.people.roster import IssuedAccount, credential_slips
from core.session import UserSession
from tui.screens.base import ShowsWorkerErrors
from tui.screens.curator import helps

DEFAULT_FOLDER = "~/ejournal-print"
ONCE = ("Пароль показан [b]один раз[/]: после закрытия окна его нельзя увидеть снова — только "
        "выдать новый. Сохраните листок для печати или перепишите пароль.")


class AccountIssuedScreen(ShowsWorkerErrors, ModalScreen[None]):
    """Shows the login and one-time password once; F2 writes the slip, Esc closes.

    Args:
        session: The logged-in session (reads the college's name for the slip).
        issued: The account just issued.
        folder: The folder offered for the slip.
    """

    HELP: ClassVar[str] = helps.ACCOUNT_ISSUED

    CSS_PATH = "account_issued.tcss"
    BINDINGS = [
        Binding("f2", "save_slip", "Сохранить листок PDF"),
        Binding("escape", "close", "Закрыть"),
    ]

    def __init__(self, session: UserSession, issued: IssuedAccount, folder: str = DEFAULT_FOLDER) -> None:
        super().__init__()
        self.session = session
        self.issued: IssuedAccount | None = issued
        self.folder = folder
        self.saved: Path | None = None

    def compose(self) -> ComposeResult:
        issued = self.issued
        assert issued is not None
        heading = "Учётная запись выдана" if issued.new else "Выдан новый одноразовый пароль"
        with Vertical(classes="dialog"):
            yield Label(heading, classes="dialog-title")
            yield Static(" · ".join(x for x in (issued.person, issued.role, issued.note) if x))
            yield Static(f"Логин: [b]{issued.login}[/]", id="issued-login", classes="secret")
            yield Static(f"Одноразовый пароль: [b]{issued.password}[/]", id="issued-password",
                         classes="secret")
            yield Static(ONCE, classes="dialog-hint")
            yield Static("При первом входе программа попросит сменить пароль.", classes="dialog-hint")
            yield Label("Папка для листка (PDF):")
            yield Input(value=self.folder, id="issued-folder")
            yield Static("", id="issued-saved")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Сохранить листок PDF (F2)", id="save", variant="primary")
                yield Button("Закрыть (Esc)", id="close")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save_slip()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()

    @on(Input.Submitted, "#issued-folder")
    def _folder_submitted(self) -> None:
        self.action_save_slip()

    def action_save_slip(self) -> None:
        """Write the credentials slip to the folder typed."""
        if self.issued is not None:
            self._write_slip(self.issued, self.query_one("#issued-folder", Input).value.strip()
                             or DEFAULT_FOLDER)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write_slip(self, issued: IssuedAccount, folder: str) -> None:
        from kernel.errors import EJournalError
        from kernel.paths import create_private, private_dir
        from printing.slips import render_slips

        path = slip_path(folder, issued.login)
        try:
            private_dir(path.parent)
            create_private(path)  # the slip holds a password: its owner's only, from the start
        except OSError as exc:
            raise EJournalError(f"Файл «{path}» не удалось создать: {exc.strerror}.",
                                title="Листок не сохранён") from exc
        render_slips(credential_slips(self.session, [issued]), path)
        self.app.call_from_thread(self._saved, path)

    def _saved(self, path: Path) -> None:
        self.saved = path
        self.query_one("#issued-saved", Static).update(
            f"[green]Листок сохранён:[/] {path}\nРаспечатайте его и удалите файл: в нём пароль.")

    def action_close(self) -> None:
        """Close and forget the password."""
        self.issued = None
        self.query_one("#issued-password", Static).update("")
        self.dismiss(None)
