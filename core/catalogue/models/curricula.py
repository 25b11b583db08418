"""SQLModel models of the catalogue: specialties, curricula and their items, disciplines,
lesson types and kinds of work.

Mapped to the ``journal`` tables of db/migrations (the SQL is the source of truth; a test
compares both). Sessions run on the person's own connection, so RLS filters them.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

SCHEMA = {"schema": "journal"}


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
