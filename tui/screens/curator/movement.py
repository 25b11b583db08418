"""Recording a student's movement from the students' screen (F7): academic leave from–to,
return, and — for the office — enrolment, transfer, expulsion, graduation (issue 11).

The form is the students' screen's own :class:`PersonFormScreen`; the note above it lists the
movements recorded so far. The database checks the order of the movements and who may record
them (docs/security.md); a refusal is shown and the form comes back with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from core.people.forms import StudentCard
from kernel import clock
from kernel.errors import EJournalError
from tui.screens.curator.person_form import FormField, PersonFormScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from core.people.forms import GroupInfo
    from core.people.movements import MovementData
    from tui.screens.curator.group_pick import GroupScreen
    from tui.screens.curator.students import StudentsScreen

    _Screen = GroupScreen
    """For the type checker the mixin is the group screen it is mixed into."""
else:
    _Screen = object

NOTE_TAIL = ("Движение записывается по приказу и не исправляется: ошибочное отменяют новым "
             "движением. Отметки до даты движения остаются.")


def movement_fields(kinds: tuple[str, ...], groups: tuple[str, ...]) -> list[FormField]:
    """The fields of the movement form: the kinds the person may record, the groups to
    enrol into or transfer to."""
    return [
        FormField("kind", "Движение", kind="choice", choices=tuple((k, k) for k in kinds)),
        FormField("on_date", "С какого дня", hint="ДД.ММ.ГГГГ"),
        FormField("until_on", "По (ак. отпуск)", hint="ДД.ММ.ГГГГ, можно пусто"),
        FormField("group", "Группа (перевод, зачисление)", kind="choice",
                  choices=(("—", ""), *((g, g) for g in groups))),
        FormField("order_no", "№ приказа", hint="например 125-к от 06.10.2026"),
        FormField("reason", "Основание", hint="по состоянию здоровья, по собственному желанию…"),
    ]


def movement_form(screen: StudentsScreen, card: StudentCard, history: str,
                  texts: dict[str, str] | None = None) -> None:
    """Open the form for ``card`` on the students' screen; on F2 the screen records it."""
    from core.people.movements import check_movement, movement_kinds

    kinds = movement_kinds(screen.session)
    if not kinds:
        screen.notify("Движения записывает учебная часть.", title="Движение", severity="warning")
        return
    groups = {g.name: g.group_id for g in screen.groups}
    assert screen.group is not None
    current = screen.group.group_id
    values = texts or {"kind": kinds[0], "on_date": f"{clock.today():%d.%m.%Y}"}

    def check(form: dict[str, str], _children: tuple[int, ...]
              ) -> tuple[dict[str, str], MovementData]:
        return form, check_movement(form, current, groups)

    def done(result: tuple[dict[str, str], MovementData] | None) -> None:
        if result is not None:
            screen.record_movement(card, *result)

    note = f"{history}\n{NOTE_TAIL}"
    screen.app.push_screen(PersonFormScreen(f"Движение: {card.full_name}",
                                            movement_fields(kinds, tuple(groups)), values, check,
                                            note=note), done)


class MovementKeys(_Screen):
    """F7 «Движение» of the students' screen (mixed into :class:`StudentsScreen`)."""

    if TYPE_CHECKING:
        def _refused(self, error: EJournalError, reopen: Callable[[], None]) -> None: ...

        def _load(self, group: GroupInfo, select: int | None = None) -> object: ...

    @property
    def current_student(self) -> StudentCard | None:
        """The selected student (the screen's own property)."""
        raise NotImplementedError

    def action_movement(self) -> None:
        """Record a movement of the selected student (leave, return; the office: all kinds)."""
        if self.current_student is not None:
            self._movement_form(self.current_student)

    @work(thread=True, exclusive=True, exit_on_error=False, group="movement")
    def _movement_form(self, card: StudentCard, texts: dict[str, str] | None = None) -> None:
        from core.people.movements import history_text, read_movements

        history = history_text(read_movements(self.session, card.person_id))
        self.app.call_from_thread(movement_form, self, card, history, texts)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def record_movement(self, card: StudentCard, texts: dict[str, str],
                        data: MovementData) -> None:
        """Record the movement typed into the form (the database checks it)."""
        from core.people.movements import record_movement

        assert self.group is not None
        try:
            record_movement(self.session, card.person_id, data)
        except EJournalError as exc:
            self.app.call_from_thread(self._refused, exc, lambda: self._movement_form(card, texts))
            return
        self.app.call_from_thread(self.notify, f"Записано: {data.kind} с {data.on_date:%d.%m.%Y}.")
        self._load(self.group, card.person_id)
