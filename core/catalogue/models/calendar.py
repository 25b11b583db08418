"""SQLModel models of the catalogue: the year: settings, academic years, periods, holidays, bells.

Mapped to the ``journal`` tables of db/migrations (the SQL is the source of truth; a test
compares both). Sessions run on the person's own connection, so RLS filters them.
"""

from __future__ import annotations

from datetime import date, datetime, time
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
    group_id: int | None = None
    """A break of one group only (a practice week); ``None``: the whole college (0060)."""


class Bell(SQLModel, table=True):
    """One пара of the bell schedule."""

    __tablename__ = "bell"
    __table_args__ = SCHEMA
    year_id: int = Field(primary_key=True)
    pair_no: int = Field(primary_key=True)
    starts_at: time
    ends_at: time
    hours: int = 2
