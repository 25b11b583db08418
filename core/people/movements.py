"""A student's movements (issue 11): enrolment, academic leave from–to, return, transfer,
expulsion, graduation — each dated, with the order number and the reason.

The history is ``journal.student_movement`` (migration 0030): append-only, stamped by the
database with who recorded it and when; a wrong movement is corrected by a new one. Who may
record what is the database's decision (docs/security.md, «Движение контингента»): the
office and the admin every kind, a group's curator the academic leave and the return of
their students. :func:`movement_kinds` only says which kinds to offer.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.people.study import KINDS, Movement
from core.people.validation import Checker, parse_date
from core.session import UserSession

CURATOR_KINDS = ("академический отпуск", "выход из отпуска")
"""What a curator records for their group's students (regulation 3.3)."""
GROUP_KINDS = ("зачисление", "перевод")
"""Kinds that name a group: the one the student is enrolled or transferred into."""

READ = """
SELECT m.id, m.kind, m.on_date, m.group_id, m.until_on, m.order_no, m.reason, m.recorded_by
  FROM journal.student_movement m
 WHERE m.student_id = %(student)s
 ORDER BY m.on_date, m.id
"""

INSERT = """
INSERT INTO journal.student_movement (student_id, kind, on_date, until_on, group_id, order_no, reason)
VALUES (%(student)s, %(kind)s, %(on_date)s, %(until_on)s, %(group)s, %(order_no)s, %(reason)s)
"""


MovementData = Movement
"""A movement as typed, checked: what, from when (until when), into which group, why; not
recorded yet, so with no recorder and no id."""


def movement_kinds(session: UserSession) -> tuple[str, ...]:
    """The kinds the person may record (the database has the last word)."""
    if session.person.has("office", "admin"):
        return KINDS
    return CURATOR_KINDS if session.person.has("curator") else ()


def check_movement(form: Mapping[str, str], current_group: int,
                   groups: Mapping[str, int]) -> MovementData:
    """The typed movement, checked field by field.

    Args:
        form: kind, on_date, until_on, group (a name from ``groups``), order_no, reason.
        current_group: The student's group (leave, return, expulsion, graduation keep it).
        groups: Group names → ids for a transfer or an enrolment.

    Raises:
        FormErrors: one Russian message per wrong field.
    """
    c = Checker(form)
    kind = form.get("kind", "")
    if kind not in KINDS:
        c.errors["kind"] = "Выберите вид движения."
    on_date = c.take("on_date", parse_date, "Дата")
    if on_date is None and "on_date" not in c.errors:
        c.errors["on_date"] = "Дата: обязательное поле (с какого дня)."
    until_on = c.take("until_on", parse_date, "По")
    if until_on is not None and kind != "академический отпуск":
        c.errors["until_on"] = "«По» указывается только для академического отпуска."
    elif until_on is not None and on_date is not None and until_on < on_date:
        c.errors["until_on"] = "Отпуск не может кончиться раньше, чем начался."
    group = current_group
    if kind in GROUP_KINDS:
        name = form.get("group", "").strip()
        if name not in groups:
            c.errors["group"] = "Выберите группу, в которую зачисляют или переводят."
        else:
            group = groups[name]
    order_no = " ".join(form.get("order_no", "").split())
    if kind and kind not in CURATOR_KINDS and not order_no:
        c.errors["order_no"] = "Номер приказа обязателен для этого движения."
    c.done()
    assert on_date is not None
    return MovementData(kind, on_date, group, until_on, order_no, " ".join(form.get("reason", "").split()))


def read_movements(session: UserSession, student_id: int) -> list[Movement]:
    """The student's movements, oldest first (those the person may read)."""
    with session.cursor() as cur:
        rows = cur.execute(READ, {"student": student_id}).fetchall()
    return [Movement(kind, on_date, group, until_on, order_no, reason, who, mid)
            for mid, kind, on_date, group, until_on, order_no, reason, who in rows]


def record_movement(session: UserSession, student_id: int, data: MovementData) -> None:
    """Record one movement; the student's status and group follow it (a database trigger).

    Raises:
        ValidationError: the database refused it (out of order, not studying, …).
        AccessDenied: the person may not record this movement for this student.
    """
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    args = {"student": student_id, "kind": data.kind, "on_date": data.on_date,
            "until_on": data.until_on, "group": data.group_id, "order_no": data.order_no,
            "reason": data.reason}
    try:
        with session.cursor() as cur, transaction(cur.connection, data.reason or data.kind):
            cur.execute(INSERT, args)
    except psycopg.errors.InsufficientPrivilege as exc:
        from kernel.errors import AccessDenied

        raise AccessDenied(f"Записать «{data.kind}» может учебная часть"
                           + (" или куратор группы." if data.kind in CURATOR_KINDS else ".")) from exc
    except psycopg.Error as exc:
        raise translate(exc) from exc


def history_text(movements: list[Movement]) -> str:
    """The movements as lines for the card: «01.09.2024 зачисление · приказ 5-к · кто»."""
    if not movements:
        return "Движений нет."
    lines = []
    for m in movements:
        extra = " · ".join(x for x in (f"приказ {m.order_no}" if m.order_no else "", m.reason,
                                       m.recorded_by) if x)
        until = f" по {m.until_on:%d.%m.%Y}" if m.until_on else ""
        lines.append(f"{m.on_date:%d.%m.%Y}{until} {m.kind}" + (f" · {extra}" if extra else ""))
    return "\n".join(lines)

