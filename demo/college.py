"""The demo college's structure: the catalogue, curricula, groups, teaching load, the
teachers it needs and the curators; its people are made by ``demo.people``, its records are in
``demo.records``.

Everything is drawn from one ``random.Random`` in a fixed order, so one seed always gives the
same college. The counts come from the scale: ``small`` is eleven groups of five specialties,
``college`` about sixty groups and 1,500 students.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from demo.calendar import AcademicYear
from demo.catalog import DISCIPLINES
from demo.names import NameMaker
from demo.people import DEMO_GROUP, PeopleMaker
from demo.records import College, Group, Load, Person
from demo.specialties import BY_PREFIX, SPECIALTIES, Specialty, plan_items
from demo.writer import IdAllocator

HOURS_PER_TEACHER = 1000
# Small scale: (prefix, course, number, students).
SMALL_GROUPS: tuple[tuple[str, int, int, int], ...] = (
    ("СЭЗ", 1, 1, 26), ("СЭЗ", 2, 1, 25), ("СЭЗ", 3, 1, 28), ("СЭЗ", 4, 1, 22),
    ("МВС", 2, 1, 24), ("МВС", 3, 1, 23), ("ЭО", 1, 1, 27), ("ЭО", 3, 1, 24),
    ("ЗИО", 2, 1, 25), ("ЭБУ", 1, 1, 28), ("ЭБУ", 3, 1, 23),
)
# College scale: groups per course for each specialty.
COLLEGE_GROUPS: dict[str, tuple[int, ...]] = {
    "СЭЗ": (4, 4, 4, 4), "МВС": (3, 3, 3, 3), "ЭО": (3, 3, 3, 3), "ЗИО": (4, 3, 3),
    "ЭБУ": (4, 3, 3),
}
COLLEGE_SIZES = {1: (25, 30), 2: (24, 29), 3: (22, 27), 4: (20, 25)}
BENCHMARK_STUDENTS = 35
BENCHMARK = ("СЭЗ", 3, 1, "Технология строительных процессов", 2)


class CollegeMaker:
    """Makes the college structure for one scale."""

    def __init__(self, ids: IdAllocator, rng: random.Random, names: NameMaker,
                 year: AcademicYear, scale: str) -> None:
        self.ids = ids
        self.rng = rng
        self.names = names
        self.scale = scale
        self.college = College(year, ids.take("academic_year"),
                               (ids.take("period"), ids.take("period")))
        self.people = PeopleMaker(ids, rng, names, self.college, scale)

    def make(self) -> College:
        """The whole structure, in a fixed order."""
        self._catalog()
        self.people.staff()
        self._groups()
        self._loads()
        self._teachers()
        self._assign()
        self._curators()
        ordered = sorted(self.college.groups, key=lambda g: g.key != DEMO_GROUP)
        for group in ordered:
            self.people.students(group)
        self.college.index()
        return self.college

    # Catalog -----------------------------------------------------------------------------

    def _catalog(self) -> None:
        for specialty in SPECIALTIES:
            self.college.specialty_ids[specialty.prefix] = self.ids.take("specialty")
        for discipline in DISCIPLINES:
            self.college.discipline_ids[discipline.title] = self.ids.take("discipline")

    def _curriculum(self, specialty: Specialty, admission: int) -> tuple[int, dict]:
        for cid, spec_id, year, _ in self.college.curricula:
            if spec_id == self.college.specialty_ids[specialty.prefix] and year == admission:
                items = {(i.discipline.title, i.semester): iid
                         for iid, c, _, i in self.college.curriculum_items if c == cid}
                return cid, items
        cid = self.ids.take("curriculum")
        title = f"Учебный план {specialty.code} «{specialty.title}», набор {admission} года"
        self.college.curricula.append(
            (cid, self.college.specialty_ids[specialty.prefix], admission, title))
        items = {}
        for item in plan_items(specialty):
            iid = self.ids.take("curriculum_item")
            discipline_id = self.college.discipline_ids[item.discipline.title]
            self.college.curriculum_items.append((iid, cid, discipline_id, item))
            items[(item.discipline.title, item.semester)] = iid
        return cid, items

    # Groups and loads ----------------------------------------------------------------------

    def _group_list(self) -> list[tuple[str, int, int, int]]:
        if self.scale == "small":
            return list(SMALL_GROUPS)
        result = []
        for prefix, per_course in COLLEGE_GROUPS.items():
            for course, count in enumerate(per_course, start=1):
                for number in range(1, count + 1):
                    low, high = COLLEGE_SIZES[course]
                    size = self.rng.randint(low, high)
                    if (prefix, course, number) == BENCHMARK[:3]:
                        size = BENCHMARK_STUDENTS
                    result.append((prefix, course, number, size))
        return result

    def _groups(self) -> None:
        first = self.college.year.first_year
        for index, (prefix, course, number, size) in enumerate(self._group_list()):
            specialty = BY_PREFIX[prefix]
            admission = first - course + 1
            cid, _ = self._curriculum(specialty, admission)
            group = Group(
                self.ids.take("study_group"), f"{prefix}-{admission % 100:02d}-{number}",
                specialty, self.college.specialty_ids[prefix], cid, admission, course, number,
                size, (1, 1, 2)[index % 3], (self.ids.take("subgroup"), self.ids.take("subgroup")),
            )
            self.college.groups.append(group)

    def _loads(self) -> None:
        for group in self.college.groups:
            _, items = self._curriculum(group.specialty, group.admission_year)
            for term in (1, 2):
                semester = 2 * group.course - 2 + term
                for item in plan_items(group.specialty):
                    if item.semester != semester:
                        continue
                    subgroups: tuple[int | None, ...] = (
                        group.subgroup_ids if item.discipline.split else (None,))
                    for sub in subgroups:
                        load = Load(
                            self.ids.take("teaching_load"), term,
                            self.college.period_ids[term - 1], group, sub, item.discipline,
                            self.college.discipline_ids[item.discipline.title], item,
                            items[(item.discipline.title, semester)],
                        )
                        self.college.loads.append(load)
                        if (group.key, item.discipline.title, term) == (
                                BENCHMARK[:3], BENCHMARK[3], BENCHMARK[4]):
                            self.college.benchmark_load = load.id

    def _teachers(self) -> None:
        hours: dict[str, int] = {}
        for load in self.college.loads:
            hours[load.discipline.pool] = hours.get(load.discipline.pool, 0) + load.planned_hours
        rooms = self._rooms()
        for pool in sorted(hours):
            count = max(2 if pool in ("lang", "it", "build") else 1,
                        math.ceil(hours[pool] / HOURS_PER_TEACHER))
            for _ in range(count):
                self.college.teachers.append(self.people.teacher(pool, rooms(pool)))

    def _rooms(self) -> Callable[[str], str]:
        numbers = [f"{floor}{n:02d}" for floor in (1, 2, 3, 4) for n in range(1, 21)]
        self.rng.shuffle(numbers)
        counters = {"lab": 0, "computer": 0, "gym": 0, "class": 0}

        def room(pool: str) -> str:
            kind = {"sci": "lab", "elec": "lab", "san": "lab", "it": "computer",
                    "pe": "gym"}.get(pool, "class")
            counters[kind] += 1
            if kind == "lab":
                return f"Лаб. {counters[kind]}"
            if kind == "computer":
                return f"Комп. класс {counters[kind]}"
            if kind == "gym":
                return ("Спортзал", "Малый спортзал", "Тренажёрный зал")[(counters[kind] - 1) % 3]
            return numbers[(counters[kind] - 1) % len(numbers)]
        return room

    def _assign(self) -> None:
        """Each group × discipline (× subgroup) gets one teacher of the pool for the year."""
        assigned: dict[int, int] = {t.id: 0 for t in self.college.teachers}
        by_pool: dict[str, list[Person]] = {}
        for teacher in self.college.teachers:
            by_pool.setdefault(teacher.pool, []).append(teacher)
        keys: dict[tuple[int, str, int | None], list[Load]] = {}
        for load in self.college.loads:
            keys.setdefault((load.group.id, load.discipline.title, load.subgroup_id), []).append(load)
        taken: dict[tuple[int, str], set[int]] = {}
        for (group_id, title, _), loads in keys.items():
            pool = by_pool[loads[0].discipline.pool]
            busy = taken.setdefault((group_id, title), set())
            free = [t for t in pool if t.id not in busy] or pool
            teacher = min(free, key=lambda t: (assigned[t.id], t.id))
            busy.add(teacher.id)
            for load in loads:
                load.teacher_id = teacher.id
                assigned[teacher.id] += load.planned_hours

    def _curators(self) -> None:
        """The teacher with most hours in a group curates it; the demo teacher (who teaches
        the benchmark load) is kept free of curatorship so the two demo logins differ."""
        benchmark = next(x for x in self.college.loads if x.id == self.college.benchmark_load)
        self.college.demo_teacher = benchmark.teacher_id
        curators: set[int] = {benchmark.teacher_id}
        for group in self.college.groups:
            hours: dict[int, int] = {}
            for load in self.college.loads:
                if load.group is group and load.subgroup_id is None:
                    hours[load.teacher_id] = hours.get(load.teacher_id, 0) + load.planned_hours
            candidates = sorted((h, t) for t, h in hours.items() if t not in curators)
            if candidates:
                teacher_id = candidates[-1][1]
            else:
                spare = [t.id for t in self.college.teachers if t.id not in curators]
                teacher_id = spare[0] if spare else self.college.teachers[0].id
            curators.add(teacher_id)
            group.curator_id = teacher_id
        for teacher in self.college.teachers:
            if any(g.curator_id == teacher.id for g in self.college.groups):
                teacher.roles.append("curator")
