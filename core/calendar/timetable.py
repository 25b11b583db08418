"""The timetable (R12): weekly slots with числитель/знаменатель weeks, one-off changes of one
date, and substitutions planned by the office (R17).

A slot is weekday × пара × parity for a teaching load. A one-off change cancels a lesson of
one date or adds one (a move is both). A substitution names who replaces the load's teacher
at one date and пара: the substitute then finds that lesson in their journal picker and
creates and fills it under their own login (the database allows exactly that lesson:
``journal.my_substitution_keys``); a lesson already generated and not yet held is handed to
the substitute at once. The lesson's ``taught_by`` and its history say who taught.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from core.calendar.lessons import Parity
from core.calendar.year import WEEKDAYS, rows, run
from kernel.errors import ValidationError

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class Slot:
    """A line of a group's timetable."""

    slot_id: int
    load_id: int
    weekday: int
    pair_no: int
    parity: Parity
    room: str
    discipline: str
    teacher: str
    subgroup: str

    @property
    def text(self) -> str:
        """``пн, 2 пара (числитель): Математика — Иванов И., ауд. 214``."""
        parity = "" if self.parity is Parity.ALL else f" ({self.parity.label})"
        sub = f" [{self.subgroup}]" if self.subgroup else ""
        room = f", ауд. {self.room}" if self.room else ""
        return (f"{WEEKDAYS[self.weekday]}, {self.pair_no} пара{parity}: {self.discipline}{sub} — "
                f"{self.teacher}{room}")


@dataclass(frozen=True)
class LoadChoice:
    """A load of a group to put into the timetable."""

    load_id: int
    text: str
    teacher_id: int


@dataclass(frozen=True)
class Substitution:
    """Who replaces whom at one lesson."""

    substitution_id: int
    load_id: int
    on_date: date
    pair_no: int
    group: str
    discipline: str
    absent: str
    substitute: str

    @property
    def text(self) -> str:
        """``14.09.2026, 2 пара: ИС-25-1 Математика — Петров П. вместо Иванова И.``."""
        return (f"{self.on_date:%d.%m.%Y}, {self.pair_no} пара: {self.group} {self.discipline} — "
                f"{self.substitute} вместо {self.absent}")


def parse_parity(text: str) -> Parity:
    """``числитель``/``ч``/``odd``, ``знаменатель``/``з``/``even``, else every week."""
    key = text.strip().lower()
    if key in ("числитель", "ч", "odd", "нечётная", "нечетная"):
        return Parity.ODD
    if key in ("знаменатель", "з", "even", "чётная", "четная"):
        return Parity.EVEN
    if key in ("", "все", "всегда", "каждую неделю", "all", "к"):
        return Parity.ALL
    raise ValidationError(f"Неделя «{text}»: пишите «числитель», «знаменатель» или оставьте пустым.",
                          field="parity")


def group_loads(conn: psycopg.Connection, group_id: int, period_id: int) -> list[LoadChoice]:
    """The group's loads of the period, for choosing a slot's discipline."""
    return [LoadChoice(i, t, who) for i, t, who in rows(conn, """
        SELECT t.id, d.title || coalesce(' [' || sg.name || ']', '') || ' — '
                     || p.surname || ' ' || left(p.name, 1) || '.', t.teacher_id
          FROM journal.teaching_load t JOIN journal.discipline d ON d.id = t.discipline_id
          JOIN journal.person p ON p.id = t.teacher_id
          LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
         WHERE t.group_id = %s AND t.period_id = %s ORDER BY d.title, sg.name""",
        (group_id, period_id))]


def group_slots(conn: psycopg.Connection, group_id: int, period_id: int) -> list[Slot]:
    """The group's timetable in the period, by weekday and пара."""
    return [Slot(i, load, wd, pn, Parity(par), room, disc, who, sub) for
            i, load, wd, pn, par, room, disc, who, sub in rows(conn, """
        SELECT s.id, s.load_id, s.weekday, s.pair_no, s.week_parity, s.room, d.title,
               p.surname || ' ' || left(p.name, 1) || '.', coalesce(sg.name, '')
          FROM journal.timetable_slot s JOIN journal.teaching_load t ON t.id = s.load_id
          JOIN journal.discipline d ON d.id = t.discipline_id
          JOIN journal.person p ON p.id = t.teacher_id
          LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
         WHERE t.group_id = %s AND t.period_id = %s
         ORDER BY s.weekday, s.pair_no, s.week_parity, d.title""", (group_id, period_id))]


def add_slot(conn: psycopg.Connection, load_id: int, weekday: int, pair_no: int,
             parity: Parity = Parity.ALL, room: str = "") -> int:
    """Put a load into the timetable; returns the slot's id."""
    if not 1 <= weekday <= 6:
        raise ValidationError("День недели — от 1 (пн) до 6 (сб).", field="weekday")
    if not 1 <= pair_no <= 8:
        raise ValidationError("Номер пары — от 1 до 8.", field="pair_no")
    found = run(conn, """INSERT INTO journal.timetable_slot (load_id, weekday, pair_no, week_parity, room)
                         VALUES (%s, %s, %s, %s, %s) RETURNING id""",
                (load_id, weekday, pair_no, parity.value, room.strip()))
    return int(found[0][0])


def delete_slot(conn: psycopg.Connection, slot_id: int) -> None:
    """Take a slot out of the timetable (lessons already in the journal stay)."""
    run(conn, "DELETE FROM journal.timetable_slot WHERE id = %s", (slot_id,))


