"""SQLModel models of the catalogue: the teaching load, its КТП and its timetable slots.

Mapped to the ``journal`` tables of db/migrations (the SQL is the source of truth; a test
compares both). Sessions run on the person's own connection, so RLS filters them.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

SCHEMA = {"schema": "journal"}


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
