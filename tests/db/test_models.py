"""The SQLModel classes match the tables the migrations create."""

from __future__ import annotations

import psycopg
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)

# Tables kept only for the database's own machinery, read by no use-case through a model.
WITHOUT_MODEL: set[str] = set()


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
    for table in SQLModel.metadata.tables.values():
        if table.schema == "journal":
            assert {c.name for c in table.columns} == in_db.get(table.name), table.name


def test_every_table_has_a_model(fresh_db) -> None:
    models = {t.name for t in SQLModel.metadata.tables.values() if t.schema == "journal"}
    assert set(_catalogue(fresh_db.conninfo)) - models <= WITHOUT_MODEL
