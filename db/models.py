"""SQLModel models of the ``journal`` schema (the migrations are the source of truth).

A test compares these classes with the live catalogue, so they cannot drift from the SQL.
Reads through these models run on the person's own connection, so row-level security
filters them exactly as it filters raw SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

SCHEMA = {"schema": "journal"}


class Setting(SQLModel, table=True):
    """A setting kept in the database (college name, rounding rule, …)."""

    __tablename__ = "setting"
    __table_args__ = SCHEMA
    key: str = Field(primary_key=True)
    value: Any = Field(sa_type=JSONB)
    title: str = ""


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


class AcademicYear(SQLModel, table=True):
    """An academic year, e.g. 2026/2027; archived years are read-only."""

    __tablename__ = "academic_year"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    title: str
    starts_on: date
    ends_on: date
    archived_at: datetime | None = None
    archived_by: str | None = None


class Period(SQLModel, table=True):
    """A semester of a year."""

    __tablename__ = "period"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    year_id: int
    number: int
    title: str
    starts_on: date
    ends_on: date
    closed_at: datetime | None = None
    closed_by: str | None = None


class Holiday(SQLModel, table=True):
    """Holidays and vacations of a year."""

    __tablename__ = "holiday"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    year_id: int
    starts_on: date
    ends_on: date
    title: str
    kind: str = "каникулы"


class Bell(SQLModel, table=True):
    """One пара of the bell schedule."""

    __tablename__ = "bell"
    __table_args__ = SCHEMA
    year_id: int = Field(primary_key=True)
    pair_no: int = Field(primary_key=True)
    starts_at: time
    ends_at: time
    hours: int = 2


class Specialty(SQLModel, table=True):
    """A specialty (08.02.01 …)."""

    __tablename__ = "specialty"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    code: str
    title: str
    qualification: str = ""
    group_prefix: str


class Curriculum(SQLModel, table=True):
    """A curriculum of a specialty for an admission year."""

    __tablename__ = "curriculum"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    specialty_id: int
    admission_year: int
    title: str


class Discipline(SQLModel, table=True):
    """A discipline or МДК."""

    __tablename__ = "discipline"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    code: str = ""
    title: str
    short_title: str


class CurriculumItem(SQLModel, table=True):
    """A discipline in a semester of a curriculum, with hours and attestation form."""

    __tablename__ = "curriculum_item"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    curriculum_id: int
    discipline_id: int
    semester_no: int
    hours_total: int
    hours_practical: int = 0
    hours_lab: int = 0
    attestation: str
    pass_fail: bool = False


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


class TeachingLoad(SQLModel, table=True):
    """Teacher × group (subgroup) × discipline × period."""

    __tablename__ = "teaching_load"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    period_id: int
    group_id: int
    subgroup_id: int | None = None
    discipline_id: int
    curriculum_item_id: int | None = None
    teacher_id: int
    planned_hours: int
    pass_fail: bool = False


class LessonType(SQLModel, table=True):
    """A lesson type (теоретическое, практическое, …)."""

    __tablename__ = "lesson_type"
    __table_args__ = SCHEMA
    code: str = Field(primary_key=True)
    title: str
    short: str


class WorkKind(SQLModel, table=True):
    """A kind of work a mark is for (устный ответ, контрольная, …)."""

    __tablename__ = "work_kind"
    __table_args__ = SCHEMA
    code: str = Field(primary_key=True)
    title: str
    short: str


class KtpTopic(SQLModel, table=True):
    """A topic of the calendar-thematic plan of a load."""

    __tablename__ = "ktp_topic"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    load_id: int
    position: int
    title: str
    lesson_type: str
    hours: int = 2
    homework: str = ""


class TimetableSlot(SQLModel, table=True):
    """A weekly slot of the timetable."""

    __tablename__ = "timetable_slot"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    load_id: int
    weekday: int
    pair_no: int
    week_parity: str = "all"
    room: str = ""


class Lesson(SQLModel, table=True):
    """A lesson held: date, пара, who taught, topic, homework."""

    __tablename__ = "lesson"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    load_id: int
    lesson_date: date
    pair_no: int
    taught_by: int
    lesson_type: str = "theory"
    hours: int = 2
    ktp_topic_id: int | None = None
    topic: str = ""
    work_kind: str = "oral"
    homework: str = ""
    homework_pages: str = ""
    homework_tasks: str = ""
    homework_practical: str = ""
    unscheduled: bool = False
    created_at: datetime | None = None
    filled_at: datetime | None = None


class Attendance(SQLModel, table=True):
    """Attendance of a student at a lesson (П, НУ, НН)."""

    __tablename__ = "attendance"
    __table_args__ = SCHEMA
    lesson_id: int = Field(primary_key=True)
    student_id: int = Field(primary_key=True)
    load_id: int
    code: str
    changed_at: datetime | None = None
    changed_by: str | None = None
    typed_at: datetime | None = None


class Mark(SQLModel, table=True):
    """A current mark for one kind of work."""

    __tablename__ = "mark"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int
    load_id: int
    student_id: int
    work_kind: str
    value: str
    changed_at: datetime | None = None
    changed_by: str | None = None
    typed_at: datetime | None = None


class Statement(SQLModel, table=True):
    """An attestation statement (ведомость)."""

    __tablename__ = "statement"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    load_id: int
    form: str
    number: str = ""
    held_on: date | None = None
    examiner_id: int | None = None
    created_at: datetime | None = None
    created_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None


class StatementMark(SQLModel, table=True):
    """A student's mark in a statement."""

    __tablename__ = "statement_mark"
    __table_args__ = SCHEMA
    statement_id: int = Field(primary_key=True)
    student_id: int = Field(primary_key=True)
    value: str
    changed_at: datetime | None = None
    changed_by: str | None = None
    typed_at: datetime | None = None


