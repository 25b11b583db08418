"""The journal of a group as the paper journal (R1, R22), landscape A4.

A cover with the list of disciplines, then per discipline: the attendance-and-marks grid of
each month (students × lesson dates; a month with many lessons continues on the next grid),
the final marks in the last grid, and the list of lessons held.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from core.printouts.form_journal import DisciplineJournal, GroupJournal, JournalLesson
from core.printouts.forms import short_final
from printing.fonts import BOLD
from printing.layout import STRIPE, PageSetup, Printout, fields_table, para, ruled_table, title

NUMBER_W = 7 * mm
NAME_W = 60 * mm
MAX_DAY_W = 13 * mm
MAX_DAYS = 24
FINAL_W = 13 * mm
LIST_WIDTHS = (18 * mm, 10 * mm, 30 * mm, 88 * mm, 70 * mm, 51 * mm)


def _setup(journal: GroupJournal) -> PageSetup:
    label = f"Журнал группы {journal.group}, {journal.period}"
    return PageSetup(journal.college, label, wide=True)


def cover(journal: GroupJournal, width: float) -> list[Flowable]:
    """The title page: group, period, curator and the list of disciplines."""
    heads = ["№", "Дисциплина", "Преподаватель", "Занятий", "Часов"]
    rows: list[list[Any]] = [heads]
    for n, item in enumerate(journal.disciplines, start=1):
        rows.append([n, para(item.discipline), para(item.teacher), len(item.lessons),
                     item.hours])
    widths = [NUMBER_W, 120 * mm, 70 * mm, 20 * mm, 20 * mm]
    align = [("ALIGN", (3, 1), (-1, -1), "CENTER"), ("ALIGN", (0, 0), (0, -1), "CENTER")]
    pairs = [("Группа", journal.group), ("Специальность", journal.specialty),
             ("Период", journal.period), ("Куратор", journal.curator)]
    return [Spacer(1, 10 * mm), title("ЖУРНАЛ УЧЕБНЫХ ЗАНЯТИЙ", 18),
            title(f"группы {journal.group}"), Spacer(1, 5 * mm), fields_table(pairs, width),
            Spacer(1, 6 * mm), ruled_table(rows, widths, align, size=9), PageBreak()]


def _chunks(lessons: list[JournalLesson]) -> list[list[JournalLesson]]:
    """A month's lessons cut into grids of at most ``MAX_DAYS`` columns."""
    return [lessons[i:i + MAX_DAYS] for i in range(0, len(lessons), MAX_DAYS)] or [[]]


def _grid_widths(count: int, width: float, with_finals: bool) -> list[float]:
    """Number and name columns, then equal date columns no wider than ``MAX_DAY_W``."""
    finals = [FINAL_W] if with_finals else []
    free = width - NUMBER_W - NAME_W - sum(finals)
    return [NUMBER_W, NAME_W, *[min(MAX_DAY_W, free / max(count, 1))] * count, *finals]


def month_grid(item: DisciplineJournal, lessons: list[JournalLesson], width: float,
               with_finals: bool) -> Table:
    """Students × lesson dates, each cell the attendance and marks of that lesson."""
    tail = ["Итог"] if with_finals else []
    rows: list[list[Any]] = [
        ["№", "Фамилия, имя, отчество", *(f"{x.day:%d.%m}" for x in lessons), *tail]]
    for n, student in enumerate(item.students, start=1):
        cells = [lesson.cell(student.id).text for lesson in lessons]
        final = [short_final(item.finals.get(student.id, ""))] if with_finals else []
        rows.append([n, para(student.name, 8), *cells, *final])
    extra: list[tuple[Any, ...]] = [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("ALIGN", (1, 1), (1, -1), "LEFT"),
        ("FONTSIZE", (2, 0), (-1, 0), 7), ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, STRIPE])]
    if with_finals:
        extra.append(("FONT", (-1, 1), (-1, -1), BOLD, 8))
    table = ruled_table(rows, _grid_widths(len(lessons), width, with_finals), extra)
    table.hAlign = "LEFT"
    return table


def grids(item: DisciplineJournal, width: float) -> list[Flowable]:
    """The month grids of one discipline; the last one carries the final marks."""
    parts = [(name if i == 0 else f"{name} (продолжение)", chunk)
             for name, lessons in item.months() for i, chunk in enumerate(_chunks(lessons))]
    parts = parts or [("Занятий не было", [])]
    story: list[Flowable] = []
    for i, (name, chunk) in enumerate(parts):
        last = i == len(parts) - 1
        heading = para(f"{name} · {item.discipline} · {item.teacher}", 10, bold=True)
        grid = month_grid(item, chunk, width, with_finals=last and bool(item.finals))
        story.append(KeepTogether([heading, Spacer(1, 2 * mm), grid, Spacer(1, 5 * mm)]))
    return story


def _teacher(lesson: JournalLesson) -> Paragraph:
    if not lesson.substitute_for:
        return para(lesson.teacher, 8)
    return para(f"{lesson.teacher} (замена)\nпо нагрузке: {lesson.substitute_for}", 8)


def lesson_list(item: DisciplineJournal) -> list[Flowable]:
    """Date, hours, kind, topic, homework and teacher of every lesson held."""
    rows: list[list[Any]] = [["Дата", "Часы", "Вид занятия", "Тема занятия",
                                 "Домашнее задание", "Преподаватель"]]
    for x in sorted(item.lessons, key=lambda lesson: lesson.day):
        rows.append([f"{x.day:%d.%m.%Y}", x.hours, para(x.kind, 8), para(x.topic, 8),
                     para(x.homework, 8), _teacher(x)])
    extra = [("ALIGN", (0, 0), (1, -1), "CENTER"), ("VALIGN", (0, 1), (-1, -1), "TOP")]
    total = item.held_text
    return [para(f"Записи о проведённых занятиях · {item.discipline}", 10, bold=True),
            Spacer(1, 2 * mm), ruled_table(rows, LIST_WIDTHS, extra), Spacer(1, 2 * mm),
            para(total, 9)]


def story(journal: GroupJournal) -> list[Flowable]:
    """The whole journal: cover, then grids and lesson list of each discipline."""
    width = _setup(journal).frame_width
    flow = cover(journal, width)
    for n, item in enumerate(journal.disciplines):
        if n:
            flow.append(PageBreak())
        flow += [*grids(item, width), PageBreak(), *lesson_list(item)]
    return flow


FORM: Printout[GroupJournal] = Printout(story, _setup)


def render_journal(journal: GroupJournal, path: Path) -> int:
    """Write the group's journal as a PDF; returns the number of pages."""
    return FORM.render(journal, path)


def journal_page_count(journal: GroupJournal) -> int:
    """How many pages the journal will take."""
    return FORM.page_count(journal)
