"""The sample sheets of a college (docs/samples/): every catalogue list as the office would
keep it in Excel or CSV, ready for ``ejournal import`` on an empty database.

``small`` is a small college (4 groups, 100 students, their parents, 15 staff, load, КТП,
timetable); ``college`` the benchmark's scale (60 groups, 1,500 students, 3,000 parents, 120
staff). Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from core.catalogue.lists_teaching import LESSON_TITLES
from core.catalogue.registry import LISTS
from core.catalogue.sheets import write_sheet
from demo.names import NameMaker

YEAR = "2026/2027"
SPECIALTIES = [("09.02.07", "Информационные системы и программирование", "Программист", "ИС"),
               ("38.02.01", "Экономика и бухгалтерский учёт (по отраслям)", "Бухгалтер", "ЭБ"),
               ("08.02.01", "Строительство и эксплуатация зданий и сооружений", "Техник", "СЭЗ")]
DISCIPLINES = [("ОУД.01", "Русский язык"), ("ОУД.02", "Литература"),
               ("ОУД.03", "Иностранный язык"), ("ОУД.04", "Математика"), ("ОУД.05", "История"),
               ("ОУД.06", "Физическая культура"), ("ОУД.07", "Основы безопасности и защиты Родины"),
               ("ОУД.08", "Информатика"), ("ОУД.09", "Физика"), ("ОП.01", "Экономика организации")]
SPLIT = "Иностранный язык"  # taught by subgroups
KTP_FILE_ROWS = 10_000


@dataclass
class College:
    """The sheets: list name → rows in the order of the list's columns."""

    rows: dict[str, list[list[object]]] = field(default_factory=dict)

    def add(self, name: str, row: list[object]) -> None:
        """One row of a list."""
        self.rows.setdefault(name, []).append(row)


def _year(c: College) -> None:
    c.add("годы", [YEAR, "01.09.2026", "30.06.2027"])
    c.add("периоды", [YEAR, 1, "1 семестр", "01.09.2026", "28.12.2026"])
    c.add("периоды", [YEAR, 2, "2 семестр", "12.01.2027", "30.06.2027"])
    c.add("каникулы", [YEAR, "29.12.2026", "11.01.2027", "Зимние каникулы", "каникулы"])
    c.add("каникулы", [YEAR, "23.02.2027", "23.02.2027", "День защитника Отечества", "праздник"])
    c.add("каникулы", [YEAR, "08.03.2027", "08.03.2027", "Международный женский день",
                       "праздник"])
    for n, (start, end) in enumerate((("08:30", "10:00"), ("10:10", "11:40"), ("12:10", "13:40"),
                                      ("13:50", "15:20")), start=1):
        c.add("звонки", [YEAR, n, start, end, 2])


def _plan(c: College, specialties: int) -> None:
    for code, title, qualification, prefix in SPECIALTIES[:specialties]:
        c.add("специальности", [code, title, qualification, prefix])
    for code, title in DISCIPLINES:
        c.add("дисциплины", [code, title, title.split()[0][:10]])
    for code, *_ in SPECIALTIES[:specialties]:
        for admission in (2025, 2026):
            for semester in range(1, 5):
                for n, (_, title) in enumerate(DISCIPLINES):
                    if (n + semester) % 3 == 0 and title != SPLIT:
                        continue
                    form = "экзамен" if n % 4 == 0 else "дифференцированный зачёт"
                    c.add("учебный-план", [code, admission, title, semester, 36 + 12 * (n % 3),
                                           12, 0, form if semester % 2 == 0 else "нет", "нет"])


def _staff(c: College, names: NameMaker, teachers: int) -> list[str]:
    c.add("сотрудники", ["Юдина", "Валентина", "Геннадьевна", "12.04.1971", "+79010000001",
                         "", "заведующий учебной частью", "заведующий учебной частью", "нет"])
    c.add("сотрудники", ["Селиверстова", "Наталья", "Андреевна", "03.09.1983", "+79010000002",
                         "", "специалист учебной части", "учебная часть", "нет"])
    found: list[str] = []
    for n in range(teachers):
        person = names.adult(male=n % 3 == 0)
        while person.full in found:
            person = names.adult(male=n % 3 == 0)
        roles = "преподаватель, куратор" if n % 2 == 0 else "преподаватель"
        c.add("сотрудники", [person.surname, person.name, person.patronymic,
                             names.birth_date(1960, 1995).strftime("%d.%m.%Y"), names.phone(),
                             "", "преподаватель", roles, "да" if n % 7 == 6 else "нет"])
        found.append(person.full)
    return found