def add_change(conn: psycopg.Connection, load_id: int, on_date: date, pair_no: int, kind: str,
               room: str = "", note: str = "") -> int:
    """A one-off change: ``cancel`` the load's lesson of that date and пара, or ``add`` one."""
    if kind not in ("cancel", "add"):
        raise ValidationError("Изменение — «отмена» или «добавление».", field="kind")
    found = run(conn, """INSERT INTO journal.timetable_change (load_id, on_date, pair_no, kind, room, note)
                         VALUES (%s, %s, %s, %s, %s, %s) RETURNING id""",
                (load_id, on_date, pair_no, kind, room, note))
    return int(found[0][0])


def move_lesson(conn: psycopg.Connection, load_id: int, from_date: date, from_pair: int,
                to_date: date, to_pair: int, room: str = "") -> None:
    """Move one lesson: cancelled at the old date and пара, added at the new one."""
    add_change(conn, load_id, from_date, from_pair, "cancel", note="перенос")
    add_change(conn, load_id, to_date, to_pair, "add", room, note="перенос")


def plan_substitution(conn: psycopg.Connection, load_id: int, on_date: date, pair_no: int,
                      substitute_id: int, reason: str = "") -> int:
    """Plan who replaces the load's teacher at one lesson; returns the substitution's id.

    A lesson of that date and пара already in the journal and not yet held (no marks, no
    attendance) passes to the substitute at once (recorded in its history); a held one keeps
    who taught it.
    """
    import psycopg

    from db.connect import transaction
    from db.errors import translate

    try:
        with transaction(conn, reason):
            found = conn.execute(
                """INSERT INTO journal.substitution (load_id, on_date, pair_no, substitute_id,
                                                    absent_id, reason)
                   SELECT t.id, %s, %s, %s, t.teacher_id, %s FROM journal.teaching_load t
                    WHERE t.id = %s
                   ON CONFLICT (load_id, on_date, pair_no) DO UPDATE
                      SET substitute_id = EXCLUDED.substitute_id, reason = EXCLUDED.reason
                   RETURNING id""",
                (on_date, pair_no, substitute_id, reason, load_id)).fetchone()
            if found is None:
                raise ValidationError("Нагрузка не найдена.")
            conn.execute("""UPDATE journal.lesson SET taught_by = %s
                             WHERE load_id = %s AND lesson_date = %s AND pair_no = %s
                               AND NOT EXISTS (SELECT FROM journal.mark m
                                                WHERE m.lesson_id = journal.lesson.id)
                               AND NOT EXISTS (SELECT FROM journal.attendance a
                                                WHERE a.lesson_id = journal.lesson.id)""",
                         (substitute_id, load_id, on_date, pair_no))
    except psycopg.Error as exc:
        raise translate(exc) from exc
    return int(found[0])


def list_substitutions(conn: psycopg.Connection, first: date, last: date) -> list[Substitution]:
    """Substitutions planned between two dates."""
    return [Substitution(*r) for r in rows(conn, """
        SELECT x.id, x.load_id, x.on_date, x.pair_no, g.name, d.title,
               a.surname || ' ' || left(a.name, 1) || '.', s.surname || ' ' || left(s.name, 1) || '.'
          FROM journal.substitution x JOIN journal.teaching_load t ON t.id = x.load_id
          JOIN journal.study_group g ON g.id = t.group_id
          JOIN journal.discipline d ON d.id = t.discipline_id
          JOIN journal.person a ON a.id = x.absent_id JOIN journal.person s ON s.id = x.substitute_id
         WHERE x.on_date BETWEEN %s AND %s ORDER BY x.on_date, x.pair_no, g.name""", (first, last))]


def teachers(conn: psycopg.Connection) -> list[tuple[int, str]]:
    """Everyone who may substitute: (id, «Фамилия И. О.»)."""
    return [(int(i), n) for i, n in rows(conn, """
        SELECT p.id, p.surname || ' ' || p.name || ' ' || p.patronymic
          FROM journal.person p JOIN journal.person_role r ON r.person_id = p.id AND r.role = 'teacher'
         ORDER BY p.surname, p.name""")]


def find_teacher(conn: psycopg.Connection, text: str) -> int:
    """The teacher whose surname (or login) is ``text``; a Russian error when none or several."""
    found = rows(conn, """
        SELECT DISTINCT p.id FROM journal.person p
          JOIN journal.person_role r ON r.person_id = p.id AND r.role = 'teacher'
          LEFT JOIN journal.account a ON a.person_id = p.id
         WHERE lower(p.surname) = lower(%s) OR a.login = %s""", (text.strip(), text.strip()))
    if len(found) != 1:
        raise ValidationError(f"Преподаватель «{text}»: {'не найден' if not found else 'найдено несколько'}; "
                              f"укажите логин.", field="substitute")
    return int(found[0][0])


def find_load(conn: psycopg.Connection, group: str, discipline: str, day: date,
              subgroup: str = "") -> int:
    """The load of a group and discipline (and subgroup) in the period holding ``day``."""
    found = rows(conn, """
        SELECT t.id FROM journal.teaching_load t
          JOIN journal.study_group g ON g.id = t.group_id
          JOIN journal.discipline d ON d.id = t.discipline_id
          JOIN journal.period p ON p.id = t.period_id
          LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
         WHERE upper(g.name) = upper(%s) AND (lower(d.title) = lower(%s) OR lower(d.short_title) = lower(%s))
           AND %s BETWEEN p.starts_on AND p.ends_on AND coalesce(sg.name, '') = %s""",
        (group.strip(), discipline.strip(), discipline.strip(), day, subgroup.strip()))
    if len(found) != 1:
        raise ValidationError(f"Нагрузки «{group} · {discipline}» на {day:%d.%m.%Y} "
                              f"{'нет' if not found else 'несколько: укажите подгруппу'}.")
    return int(found[0][0])
