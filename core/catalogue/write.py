"""Set-based writes of imported rows: one statement per table, unchanged rows untouched (so
the same file twice changes nothing and leaves no history), changed rows updated (the
history triggers of 0050 record them)."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.dialects import postgresql
from sqlmodel import SQLModel

from core.catalogue.spec import CatalogueList, Row

DIALECT = postgresql.dialect()


def _json(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def payload(rows: list[Row]) -> str:
    """Rows as a JSON array for jsonb_to_recordset."""
    return json.dumps([{k: _json(v) for k, v in r.items()} for r in rows], ensure_ascii=False)


def sql_types(model: type[SQLModel], columns: list[str]) -> sql.Composed:
    """``col type, …`` of the model's table, for jsonb_to_recordset's column list."""
    table = model.__table__  # type: ignore[attr-defined]
    parts = []
    for name in columns:
        kind = table.columns[name].type.compile(dialect=DIALECT)
        parts.append(sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)))
    return sql.SQL(", ").join(parts)


def upsert(conn: psycopg.Connection, model: type[SQLModel], conflict: tuple[str, ...],
           rows: list[Row], returning: str = "") -> tuple[int, int, list[tuple[Any, ...]]]:
    """Insert new rows, update the changed ones (by ``conflict``); (inserted, updated, the
    ``returning`` values of both)."""
    if not rows:
        return 0, 0, []
    table = model.__tablename__
    columns = list(rows[0])
    target = sql.Identifier("journal", str(table))
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    rest = [c for c in columns if c not in conflict]
    action: sql.Composable
    if rest:
        action = sql.SQL("DO UPDATE SET {} WHERE ({}) IS DISTINCT FROM ({})").format(
            sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c))
                               for c in rest),
            sql.SQL(", ").join(sql.SQL("{}.{}").format(target, sql.Identifier(c))
                               for c in rest) + sql.SQL(", NULL"),
            sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(c))
                               for c in rest) + sql.SQL(", NULL"))
    else:
        action = sql.SQL("DO NOTHING")
    extra = sql.SQL(", " + returning) if returning else sql.SQL("")
    query = sql.SQL("INSERT INTO {t} ({cols}) SELECT {cols} FROM jsonb_to_recordset(%s::jsonb) "
                    "AS r({types}) ON CONFLICT ({key}) {action} RETURNING (xmax = 0){extra}"
                    ).format(t=target, cols=cols, types=sql_types(model, columns),
                             key=sql.SQL(", ").join(map(sql.Identifier, conflict)),
                             action=action, extra=extra)
    got = conn.execute(query, (payload(rows),)).fetchall()
    inserted = sum(1 for r in got if r[0])
    return inserted, len(got) - inserted, [tuple(r[1:]) for r in got]


def generic_writer(conn: psycopg.Connection, spec: CatalogueList,
                   rows: list[Row]) -> tuple[int, int]:
    """The writer of a list kept in one table with a unique key."""
    inserted, updated, _ = upsert(conn, spec.models[0], spec.conflict, rows)
    return inserted, updated


def update_changed(conn: psycopg.Connection, model: type[SQLModel], key: tuple[str, ...],
                   rows: list[Row]) -> int:
    """UPDATE the rows (matched by ``key``) whose other values differ; the number changed."""
    if not rows:
        return 0
    columns = list(rows[0])
    rest = [c for c in columns if c not in key]
    target = sql.Identifier("journal", str(model.__tablename__))
    query = sql.SQL("UPDATE {t} AS t SET {sets} FROM jsonb_to_recordset(%s::jsonb) AS r({types}) "
                    "WHERE {match} AND ({old}, NULL) IS DISTINCT FROM ({new}, NULL)").format(
        t=target, types=sql_types(model, columns),
        sets=sql.SQL(", ").join(sql.SQL("{0} = r.{0}").format(sql.Identifier(c)) for c in rest),
        match=sql.SQL(" AND ").join(sql.SQL("t.{0} = r.{0}").format(sql.Identifier(c))
                                    for c in key),
        old=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in rest),
        new=sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(c)) for c in rest))
    return conn.execute(query, (payload(rows),)).rowcount
