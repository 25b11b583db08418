"""Sample printout data with Cyrillic names, shared by the printing tests."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.printouts.form_journal import DisciplineJournal, GroupJournal, JournalCell, JournalLesson
from core.printouts.form_report import ReportDiscipline, StudentReport
from core.printouts.form_statement import AttestationForm, AttestationStatement, StatementLine
from core.printouts.form_summary import GroupFigures, SummaryColumn, SummaryRow, SummaryStatement
from core.printouts.forms import College, CredentialSlip, CredentialSlips, Student
from kernel.marks import Attendance, MarkValue, StatementValue

COLLEGE = College("ГПОУ «Кемеровский коммунально-строительный техникум» имени В. И. Заузелкова",
                  "А. В. Кузнецова")
NAMES = (
    "Абдурахмангаджиева Патимат Магомедрасуловна", "Белов Артём Сергеевич",
    "Васильева Дарья Игоревна", "Григорьев Илья Петрович", "Дмитриева Ксения Олеговна",
    "Ёлкин Степан Юрьевич", "Жукова Алина Романовна", "Зайцев Максим Андреевич",
    "Иванова Софья Денисовна", "Калинин Егор Владимирович", "Лебедева Вероника Павловна",
    "Морозов Никита Алексеевич", "Новикова Полина Евгеньевна", "Орлов Даниил Ильич",
    "Павлова Анастасия Викторовна", "Романов Кирилл Максимович", "Сидорова Мария Антоновна",
    "Тихонов Глеб Артёмович", "Уварова Елизавета Кирилловна", "Фёдоров Тимофей Николаевич",
    "Харитонова Ульяна Сергеевна", "Цветков Ярослав Дмитриевич", "Чернова Виктория Ивановна",
    "Шубин Лев Михайлович", "Щербакова Ева Александровна",
)
STUDENTS = tuple(Student(i, name, f"21-{i:03d}") for i, name in enumerate(NAMES, start=1))
TOPICS = ("Действительные числа. Приближённые вычисления и погрешности",
          "Корни, степени и логарифмы: преобразование выражений",
          "Практическая работа № 3. Решение показательных уравнений и неравенств",
          "Тригонометрические функции, их свойства и графики", "Контрольная работа")
KINDS = ("теория", "практическое занятие", "лабораторная работа")


def _cell(rng: random.Random) -> JournalCell:
    roll = rng.random()
    if roll < 0.06:
        return JournalCell(Attendance.UNEXCUSED)
    if roll < 0.10:
        return JournalCell(Attendance.EXCUSED)
    marks = (MarkValue.FIVE, MarkValue.FOUR, MarkValue.THREE, MarkValue.TWO)
    if roll < 0.35:
        return JournalCell(Attendance.PRESENT, (rng.choice(marks),))
    if roll < 0.38:
        return JournalCell(Attendance.PRESENT, (MarkValue.FIVE, MarkValue.FOUR))
    return JournalCell(Attendance.PRESENT)


def make_lessons(seed: int, count: int, start: date, step: int) -> tuple[JournalLesson, ...]:
    """``count`` lessons from ``start`` every ``step`` days with random cells."""
    rng = random.Random(seed)
    lessons = []
    for n in range(count):
        day = start + timedelta(days=n * step)
        sub = "Петрова Анна Викторовна" if n == 2 else ""
        teacher = "Сергеева Ольга Николаевна" if sub else "Петрова Анна Викторовна"
        cells = {s.id: _cell(rng) for s in STUDENTS}
        lessons.append(JournalLesson(
            day, 2, TOPICS[n % len(TOPICS)], teacher, KINDS[n % len(KINDS)],
            f"Учебник Башмакова, § {n + 1}, с. {10 + n * 4}–{13 + n * 4}, № {n + 101}–{n + 105}",
            sub, cells))
    return tuple(lessons)


def journal_data(lesson_count: int = 30, step: int = 3) -> GroupJournal:
    """A group's journal with a busy and a quiet discipline."""
    maths = DisciplineJournal(
        "ОУД.04 Математика: алгебра и начала математического анализа; геометрия",
        "Петрова А. В.", STUDENTS, make_lessons(1, lesson_count, date(2024, 9, 2), step),
        {s.id: ("4" if s.id % 3 else "5") for s in STUDENTS} | {3: "2"})
    history = DisciplineJournal("ОГСЭ.02 История", "Кравцов Д. М.", STUDENTS[:12],
                                make_lessons(2, 6, date(2024, 9, 4), 7), {1: "зачёт", 2: "незачёт"})
    return GroupJournal(COLLEGE, "СЭЗ-21", "1 семестр 2024/2025 учебного года",
                        (maths, history),
                        "08.02.01 Строительство и эксплуатация зданий и сооружений",
                        "Морозова Елена Петровна")


