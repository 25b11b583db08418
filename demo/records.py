"""The demo college as plain records with their database ids: people, groups, students,
teaching loads and the college that holds them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from demo.calendar import AcademicYear
from demo.catalog import Discipline
from demo.marks_model import StudentProfile
from demo.names import PersonName
from demo.specialties import PlanItem, Specialty


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
