"""The printouts as text tables for the terminal (tabulate), same content as the PDFs."""

from __future__ import annotations

from tabulate import tabulate

from core.printouts.form_journal import DisciplineJournal, GroupJournal
from core.printouts.form_report import StudentReport
from core.printouts.form_statement import AttestationStatement, statement_word
from core.printouts.form_summary import SummaryStatement
from core.printouts.forms import decimal_text, percent_text, short_final

FORMAT = "simple_outline"


def _heading(title: str, pairs: list[tuple[str, str]]) -> list[str]:
    return [title, *(f"{label}: {value}" for label, value in pairs if value), ""]


def discipline_text(item: DisciplineJournal) -> str:
    """Month grids and the lesson list of one discipline."""
    parts = [f"{item.discipline} · {item.teacher}"]
    for month, lessons in item.months():
        head = ["№", "ФИО", *(f"{x.day:%d.%m}" for x in lessons)]
        rows = [[n, s.name, *(x.cell(s.id).text for x in lessons)]
                for n, s in enumerate(item.students, start=1)]
        parts += ["", month, tabulate(rows, head, tablefmt=FORMAT)]
    if item.finals:
        rows = [[s.name, item.finals.get(s.id, "")] for s in item.students]
        parts += ["", tabulate(rows, ["ФИО", "Итог"], tablefmt=FORMAT)]
    lesson_rows = [[f"{x.day:%d.%m.%Y}", x.hours, x.kind, x.topic, x.homework,
                f"{x.teacher} (замена)" if x.substitute_for else x.teacher]
               for x in sorted(item.lessons, key=lambda lesson: lesson.day)]
    heads = ["Дата", "Часы", "Вид", "Тема", "Домашнее задание", "Преподаватель"]
    parts += ["", tabulate(lesson_rows, heads, tablefmt=FORMAT), item.held_text]
    return "\n".join(parts)


def journal_text(journal: GroupJournal) -> str:
    """The group's journal, discipline after discipline."""
    lines = _heading(f"Журнал группы {journal.group}", [
        ("Специальность", journal.specialty), ("Период", journal.period),
        ("Куратор", journal.curator)])
    return "\n".join(lines) + "\n\n".join(discipline_text(d) for d in journal.disciplines)


def summary_text(data: SummaryStatement) -> str:
    """The summary statement with the group's figures under it."""
    head = ["№", "ФИО", *(c.title for c in data.columns), "Пропущено", "НУ", "НН", "Ср. балл"]
    rows = [[n, r.student.name, *(short_final(r.finals.get(c.key, "")) for c in data.columns),
             r.missed_total, r.missed_excused, r.missed_unexcused, decimal_text(r.average)]
            for n, r in enumerate(data.rows, start=1)]
    f = data.figures
    lines = _heading("Сводная ведомость успеваемости и посещаемости", [
        ("Группа", data.group), ("Период", data.period)])
    figures = (f"Средний балл группы: {decimal_text(f.average)}; абсолютная успеваемость: "
               f"{percent_text(f.absolute)}; качество знаний: "
               f"{percent_text(f.quality)}; пропущено часов: НУ {data.missed_excused}, "
               f"НН {data.missed_unexcused}.")
    return "\n".join([*lines, tabulate(rows, head, tablefmt=FORMAT), figures])


def statement_text(data: AttestationStatement) -> str:
    """The statement: students, record books, results, counts."""
    held = f"{data.held_on:%d.%m.%Y}" if data.held_on else ""
    lines = _heading(f"Ведомость {data.number}".strip(), [
        ("Группа", data.group), ("Дисциплина", data.discipline), ("Семестр", data.semester),
        ("Форма", data.form.value), ("Дата", held), ("Экзаменатор", data.examiner)])
    rows = [[n, x.student.name, x.student.record_book, statement_word(x.value)]
            for n, x in enumerate(data.lines, start=1)]
    table = tabulate(rows, ["№", "ФИО", "№ зачётной книжки", "Отметка"], tablefmt=FORMAT)
    counts = "; ".join(f"{word} — {n}" for word, n in data.counts())
    return "\n".join([*lines, table, f"Итоги: {counts}."])


def student_report_text(data: StudentReport) -> str:
    """A student's report for parents."""
    lines = _heading(f"Сведения об успеваемости и посещаемости: {data.student}", [
        ("Группа", data.group), ("Период", data.period), ("Куратор", data.curator),
        ("Связь с куратором", data.curator_contact)])
    rows = [[d.name, " ".join(m.short for m in d.marks), decimal_text(d.mean), d.final,
             d.missed_excused, d.missed_unexcused] for d in data.disciplines]
    heads = ["Дисциплина", "Текущие отметки", "Средний балл", "Итог", "НУ, ч", "НН, ч"]
    total = (f"Итого пропущено часов: {data.missed_excused + data.missed_unexcused} "
             f"(НУ {data.missed_excused}, НН {data.missed_unexcused}).")
    return "\n".join([*lines, tabulate(rows, heads, tablefmt=FORMAT), total])
