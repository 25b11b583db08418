"""One week of a child's journal (issue 11, item 10): every lesson of the week with the
child's attendance, marks, topic and homework; and the legend of every abbreviation shown.

Read on the person's own connection: row-level security gives a parent only their children
and a student only themself, so a week asked for anyone else comes back empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.grading.performance import HOURS_PER_PAIR
from core.journal.lesson_record import homework_text
from core.session import UserSession
from kernel.marks import Attendance, MarkValue

WEEK = """
SELECT l.id, l.load_id, l.lesson_date, l.pair_no, d.title, l.topic, l.hours, a.code,
       l.homework, l.homework_pages, l.homework_tasks, l.homework_practical
  FROM journal.student s
  JOIN journal.lesson l ON l.lesson_date BETWEEN %(from)s AND %(to)s
  JOIN journal.teaching_load t ON t.id = l.load_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.attendance a ON a.lesson_id = l.id AND a.student_id = s.person_id
 WHERE s.person_id = %(student)s
   AND ((t.group_id = s.group_id AND (t.subgroup_id IS NULL OR t.subgroup_id = s.subgroup_id))
        OR a.student_id IS NOT NULL
        OR EXISTS (SELECT FROM journal.mark m WHERE m.lesson_id = l.id
                    AND m.student_id = s.person_id))
 ORDER BY l.lesson_date, l.pair_no, d.title
"""

WEEK_MARKS = """
SELECT m.lesson_id, m.value, wk.short
  FROM journal.mark m JOIN journal.work_kind wk ON wk.code = m.work_kind
 WHERE m.student_id = %(student)s AND m.lesson_id = ANY(%(lessons)s)
 ORDER BY m.id
"""

# Every load the child's lessons may come from (the listener watches them all: a lesson the
# curator creates in an empty week is heard too).
CHILD_LOADS = """
SELECT t.id FROM journal.teaching_load t JOIN journal.student s ON s.person_id = %(student)s
 WHERE t.group_id = s.group_id
UNION
SELECT m.load_id FROM journal.mark m WHERE m.student_id = %(student)s
"""

WORK_KINDS = "SELECT short, title FROM journal.work_kind ORDER BY title"


@dataclass(frozen=True)
class WeekMark:
    """A mark of the week with its kind of work («5 КР»)."""

    value: MarkValue
    kind: str

    @property
    def text(self) -> str:
        """«5 КР», «з Т»."""
        return f"{self.value.short} {self.kind}"


@dataclass(frozen=True)
class WeekLessonEntry:
    """One lesson of the week for the child."""

    lesson_id: int
    load_id: int
    day: date
    pair_no: int
    discipline: str
    topic: str
    hours: int
    attendance: Attendance | None
    marks: tuple[WeekMark, ...]
    homework: str

    @property
    def attendance_text(self) -> str:
        """«НН 2 ч», «НУ 2 ч», «был», or empty when attendance was not taken."""
        if self.attendance is None:
            return ""
        if self.attendance is Attendance.PRESENT:
            return "был"
        return f"{self.attendance.value} {self.hours} ч"


@dataclass(frozen=True)
class Week:
    """The lessons of one week (Monday to Sunday) for one child."""

    student_id: int
    monday: date
    lessons: tuple[WeekLessonEntry, ...]

    @property
    def sunday(self) -> date:
        """The last day of the week."""
        return self.monday + timedelta(days=6)

    def missed(self, code: Attendance) -> int:
        """Hours missed this week with that code."""
        return sum(x.hours for x in self.lessons if x.attendance is code)

    @property
    def mark_count(self) -> int:
        """Marks of the week."""
        return sum(len(x.marks) for x in self.lessons)

    @property
    def load_ids(self) -> set[int]:
        """The loads of the week's lessons (the listener watches them)."""
        return {x.load_id for x in self.lessons}


def monday_of(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def read_week(session: UserSession, student_id: int, monday: date) -> Week:
    """The child's lessons of the week starting ``monday`` (empty for a stranger's child)."""
    args: dict[str, Any] = {"student": student_id, "from": monday, "to": monday + timedelta(days=6)}
    with session.cursor() as cur:
        rows = cur.execute(WEEK, args).fetchall()
        marks = cur.execute(WEEK_MARKS, {**args, "lessons": [r[0] for r in rows]}).fetchall()
    return build_week(student_id, monday, rows, marks)


def child_loads(session: UserSession, student_id: int) -> set[int]:
    """The loads whose lessons the child's weeks show."""
    with session.cursor() as cur:
        return {row[0] for row in cur.execute(CHILD_LOADS, {"student": student_id}).fetchall()}


def build_week(student_id: int, monday: date, rows: Sequence[tuple[Any, ...]],
               marks: Sequence[tuple[Any, ...]]) -> Week:
    """Assemble the week from the rows read (pure)."""
    by_lesson: dict[int, list[WeekMark]] = {}
    for lesson_id, value, kind in marks:
        by_lesson.setdefault(lesson_id, []).append(WeekMark(MarkValue(value), kind))
    lessons = tuple(
        WeekLessonEntry(lid, load_id, day, pair, title, topic or "", hours or HOURS_PER_PAIR,
                        Attendance(code) if code else None, tuple(by_lesson.get(lid, ())),
                        homework_text(*homework))
        for lid, load_id, day, pair, title, topic, hours, code, *homework in rows)
    return Week(student_id, monday, lessons)


def work_kinds(session: UserSession) -> list[tuple[str, str]]:
    """(short, title) of every kind of work, as the journal writes them."""
    with session.cursor() as cur:
        return [(short, title) for short, title in cur.execute(WORK_KINDS).fetchall()]


LEGEND_FIXED = """\
## Отметки
- **5, 4, 3, 2** — отлично, хорошо, удовлетворительно, неудовлетворительно;
- **з** — зачёт, **нз** — незачёт; **неявка** — не пришёл на экзамен или зачёт.

## Посещаемость
- **П**, «был» — присутствовал;
- **НУ** — отсутствовал по **уважительной** причине (болезнь со справкой, заявление);
- **НН** — отсутствовал **без уважительной** причины;
- **ч** — академические часы: одна пара — 2 часа.

## Итоги
- **Ср.** — средний балл текущих отметок за период;
- **Итог** — итоговая отметка за период: по ведомости, если она есть, иначе по среднему баллу
  (округление по правилам колледжа);
- **Итог 3\\*** — звёздочка: отметка взята из ведомости (экзамен, зачёт), а не из среднего;
- **выставлена** — итог зафиксирован при закрытии периода;
- **Ведомость**: экзамен, диф. зачёт (дифференцированный зачёт), курсовая (курсовая работа).

## Прочее
- **Пара** — номер пары в расписании; **Ауд.** — аудитория;
- **ДЗ / Задание** — домашнее задание к следующему занятию по дисциплине.
"""


def legend(kinds: Sequence[tuple[str, str]]) -> str:
    """Every abbreviation the family screens show, in Russian markdown."""
    lines = [f"- **{short}** — {title.lower()}" for short, title in kinds]
    return ("# Условные обозначения\n\n## Виды работ (рядом с отметкой: «5 КР»)\n"
            + "\n".join(lines) + "\n\n" + LEGEND_FIXED)