def _groups(c: College, count: int, specialties: int, teachers: list[str]) -> list[tuple]:
    groups = []
    for n in range(count):
        code, _, _, prefix = SPECIALTIES[n % specialties]
        admission = 2026 if (n // specialties) % 2 == 0 else 2025
        name = f"{prefix}-{admission % 100}-{n // (2 * specialties) + 1}"
        curator = teachers[(2 * n) % len(teachers)]
        c.add("группы", [name, code, admission, curator])
        c.add("подгруппы", [name, "1"])
        c.add("подгруппы", [name, "2"])
        groups.append((name, code, admission))
    return groups


def _people(c: College, names: NameMaker, groups: list[tuple], per_group: int) -> None:
    number = 0
    for name, _, admission in groups:
        for k in range(per_group):
            number += 1
            family = names.family()
            child = names.child(family, male=names.rng.random() < 0.5)
            book = f"{admission % 100}-{number:05d}"
            c.add("студенты", [child.surname, child.name, child.patronymic,
                               names.birth_date(admission - 17, admission - 15).strftime("%d.%m.%Y"),
                               names.phone(), "", name, str(1 + k % 2), book,
                               f"01.09.{admission}"])
            for parent, relation in ((names.mother(family), "мать"),
                                     (names.father(family), "отец")):
                c.add("родители", [parent.surname, parent.name, parent.patronymic,
                                   names.phone(), "", book, relation])


def _teaching(c: College, rng: random.Random, groups: list[tuple], teachers: list[str]) -> None:
    plan: dict[tuple[object, ...], list[tuple[object, object]]] = {}
    for r in c.rows["учебный-план"]:
        plan.setdefault((r[0], r[1], r[3]), []).append((r[2], r[4]))
    for g, (name, code, admission) in enumerate(groups):
        busy: set[tuple[int, int]] = set()
        for period in (1, 2):
            semester = (2026 - admission) * 2 + period
            for d, (discipline, hours) in enumerate(plan[(code, admission, semester)]):
                for subgroup in ("1", "2") if discipline == SPLIT else ("",):
                    teacher = teachers[(g * 3 + d + len(subgroup)) % len(teachers)]
                    c.add("нагрузка", [YEAR, period, name, subgroup, discipline, teacher, hours,
                                       "нет"])
                    where = [YEAR, period, name, subgroup, discipline]
                    for n in range(1, int(str(hours)) // 2 + 1):
                        kind = "practical" if n % 3 == 0 else "theory"
                        c.add("ктп", [*where, n, f"{discipline}: тема {n}", 2,
                                      LESSON_TITLES[kind], f"§ {n}, вопросы 1–{rng.randint(3, 6)}"])
                    if period == 1:
                        _slot(c, busy, where, d, subgroup)


def _slot(c: College, busy: set[tuple[int, int]], where: list[object], d: int,
          subgroup: str) -> None:
    """The load's weekly пара: the group's next free one (subgroups sit in parallel)."""
    days = ("пн", "вт", "ср", "чт", "пт")
    parity = "числитель" if d % 3 == 2 else "все"
    if subgroup == "2":  # the same пара as subgroup 1, in the next room
        last = c.rows["расписание"][-1]
        c.add("расписание", [*where, last[5], last[6], last[7], f"{100 + d}а"])
        return
    for cell in range(20):
        day, pair = 1 + cell % 5, 1 + cell // 5
        if (day, pair) not in busy:
            busy.add((day, pair))
            c.add("расписание", [*where, days[day - 1], pair, parity, f"{100 + d}"])
            return


def college(scale: str = "small", seed: int = 2026) -> College:
    """The sample college's sheets."""
    rng = random.Random(seed)
    names = NameMaker(rng, seed)
    groups_count, per_group, teachers_count = (4, 25, 13) if scale == "small" else (60, 25, 118)
    specialties = 2 if scale == "small" else 3
    c = College()
    _year(c)
    _plan(c, specialties)
    teachers = _staff(c, names, teachers_count)
    groups = _groups(c, groups_count, specialties, teachers)
    _people(c, names, groups, per_group)
    _teaching(c, rng, groups, teachers)
    return c


def write_samples(folder: Path, scale: str = "small", seed: int = 2026,
                  fmt: str = "") -> list[Path]:
    """Write the college's sheets to ``folder`` in import order; the files written.

    ``fmt`` "csv" or "xlsx" for every file; by default the small college mixes both (the
    office's own sheets) and the college scale is CSV.
    """
    folder.mkdir(parents=True, exist_ok=True)
    c = college(scale, seed)
    written = []
    for order, spec in enumerate(LISTS, start=1):
        rows = c.rows.get(spec.name, [])
        kind = fmt or ("csv" if scale != "small" or order % 3 == 0 else "xlsx")
        chunks = [rows[i:i + KTP_FILE_ROWS] for i in range(0, len(rows), KTP_FILE_ROWS)]
        for part, chunk in enumerate(chunks, start=1):
            suffix = f"-{part}" if len(chunks) > 1 else ""
            path = folder / f"{order:02d}-{spec.name}{suffix}.{kind}"
            write_sheet(path, [col.header for col in spec.columns], chunk)
            written.append(path)
    written.append(_teacher_ktp(folder / "преподаватель", c))
    return written


def _teacher_ktp(folder: Path, c: College) -> Path:
    """A teacher's own КТП sheet (№, тема, часы, тип занятия, домашнее задание) of the first
    load: ``ejournal import ктп FILE --set Группа=… --set Дисциплина=… …``."""
    folder.mkdir(exist_ok=True)
    first = c.rows["ктп"][0][:5]
    rows = [r[5:] for r in c.rows["ктп"] if r[:5] == first]
    path = folder / f"КТП {first[4]} {first[2]}.xlsx"
    write_sheet(path, ["№", "Тема", "Часы", "Тип занятия", "Домашнее задание"],
                [[n, f"{title} (уточнено)", h, t, hw] for n, title, h, t, hw in rows])
    return path
