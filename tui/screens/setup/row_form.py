"""One row of a catalogue list, added or changed in a form, with the import's own checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from core.catalogue.spec import CatalogueList
from tui.screens.base import ShowsWorkerErrors, TabMovesAtOnce

if TYPE_CHECKING:
    from core.session import UserSession


class RowFormScreen(TabMovesAtOnce, ShowsWorkerErrors, ModalScreen[str | None]):
    """The fields of one row; dismisses with what was saved (or None)."""

    HELP: ClassVar[str] = """\
# Строка справочника

Добавление или исправление одной строки справочника (R12 — настройка года). Значения
проверяются так же, как при загрузке из файла: даты — ДД.ММ.ГГГГ, группы и дисциплины —
из справочников. Строка находится по своему ключу (например, номеру зачётной книжки или
названию группы): если изменить ключ, появится новая строка. Исправление записывается в
историю. Обязательные поля отмечены «*».

| клавиша | что делает |
|---|---|
| `Tab`, `Shift+Tab` | следующее, предыдущее поле |
| `F9` или `Enter` в последнем поле | сохранить |
| `Esc` | закрыть, не сохраняя |
"""
    CSS_PATH = "setup.tcss"
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "cancel", "Отмена"),
        Binding("f9", "save", "Сохранить"),
    ]

    def __init__(self, session: UserSession, spec: CatalogueList,
                 values: dict[str, object] | None) -> None:
        super().__init__()
        self.session, self.spec, self.values = session, spec, values or {}
        self.is_new = values is None

    def compose(self) -> ComposeResult:
        title = "Новая строка" if self.is_new else "Изменить строку"
        with VerticalScroll(classes="dialog", id="row-form"):
            yield Label(f"{title}: {self.spec.title}", classes="dialog-title")
            for column in self.spec.columns:
                yield Label(column.header + (" *" if column.required else ""))
                value = self.values.get(column.field)
                yield Input(value="" if value is None else str(value), id=f"f-{column.field}")
            yield Static("F9 — сохранить · Esc — отмена", id="row-form-status")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input is self.query(Input).last():
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        """Check and save the row."""
        values = {c.field: self.query_one(f"#f-{c.field}", Input).value.strip() or None
                  for c in self.spec.columns}
        self.query_one("#row-form-status", Static).update("Сохранение…")
        self._save(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, values: dict[str, object]) -> None:
        from core.catalogue.service import save_row

        try:
            result = save_row(self.session, self.spec, values)
        except Exception as exc:
            self.app.call_from_thread(self.query_one("#row-form-status", Static).update,
                                      f"[b]{getattr(exc, 'message', exc)}[/]")
            raise
        text = "Добавлено." if result.inserted else ("Сохранено." if result.updated
                                                    else "Ничего не изменилось.")
        self.app.call_from_thread(self.dismiss, text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