class FinalMark(SQLModel, table=True):
    """A semester final mark, fixed when the period is closed."""

    __tablename__ = "final_mark"
    __table_args__ = SCHEMA
    load_id: int = Field(primary_key=True)
    student_id: int = Field(primary_key=True)
    value: str
    mean: Decimal | None = None
    source: str
    fixed_at: datetime | None = None
    fixed_by: str | None = None


class Thread(SQLModel, table=True):
    """A correspondence thread."""

    __tablename__ = "thread"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    subject: str
    student_id: int | None = None
    year_id: int | None = None
    created_by: int
    created_at: datetime | None = None


class ThreadMember(SQLModel, table=True):
    """A participant of a thread and how far they have read."""

    __tablename__ = "thread_member"
    __table_args__ = SCHEMA
    thread_id: int = Field(primary_key=True)
    person_id: int = Field(primary_key=True)
    last_read_at: datetime | None = None


class Message(SQLModel, table=True):
    """A message in a thread."""

    __tablename__ = "message"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    thread_id: int
    author_id: int
    body: str
    sent_at: datetime | None = None


class ChangeLog(SQLModel, table=True):
    """A history row of a correction (written by triggers only)."""

    __tablename__ = "change_log"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    table_name: str
    action: str
    row_key: Any = Field(sa_type=JSONB)
    old_value: Any = Field(default=None, sa_type=JSONB)
    new_value: Any = Field(default=None, sa_type=JSONB)
    reason: str = ""
    changed_by: str | None = None
    person_id: int | None = None
    changed_at: datetime | None = None
    load_id: int | None = None
    student_id: int | None = None
    typed_at: datetime | None = None


class LoadHandover(SQLModel, table=True):
    """A load handed from one teacher to another (written by a trigger only)."""

    __tablename__ = "load_handover"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    load_id: int
    from_teacher: int
    to_teacher: int
    from_date: date
    handed_at: datetime | None = None
    handed_by: str | None = None
    reason: str = ""


class LoginEvent(SQLModel, table=True):
    """A login success or failure."""

    __tablename__ = "login_event"
    __table_args__ = SCHEMA
    id: int | None = Field(default=None, primary_key=True)
    login: str
    success: bool
    at: datetime | None = None
    detail: str = ""


def orm_engine(connect: Callable[[], Any]) -> Any:
    """A SQLAlchemy engine whose connections come from ``connect`` (the person's own login).

    Args:
        connect: Returns a new psycopg connection (e.g. ``Credentials.connect``) in
            transaction mode (``autocommit=False``).
    """
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    return create_engine("postgresql+psycopg://", creator=connect, poolclass=QueuePool,
                         pool_size=1, max_overflow=1, pool_pre_ping=True)


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
