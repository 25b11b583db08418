"""The demo college's people: staff, teachers, students and their parents, each a ``Person``
with a database id, drawn from the college's one ``random.Random`` in the order the structure
step asks for them."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.marks_model import group_kinds, make_profile
from demo.names import Family, NameMaker, PersonName
from demo.records import College, Group, Person, Student
from demo.writer import IdAllocator

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


class PeopleMaker:
    """Makes the college's people into ``college``: staff, teachers, students, parents."""

    def __init__(self, ids: IdAllocator, rng: random.Random, names: NameMaker,
                 college: College, scale: str) -> None:
        self.ids = ids
        self.rng = rng
        self.names = names
        self.college = college
        self.scale = scale
        self._record_books: dict[int, int] = {}
        self._demo_family: Family | None = None

    def new_person(self, name: PersonName, born: date | None, *, roles: list[str],
                   email_year: int | None = None, phone: bool = True,
                   email: bool = True) -> Person:
        """A person with the next id, a phone and an e-mail (unless told otherwise)."""
        person = Person(
            self.ids.take("person"), name, born,
            self.names.phone() if phone else None,
            self.names.email(name, email_year) if email else None,
            roles,
        )
        self.college.people.append(person)
        return person

    # Staff and teachers --------------------------------------------------------------------

    def staff(self) -> None:
        """The director, deputies, the office, the methodologist and the support staff."""
        for role, position, male in STAFF_POSITIONS:
            is_male = self.rng.random() < 0.4 if male is None else male
            if role == "director":
                is_male = True
            name = self.names.adult(male=is_male)
            born = self.names.birth_date(1962, 1990)
            person = self.new_person(name, born, roles=[role])
            person.position = position
            self.college.staff.setdefault(role, person)

    def teacher(self, pool: str, room: str) -> Person:
        """A teacher of the pool of disciplines, with their room."""
        male = self.rng.random() < MALE_SHARE.get(pool, 0.2)
        name = self.names.adult(male=male)
        born = self.names.birth_date(1958, 1999)
        person = self.new_person(name, born, roles=["teacher"])
        person.position = "преподаватель"
        if pool in ("build", "elec", "san") and self.rng.random() < 0.2:
            person.position = "мастер производственного обучения"
        person.part_time = self.rng.random() < 0.1
        person.pool = pool
        person.room = room
        return person

    # Students and parents ----------------------------------------------------------------

    def _record_book(self, admission: int) -> str:
        number = self._record_books.get(admission, 0) + 1
        self._record_books[admission] = number
        return f"{admission % 100:02d}-{number:04d}"

    def students(self, group: Group) -> None:
        """The group's students with their parents, its movements and, in the demo group,
        the demo student and a newcomer."""
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
            person = self.new_person(name, born, roles=["student"],
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
            parent = self.new_person(name, born, roles=["parent"],
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


def movement_rows(college: College) -> list[tuple]:
    """``journal.student_movement`` rows of the students who left or went on leave: dated the
    day after their last day in the group (``Student.left_on``), with an order number."""
    kinds = {"отчислен": ("отчисление", "по собственному желанию"),
             "академический отпуск": ("академический отпуск", "по состоянию здоровья")}
    rows = []
    for number, (_, student) in enumerate(sorted(college.students.items()), start=1):
        if student.status not in kinds or student.left_on is None:
            continue
        kind, reason = kinds[student.status]
        day = student.left_on + timedelta(days=1)
        rows.append((student.person_id, kind, day, student.group_id,
                     f"{100 + number % 400}-к от {student.left_on:%d.%m.%Y}", reason))
    return rows
