"""SQLModel models of the catalogue: people, staff positions and roles, groups, subgroups,
students and guardians.

Mapped to the ``journal`` tables of db/migrations (the SQL is the source of truth; a test
compares both). Sessions run on the person's own connection, so RLS filters them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

SCHEMA = {"schema": "journal"}


class Person(SQLModel, table=True):
    """A staff member, student or parent."""

    __tablename__ = "person"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    surname: str
    name: str
    patronymic: str = ""
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    created_at: datetime | None = None

    @property
    def full_name(self) -> str:
        """Фамилия Имя Отчество."""
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


class PersonRole(SQLModel, table=True):
    """One role of a person."""

    __tablename__ = "person_role"
    __table_args__ = SCHEMA
    person_id: int = Field(primary_key=True)
    role: str = Field(primary_key=True)


class Staff(SQLModel, table=True):
    """A staff member's position."""

    __tablename__ = "staff"
    __table_args__ = SCHEMA
    person_id: int = Field(primary_key=True)
    position: str
    part_time: bool = False


class Account(SQLModel, table=True):
    """A person's login role."""

    __tablename__ = "account"
    __table_args__ = SCHEMA
    person_id: int = Field(primary_key=True)
    login: str
    must_change_password: bool = True
    blocked: bool = False
    created_at: datetime | None = None
    created_by: str | None = None
    password_changed_at: datetime | None = None


class StudyGroup(SQLModel, table=True):
    """A study group such as СЭЗ-24-1."""

    __tablename__ = "study_group"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    name: str
    specialty_id: int
    curriculum_id: int
    admission_year: int
    curator_id: int | None = None
    graduated_at: date | None = None


class Subgroup(SQLModel, table=True):
    """A subgroup of a group."""

    __tablename__ = "subgroup"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    group_id: int
    name: str


class Student(SQLModel, table=True):
    """A student's enrolment."""

    __tablename__ = "student"
    __table_args__ = SCHEMA
    person_id: int = Field(primary_key=True)
    group_id: int
    subgroup_id: int | None = None
    record_book_no: str
    status: str = "обучается"
    enrolled_on: date
    left_on: date | None = None


class Guardian(SQLModel, table=True):
    """A parent (legal representative) of a student."""

    __tablename__ = "guardian"
    __table_args__ = SCHEMA
    parent_id: int = Field(primary_key=True)
    student_id: int = Field(primary_key=True)
    relation: str


class StudentMovement(SQLModel, table=True):
    """A dated movement of a student: enrolment, leave, return, transfer, expulsion,
    graduation (migration 0030; append-only, stamped by a trigger)."""

    __tablename__ = "student_movement"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    student_id: int
    kind: str
    on_date: date
    until_on: date | None = None
    group_id: int
    order_no: str = ""
    reason: str = ""
    recorded_at: datetime | None = None
    recorded_by: str | None = None
