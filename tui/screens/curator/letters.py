"""The weekly letter from the students' screen (issue 16.2, R20): F11 — the selected parent's
consent to the letter (asked, then recorded with the curator's name and the time), F12 — this
week's letters to the group's consenting parents now, through a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work

from core.mail.consent import consent_of, send_group_letters, set_consent
from core.mail.run import SendReport
from kernel.errors import EJournalError

if TYPE_CHECKING:
    from tui.screens.curator.group_pick import GroupScreen
    from tui.screens.curator.students import StudentsScreen

    _Screen = GroupScreen
    """For the type checker the mixin is the group screen it is mixed into."""
else:
    _Screen = object

STATES = {None: "согласие не спрашивали", True: "согласен(на) получать письма",
          False: "отказался(ась) от писем"}


class LetterKeys(_Screen):
    """F11 (consent of the parent under the cursor) and F12 (letters to the group now)."""

    def action_consent(self) -> None:
        """Ask whether the selected parent agrees to the weekly letter, and record the answer."""
        screen = cast("StudentsScreen", self)
        parent = screen.current_parent if screen.in_parents else None
        if parent is None:
            self.notify("Выберите родителя в нижней таблице (Tab).", title="Письма родителям")
            return
        self._ask_consent(parent.person_id, parent.full_name, bool(parent.data.email))

    @work(thread=True, exclusive=True, exit_on_error=False, group="letters")
    def _ask_consent(self, parent_id: int, name: str, has_email: bool) -> None:
        state = consent_of(self.session, parent_id)
        self.app.call_from_thread(self._consent_dialog, parent_id, name, has_email, state)

    def _consent_dialog(self, parent_id: int, name: str, has_email: bool, state: bool | None) -> None:
        from tui.dialogs.confirm import ConfirmScreen

        agree = state is not True
        question = (f"{name}: сейчас — {STATES[state]}. "
                    + ("Записать согласие на еженедельные письма (оценки, пропуски, задания)?"
                       if agree else "Записать отказ от писем?")
                    + ("" if has_email else " Адреса e-mail у родителя нет: укажите его (F2)."))

        def answered(yes: bool | None) -> None:
            if yes:
                self._write_consent(parent_id, agree)

        self.app.push_screen(ConfirmScreen("Письма родителям", question,
                                           yes="Согласен" if agree else "Отказ", no="Отмена"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letters")
    def _write_consent(self, parent_id: int, agreed: bool) -> None:
        reason = "согласие родителя на письма" if agreed else "отказ родителя от писем"
        set_consent(self.session, parent_id, agreed, reason)
        self.app.call_from_thread(self.notify, "Согласие записано." if agreed else "Отказ записан.",
                                  title="Письма родителям")

    def action_send_letters(self) -> None:
        """Send this week's letters to the group's consenting parents now (after a question)."""
        from tui.dialogs.confirm import ConfirmScreen

        group = self.group
        if group is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._send(group.name)

        self.app.push_screen(ConfirmScreen(
            "Письма родителям", f"Отправить письма за эту неделю родителям группы {group.name}, "
            "давшим согласие? Кому письмо за неделю уже ушло, второй раз оно не уйдёт.",
            yes="Отправить", no="Отмена"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letters")
    def _send(self, group: str) -> None:
        self.app.call_from_thread(self.notify, "Письма отправляются…", title="Письма родителям")
        try:
            report = send_group_letters(self.session, group)
        except EJournalError as exc:
            self.app.call_from_thread(self.notify, exc.message, title=exc.title, severity="error",
                                      timeout=15, markup=False)
            return
        self.app.call_from_thread(self._sent, report)

    def _sent(self, report: SendReport) -> None:
        failed = "; ".join(f"{who}: {why}" for who, why in report.failed[:3])
        self.notify(report.summary() + (f" {failed}" if failed else ""), title="Письма родителям",
                    severity="error" if report.failed else "information", timeout=15, markup=False)
