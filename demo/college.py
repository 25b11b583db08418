"""The demo college's people and structure: staff, groups, students, parents, curricula,
teaching load and curators, as plain records with their database ids.

Everything is drawn from one ``random.Random`` in a fixed order, so one seed always gives the
same college. The counts come from the scale: ``small`` is eleven groups of five specialties,
``college`` about sixty groups and 1,500 students.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from demo.calendar import AcademicYear
from demo.catalog import DISCIPLINES, Discipline
from demo.marks_model import StudentProfile, group_kinds, make_profile
from demo.names import Family, NameMaker, PersonName
from demo.specialties import BY_PREFIX, SPECIALTIES, PlanItem, Specialty, plan_items
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
DEMO_GROUP = ("СЭЗ", 2, 1)
SIBLING_GROUP = ("ЭБУ", 1, 1)
MALE_SHARE = {"build": 0.6, "elec": 0.7, "san": 0.6, "pe": 0.6, "safety": 0.7, "draw": 0.4,
              "it": 0.4, "land": 0.3}
STUDENT_MALE_SHARE = {"СЭЗ": 0.75, "МВС": 0.8, "ЭО": 0.9, "ЗИО": 0.3, "ЭБУ": 0.15}
STAFF_POSITIONS: tuple[tuple[str, str, bool | None], ...] = (
    ("director", "директор", True),
    ("deputy", "заместитель директора по учебной работе", False),
    ("admin", "заведующий учебной частью", False),
    ("office", "специалист учебной части", False),
    ("office", "секретарь учебной части", False),
    ("methodologist", "методист", False),
    ("support", "социальный педагог", False),
    ("support", "педагог-психолог", False),
    ("support", "педагог-организатор", None),
    ("support", "советник директора по воспитанию", None),
)


@dataclass
class Person:
    """A row of ``journal.person`` with its roles and, for staff, position."""

    id: int
    name: PersonName
    birth_date: date | None
    phone: str | None
    email: str | None
    roles: list[str] = field(default_factory=list)
    position: str | None = None
    part_time: bool = False
    pool: str = ""
    room: str = ""


@dataclass
class Group:
    """A study group with its subgroups and students."""

    id: int
    name: str
    specialty: Specialty
    specialty_id: int
    curriculum_id: int
    admission_year: int
    course: int
    number: int
    size: int
    shift_start: int
    subgroup_ids: tuple[int, int]
    curator_id: int | None = None
    students: list[int] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int, int]:
        """(prefix, course, number)."""
        return (self.specialty.prefix, self.course, self.number)


@dataclass
class Student:
    """A row of ``journal.student`` and the student's habits."""

    person_id: int
    group_id: int
    subgroup_id: int
    record_book_no: str
    profile: StudentProfile
    status: str = "обучается"
    enrolled_on: date = date(2000, 9, 1)
    left_on: date | None = None

    def active_on(self, day: date) -> bool:
        """True when the student was in the group on that day."""
        return self.enrolled_on <= day and (self.left_on is None or day <= self.left_on)


@dataclass
class Load:
    """A teaching load: teacher × group (subgroup) × discipline × semester."""

    id: int
    term: int
    period_id: int
    group: Group
    subgroup_id: int | None
    discipline: Discipline
    discipline_id: int
    item: PlanItem
    curriculum_item_id: int
    teacher_id: int = 0

    @property
    def planned_hours(self) -> int:
        """Hours of the curriculum for the semester."""
        return self.item.hours

    @property
    def lessons_planned(self) -> int:
        """Lessons (пары) the hours give."""
        return self.planned_hours // 2