def summary_data(column_count: int = 9) -> SummaryStatement:
    """A summary statement with figures for every column."""
    names = ("Математика", "Русский язык", "Литература", "Иностранный язык", "История",
             "Физическая культура", "ОБЖ", "Информатика", "Физика", "Химия", "Биология",
             "География", "Обществознание", "Астрономия", "Инженерная графика")
    columns = tuple(SummaryColumn(f"d{i}", f"{names[i % len(names)]} (ОУД.{i + 1:02d})",
                                  GroupFigures(Decimal(80 + i) / 20, Decimal(180 + i) / 200,
                                               Decimal("0.485")))
                    for i in range(column_count))
    rows = tuple(SummaryRow(s, {c.key: ("3" if s.id == 2 else "зачёт" if c.key == "d5"
                                        else str(3 + (s.id + i) % 3))
                                for i, c in enumerate(columns)},
                            s.id % 4 * 2, s.id % 3 * 2, Decimal(7 + s.id % 3) / 2)
                 for s in STUDENTS)
    return SummaryStatement(COLLEGE, "СЭЗ-21", "1 семестр 2024/2025 учебного года", columns,
                            rows, GroupFigures(Decimal("4.123"), Decimal("0.92"), Decimal("0.48")),
                            "08.02.01 Строительство и эксплуатация зданий и сооружений",
                            "Морозова Елена Петровна")


def statement_data() -> AttestationStatement:
    """An exam statement with every kind of result and one blank."""
    values = (StatementValue.FIVE, StatementValue.FOUR, StatementValue.THREE,
              StatementValue.TWO, StatementValue.ABSENT, None)
    lines = tuple(StatementLine(s, values[i % len(values)]) for i, s in enumerate(STUDENTS))
    return AttestationStatement(
        COLLEGE, "СЭЗ-21", "ОП.01 Инженерная графика", "1 семестр 2024/2025 учебного года",
        AttestationForm.EXAM, "Петрова Анна Викторовна", lines, date(2025, 1, 15), "12",
        "08.02.01 Строительство и эксплуатация зданий и сооружений")


def report_data() -> StudentReport:
    """A report with marks, a discipline without marks and a pass/fail final."""
    disciplines = (
        ReportDiscipline("ОУД.04 Математика", (MarkValue.FIVE, MarkValue.FOUR, MarkValue.FOUR,
                                               MarkValue.THREE, MarkValue.FIVE), Decimal("4.2"), "4", 2, 4),
        ReportDiscipline("ОУД.01 Русский язык", (MarkValue.FOUR,) * 3, Decimal(4), "", 0, 2),
        ReportDiscipline("ОУД.07 Физическая культура", (MarkValue.PASS, MarkValue.PASS), None,
                         "зачёт", 4, 0),
        ReportDiscipline("ОП.01 Инженерная графика", (), None, "", 0, 0),
    )
    return StudentReport(COLLEGE, "Белов Артём Сергеевич", "СЭЗ-21",
                         "с 01.09.2024 по 31.10.2024", disciplines, "Морозова Елена Петровна",
                         "+7 (3842) 12-34-56, сообщение в программе")


def slips_data(count: int = 11) -> CredentialSlips:
    """Slips of students and parents."""
    slips = []
    for s in STUDENTS[:count]:
        family = s.name.split()[0]
        family += "" if family.endswith("а") else "а"
        if s.id % 2:
            slips.append(CredentialSlip(s.name, "студент", f"st{s.id:04d}", f"Kx7-{s.id}pq",
                                        "группа СЭЗ-21"))
        else:
            slips.append(CredentialSlip(f"{family} Ирина Сергеевна", "родитель",
                                        f"rd{s.id:04d}", f"Mv4-{s.id}za",
                                        f"обучающийся: {s.name}, СЭЗ-21"))
    return CredentialSlips(COLLEGE, tuple(slips),
                           "ssh ejournal@10.10.0.5 (в кабинете: ярлык «Электронный журнал»), "
                           "затем программа ejournal")


@pytest.fixture
def journal() -> GroupJournal:
    """A journal of two disciplines."""
    return journal_data()


@pytest.fixture
def summary() -> SummaryStatement:
    """A summary statement."""
    return summary_data()


@pytest.fixture
def statement() -> AttestationStatement:
    """An exam statement."""
    return statement_data()


@pytest.fixture
def report() -> StudentReport:
    """A student's report."""
    return report_data()


@pytest.fixture
def slips() -> CredentialSlips:
    """A sheet of slips."""
    return slips_data()


@pytest.fixture
def pdf_text() -> Callable[[Path], str]:
    """Extract the text of every page of a PDF, runs of white space made one space."""
    def extract(path: Path) -> str:
        text = " ".join(page.extract_text() for page in PdfReader(path).pages)
        return " ".join(text.split())
    return extract
