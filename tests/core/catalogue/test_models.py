"""The catalogue's SQLModel classes match the tables the migrations create, and a session on
a person's own connection sees what row-level security lets them see."""

from __future__ import annotations

import psycopg
from sqlmodel import SQLModel, select

import core.catalogue.models as m
from core.catalogue.orm import orm_session

CATALOGUE = {"setting", "academic_year", "period", "holiday", "bell", "specialty", "curriculum",
             "discipline", "curriculum_item", "lesson_type", "work_kind", "person", "person_role",
             "staff", "account", "study_group", "subgroup", "student", "student_movement", "guardian",
             "teaching_load", "ktp_topic", "timetable_slot"}


def _catalogue(conninfo: str) -> dict[str, set[str]]:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.table_schema = 'journal' AND t.table_type = 'BASE TABLE'").fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def test_every_model_matches_its_table(fresh_db) -> None:
    in_db = _catalogue(fresh_db.conninfo)
    models = {t.name: t for t in SQLModel.metadata.tables.values() if t.schema == "journal"}
    assert set(models) == CATALOGUE
    for name, table in models.items():
        assert {c.name for c in table.columns} == in_db.get(name), name


def test_a_session_reads_through_row_level_security(sec_db, world, login_as) -> None:
    with orm_session(login_as("parent")) as session:
        groups = session.exec(select(m.StudyGroup)).all()
        names = {s.title for s in session.exec(select(m.Specialty)).all()}
    with orm_session(login_as("office")) as session:
        every = session.exec(select(m.StudyGroup)).all()
    assert [g.id for g in groups] == [world.group["GA"]]
    assert len(every) == 3 and "Информационные системы" in names