@dataclass
class College:
    """Everything the structure step makes, keyed by database ids."""

    year: AcademicYear
    year_id: int
    period_ids: tuple[int, int]
    people: list[Person] = field(default_factory=list)
    specialty_ids: dict[str, int] = field(default_factory=dict)
    discipline_ids: dict[str, int] = field(default_factory=dict)
    curricula: list[tuple[int, int, int, str]] = field(default_factory=list)
    curriculum_items: list[tuple[int, int, int, PlanItem]] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    students: dict[int, Student] = field(default_factory=dict)
    guardians: list[tuple[int, int, str]] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    teachers: list[Person] = field(default_factory=list)
    staff: dict[str, Person] = field(default_factory=dict)
    demo_student: int = 0
    demo_sibling: int = 0
    demo_parent: int = 0
    benchmark_load: int = 0
    demo_teacher: int = 0

    def person(self, person_id: int) -> Person:
        """A person by id."""
        return self._by_id[person_id]

    def index(self) -> None:
        """Build the id index once the people are made."""
        self._by_id = {p.id: p for p in self.people}


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
        self._record_books: dict[int, int] = {}
        self._demo_family: Family | None = None

    def make(self) -> College:
        """The whole structure, in a fixed order."""
        self._catalog()
        self._staff()
        self._groups()
        self._loads()
        self._teachers()
        self._assign()
        self._curators()
        ordered = sorted(self.college.groups, key=lambda g: g.key != DEMO_GROUP)
        for group in ordered:
            self._students(group)
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

    # People ------------------------------------------------------------------------------

    def _new_person(self, name: PersonName, born: date | None, *, roles: list[str],
                    email_year: int | None = None, phone: bool = True,
                    email: bool = True) -> Person:
        person = Person(
            self.ids.take("person"), name, born,
            self.names.phone() if phone else None,
            self.names.email(name, email_year) if email else None,
            roles,
        )
        self.college.people.append(person)
        return person

    def _staff(self) -> None:
        for role, position, male in STAFF_POSITIONS:
            is_male = self.rng.random() < 0.4 if male is None else male
            if role == "director":
                is_male = True
            name = self.names.adult(male=is_male)
            born = self.names.birth_date(1962, 1990)
            person = self._new_person(name, born, roles=[role])
            person.position = position
            self.college.staff.setdefault(role, person)

    def _teacher(self, pool: str, room: str) -> Person:
        male = self.rng.random() < MALE_SHARE.get(pool, 0.2)
        name = self.names.adult(male=male)
        born = self.names.birth_date(1958, 1999)
        person = self._new_person(name, born, roles=["teacher"])
        person.position = "преподаватель"
        if pool in ("build", "elec", "san") and self.rng.random() < 0.2:
            person.position = "мастер производственного обучения"
        person.part_time = self.rng.random() < 0.1
        person.pool = pool
        person.room = room
        return person

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
                self.college.teachers.append(self._teacher(pool, rooms(pool)))

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

    # Students and parents ----------------------------------------------------------------

    def _record_book(self, admission: int) -> str:
        number = self._record_books.get(admission, 0) + 1
        self._record_books[admission] = number
        return f"{admission % 100:02d}-{number:04d}"

    def _students(self, group: Group) -> None:
        chronic = 1 if self.rng.random() < (0.5 if self.scale == "small" else 0.35) else 0
        if group.key == DEMO_GROUP:
            chronic = 2
        kinds = group_kinds(group.size, self.rng, chronic=chronic)
        male_share = STUDENT_MALE_SHARE[group.specialty.prefix]
        members: list[tuple[PersonName, Family, str]] = []
        for kind in kinds:
            family = self.names.family()
            male = self.rng.random() < male_share
            members.append((self.names.child(family, male=male), family, kind))
        if group.key == SIBLING_GROUP and self._demo_family is not None:
            at = kinds.index("average")
            sibling = self.names.child(self._demo_family, male=self.rng.random() < 0.5)
            members[at] = (sibling, self._demo_family, "average")
        members.sort(key=lambda m: (m[0].surname, m[0].name, m[0].patronymic))
        averages = [i for i, m in enumerate(members) if m[2] == "average"]
        demo_index = averages[len(averages) // 2] if group.key == DEMO_GROUP else -1
        half = (len(members) + 1) // 2
        enrolled = date(group.admission_year, 9, 1)
        for position, (name, family, kind) in enumerate(members):
            born = self.names.birth_date(group.admission_year - 17, group.admission_year - 16)
            person = self._new_person(name, born, roles=["student"],
                                      email_year=born.year, phone=self.rng.random() < 0.9,
                                      email=self.rng.random() < 0.5)
            sub = group.subgroup_ids[0 if position < half else 1]
            student = Student(person.id, group.id, sub, self._record_book(group.admission_year),
                              make_profile(kind, self.rng), enrolled_on=enrolled)
            self.college.students[person.id] = student
            group.students.append(person.id)
            if position == demo_index:
                student.profile.ability = 4.15
                self.college.demo_student = person.id
                self._demo_family = family
                self._parents(person.id, family, ["мать", "отец"])
                self.college.demo_parent = self.college.guardians[-2][0]
            elif group.key == SIBLING_GROUP and family is self._demo_family:
                self.college.demo_sibling = person.id
                for parent_id, child, relation in list(self.college.guardians):
                    if child == self.college.demo_student:
                        self.college.guardians.append((parent_id, person.id, relation))
            else:
                self._parents(person.id, family)
        self._movements(group)
        if group.key == DEMO_GROUP:
            self._newcomer(group)

    def _newcomer(self, group: Group) -> None:
        """A student transferred into the demo group in November (few marks yet)."""
        first = self.college.year.first_year
        candidates = [s for s in group.students if s != self.college.demo_student
                      and self.college.students[s].profile.kind == "average"]
        student = self.college.students[candidates[-1]]
        student.enrolled_on = date(first, 11, 16)

    def _parents(self, student_id: int, family: Family, who: list[str] | None = None) -> None:
        if who is None:
            roll = self.rng.random()
            who = ["мать"] if roll < 0.75 else ["отец"] if roll < 0.9 else ["мать", "отец"]
        for relation in who:
            name = self.names.mother(family) if relation == "мать" else self.names.father(family)
            born = self.names.birth_date(1972, 1990)
            parent = self._new_person(name, born, roles=["parent"],
                                      email=self.rng.random() < 0.6)
            self.college.guardians.append((parent.id, student_id, relation))

    def _movements(self, group: Group) -> None:
        """A student expelled in October or on academic leave, now and then."""
        if group.course == 1 or self.rng.random() >= 0.35 or group.key == DEMO_GROUP:
            return
        first = self.college.year.first_year
        student = self.college.students[self.rng.choice(group.students)]
        if student.person_id == self.college.demo_sibling:
            return
        if student.profile.chronic or self.rng.random() < 0.6:
            student.status = "отчислен"
            student.left_on = date(first, 10, self.rng.randint(5, 25))
        else:
            student.status = "академический отпуск"
            student.left_on = date(first, 10, self.rng.randint(1, 20))
