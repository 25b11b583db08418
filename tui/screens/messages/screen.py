"""Correspondence (R21): threads with unread counts, reading with read receipts, replies,
new threads, and a curator's message to all parents of the group.

Two views in one screen: reading (threads on the left, the open thread and the reply box on
the right) and writing a new thread (recipient by typed name, subject, text). Ctrl+S sends.
Live like the journal page: a new message, or a member reading one, reaches the open screen
through the journal's change notes (migration 0041), no F5 needed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from core.messages.live import MessageListener
from core.messages.service import (
    Message,
    Recipient,
    Thread,
    ThreadSummary,
    broadcast_to_group,
    curated_groups,
    list_threads,
    read_thread,
    recipients,
    reply,
    start_thread,
)
from core.session import UserSession
from tui.screens.base import EnterMovesOn, ShowsWorkerErrors
from tui.screens.messages import helps
from tui.widgets.keys_footer import KeysFooter


class MessagesScreen(EnterMovesOn, ShowsWorkerErrors, Screen[None]):
    """The person's threads; Enter opens one, Ctrl+S sends the reply."""

    HELP: ClassVar[str] = helps.MESSAGES

    CSS_PATH = "messages.tcss"
    BINDINGS = [
        Binding("escape", "back", "Назад"),
        Binding("ctrl+s", "send", "Отправить"),
        Binding("f6", "compose", "Написать"),
        Binding("f7", "compose_group", "Всем родителям группы"),
        Binding("f5", "reload", "Обновить"),
    ]
    ENTER_MOVES: ClassVar[dict[str, str]] = {"msg-topic": "msg-text"}

    def __init__(self, session: UserSession) -> None:
        super().__init__()
        self.session = session
        self.threads: list[ThreadSummary] = []
        self.thread: Thread | None = None
        self.recipients: list[Recipient] = []
        self.groups: list[tuple[int, str]] = []
        self.chosen: Recipient | tuple[int, str] | None = None
        self.to_group = False
        self.listener: MessageListener | None = None
        """Hears new messages of the person's threads (stopped with the screen)."""

    @property
    def may_write(self) -> bool:
        """Everyone but a person who is only a student writes (the database agrees)."""
        return self.session.person.roles != frozenset({"student"})

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="msg-read"):
            with Horizontal(id="msg-read"):
                with Vertical(id="msg-left"):
                    yield Label("Переписка", classes="msg-heading")
                    yield OptionList(id="msg-threads")
                with Vertical(id="msg-right"):
                    yield Static("Выберите переписку слева и нажмите Enter.", id="msg-subject")
                    with VerticalScroll(id="msg-scroll"):
                        yield Static("", id="msg-body")
                    yield TextArea(id="msg-reply", soft_wrap=True, show_line_numbers=False)
            with Vertical(id="msg-compose"):
                yield Label("", id="msg-to", classes="msg-heading")
                yield Input(placeholder="кому: начните вводить фамилию, Enter — выбрать из списка",
                            id="msg-filter")
                yield OptionList(id="msg-recipients")
                yield Input(placeholder="тема", id="msg-topic", max_length=200)
                yield TextArea(id="msg-text", soft_wrap=True, show_line_numbers=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Сообщения"
        self.query_one("#msg-reply", TextArea).border_title = "Ответ (Ctrl+S — отправить)"
        self.query_one("#msg-text", TextArea).border_title = "Текст сообщения (Ctrl+S — отправить)"
        self.query_one("#msg-reply", TextArea).display = False
        self.query_one("#msg-threads", OptionList).focus()
        self._load_threads()

        self.listener = MessageListener(self.session.new_connection,
                                        lambda: self.app.call_from_thread(self._live),
                                        own_pids=lambda: {self.session.conn.info.backend_pid})
        self.listener.start()

    def on_unmount(self) -> None:
        """Stop listening."""
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()

    def _live(self) -> None:
        """A message came (or was read) in one of the threads: show it."""
        if self.thread is not None and not self.composing:
            self._open(self.thread.thread_id, focus_reply=False)
        else:
            self._load_threads()

    @property
    def composing(self) -> bool:
        """The new-thread view is shown."""
        return self.query_one(ContentSwitcher).current == "msg-compose"

    # --- threads ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="threads")
    def _load_threads(self) -> None:
        threads = list_threads(self.session)
        self.app.call_from_thread(self._show_threads, threads)

    def _show_threads(self, threads: list[ThreadSummary]) -> None:
        self.threads = threads
        options = self.query_one("#msg-threads", OptionList)
        keep = options.highlighted
        options.clear_options()
        for t in threads:
            text = escape(t.label)
            options.add_option(Option(f"[b]{text}[/b]" if t.unread else text, id=str(t.thread_id)))
        if not threads:
            options.add_option(Option("[dim]Переписки пока нет (F6 — написать)[/dim]", disabled=True))
        else:
            options.highlighted = min(keep or 0, len(threads) - 1)
        unread = sum(t.unread for t in threads)
        self.query_one("#msg-left Label", Label).update(
            f"Переписка · непрочитанных: {unread}" if unread else "Переписка")

    @on(OptionList.OptionSelected, "#msg-threads")
    def _thread_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(int(str(event.option.id)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="thread")
    def _open(self, thread_id: int, focus_reply: bool = True) -> None:
        thread = read_thread(self.session, thread_id)
        threads = list_threads(self.session)
        self.app.call_from_thread(self._show_thread, thread, focus_reply)
        self.app.call_from_thread(self._show_threads, threads)

    def _show_thread(self, thread: Thread, focus_reply: bool) -> None:
        self.thread = thread
        about = f" · о: {escape(thread.student_name)}" if thread.student_name else ""
        self.query_one("#msg-subject", Static).update(
            f"[b]{escape(thread.subject)}[/b]{about}\nУчастники: {escape(', '.join(thread.members))}")
        body = "\n\n".join(self._message_text(m) for m in thread.messages)
        self.query_one("#msg-body", Static).update(body)
        self.query_one("#msg-scroll", VerticalScroll).scroll_end(animate=False)
        reply = self.query_one("#msg-reply", TextArea)
        reply.display = self.may_write
        if focus_reply and self.may_write:
            reply.focus()
        self.refresh_bindings()

    @staticmethod
    def _message_text(message: Message) -> str:
        when = f"{message.sent_at:%d.%m.%Y %H:%M}"
        if message.mine:
            receipt = "[green]прочитано[/]" if message.read_by_other else "[dim]не прочитано[/dim]"
            head = f"[b]Вы[/b] · {when} · {receipt}"
        else:
            head = f"[b]{escape(message.author)}[/b] · {when}"
        return f"{head}\n{escape(message.body)}"

    # --- writing ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return self.may_write and (self.composing or self.thread is not None)
        if action == "compose":
            return self.may_write and not self.composing
        if action == "compose_group":
            return not self.composing and self.session.person.has("curator")
        return True

    def action_send(self) -> None:
        """Send the reply, or the new thread."""
        if self.composing:
            self._send_new()
            return
        if self.thread is None:
            return
        body = self.query_one("#msg-reply", TextArea).text
        self._send_reply(self.thread.thread_id, body)

    @work(thread=True, exclusive=True, exit_on_error=False, group="send")
    def _send_reply(self, thread_id: int, body: str) -> None:
        reply(self.session, thread_id, body)
        self.app.call_from_thread(self._replied, thread_id)

    def _replied(self, thread_id: int) -> None:
        self.query_one("#msg-reply", TextArea).clear()
        self._open(thread_id)

    def action_compose(self) -> None:
        """Start a new thread: choose the recipient, write the subject and the text."""
        self._start_compose(to_group=False)

    def action_compose_group(self) -> None:
        """One message to the parents of every student of a group the person curates."""
        self._start_compose(to_group=True)

    def _start_compose(self, to_group: bool) -> None:
        self.to_group, self.chosen = to_group, None
        self.query_one("#msg-to", Label).update(
            "Всем родителям группы: выберите группу" if to_group else "Новое сообщение: выберите адресата")
        for widget in ("#msg-filter", "#msg-topic"):
            self.query_one(widget, Input).value = ""
        self.query_one("#msg-filter", Input).placeholder = (
            "группа: начните вводить название, Enter — выбрать из списка" if to_group
            else "кому: начните вводить фамилию, Enter — выбрать из списка")
        self.query_one("#msg-text", TextArea).clear()
        self.query_one(ContentSwitcher).current = "msg-compose"
        self.query_one("#msg-filter", Input).focus()
        self.refresh_bindings()
        self._load_recipients()

    @work(thread=True, exclusive=True, exit_on_error=False, group="recipients")
    def _load_recipients(self) -> None:
        people = [] if self.to_group else recipients(self.session)
        groups = curated_groups(self.session) if self.to_group else []
        self.app.call_from_thread(self._show_recipients, people, groups)

    def _show_recipients(self, people: list[Recipient], groups: list[tuple[int, str]]) -> None:
        self.recipients, self.groups = people, groups
        self._filter(self.query_one("#msg-filter", Input).value)

    @on(Input.Changed, "#msg-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        options = self.query_one("#msg-recipients", OptionList)
        options.clear_options()
        labels = [name for _gid, name in self.groups] if self.to_group else [r.label for r in self.recipients]
        for index, label in enumerate(labels):
            if all(w in label.lower() for w in words):
                options.add_option(Option(escape(label), id=str(index)))
        if not options.option_count:
            options.add_option(Option("[dim]Никого не найдено[/dim]", disabled=True))

    @on(Input.Submitted, "#msg-filter")
    def _to_recipients(self) -> None:
        options = self.query_one("#msg-recipients", OptionList)
        if options.option_count:
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected, "#msg-recipients")
    def _recipient_chosen(self, event: OptionList.OptionSelected) -> None:
        index = int(str(event.option.id))
        if self.to_group:
            group = self.groups[index]
            self.chosen = group
            label = f"Всем родителям группы {group[1]}"
        else:
            person = self.recipients[index]
            self.chosen = person
            label = f"Кому: {person.label}"
        self.query_one("#msg-to", Label).update(escape(label))
        self.query_one("#msg-topic", Input).focus()

    def _send_new(self) -> None:
        if self.chosen is None:
            self.notify("Сначала выберите адресата из списка (Enter).", title="Сообщение", severity="warning")
            self.query_one("#msg-filter", Input).focus()
            return
        self._create(self.chosen, self.query_one("#msg-topic", Input).value,
                     self.query_one("#msg-text", TextArea).text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="send")
    def _create(self, chosen: Recipient | tuple[int, str], subject: str, body: str) -> None:
        if isinstance(chosen, Recipient):
            thread_id = start_thread(self.session, subject, body, [chosen.person_id], chosen.student_id)
            self.app.call_from_thread(self._created, thread_id, "Сообщение отправлено.")
        else:
            count = broadcast_to_group(self.session, chosen[0], subject, body)
            self.app.call_from_thread(self._created, None, f"Отправлено родителям: {count} переписок.")

    def _created(self, thread_id: int | None, note: str) -> None:
        self.notify(note, title="Сообщения")
        self.query_one(ContentSwitcher).current = "msg-read"
        self.refresh_bindings()
        if thread_id is not None:
            self._open(thread_id, focus_reply=False)
        else:
            self._load_threads()
        self.query_one("#msg-threads", OptionList).focus()

    def action_reload(self) -> None:
        """Read the threads (and the open one) again."""
        if self.thread is not None and not self.composing:
            self._open(self.thread.thread_id, focus_reply=False)
        else:
            self._load_threads()

    def action_back(self) -> None:
        """From the reply box to the threads; leave the new message; leave the screen."""
        if self.focused is self.query_one("#msg-reply"):
            self.query_one("#msg-threads", OptionList).focus()
            return
        if self.composing:
            self.query_one(ContentSwitcher).current = "msg-read"
            self.query_one("#msg-threads", OptionList).focus()
            self.refresh_bindings()
            return
        self.app.pop_screen()
