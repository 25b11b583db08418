"""Lists of the year: academic years, periods, holidays and breaks, bells (the admin's)."""

from __future__ import annotations

import re

import psycopg

from core.catalogue import cells
from core.catalogue.cells import CellError
from core.catalogue.models import AcademicYear, Bell, Holiday, Period
from core.catalogue.spec import CatalogueList, Column, Lookups, Row, RowError, need
from core.catalogue.write import generic_writer, update_changed, upsert

YEARS_SQL = "SELECT title, id FROM journal.academic_year"
YEAR = Column("year", "Учебный год", aliases=("Год",))


def year_title(value: object) -> str:
    """2026/2027 (also 2026-2027, 2026–2027)."""
    raw = cells.text(value)
    match = re.fullmatch(r"(\d{4})\s*[/–—-]\s*(\d{4})", raw)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise CellError(f"{raw} — пишите учебный год как 2026/2027")
    return f"{match[1]}/{match[2]}"


def _dates(row: Row) -> None:
    if row["ends_on"] < row["starts_on"]:
        raise RowError("ends_on", f"{row['ends_on']:%d.%m.%Y} — раньше начала")


def _build_year(row: Row, lookups: Lookups) -> Row:
    _dates(row)
    return {"title": row["year"], "starts_on": row["starts_on"], "ends_on": row["ends_on"]}


YEARS = CatalogueList(
    name="годы", alias="years", title="Учебные годы",
    columns=(Column("year", "Учебный год", year_title, aliases=("Год",)),
             Column("starts_on", "Начало", cells.day, aliases=("Дата начала",)),
             Column("ends_on", "Окончание", cells.day, aliases=("Конец", "Дата окончания"))),
    key=("year",), lookups={}, build=_build_year, write=generic_writer,
    export_sql="SELECT title, starts_on, ends_on FROM journal.academic_year ORDER BY starts_on",
    models=(AcademicYear,), conflict=("title",), writers="admin")


def _build_period(row: Row, lookups: Lookups) -> Row:
    _dates(row)
    return {"year_id": need(row, "year", lookups, "year", "учебного года"),
            "number": row["number"], "title": row.get("title") or f"{row['number']} семестр",
            "starts_on": row["starts_on"], "ends_on": row["ends_on"]}


PERIODS = CatalogueList(
    name="периоды", alias="periods", title="Периоды (семестры)",
    columns=(Column("year", "Учебный год", year_title, aliases=("Год",)),
             Column("number", "Номер", cells.integer(1, 4), aliases=("Семестр", "№")),
             Column("title", "Наименование", required=False, aliases=("Название",)),
             Column("starts_on", "Начало", cells.day, aliases=("Дата начала",)),
             Column("ends_on", "Окончание", cells.day, aliases=("Конец", "Дата окончания"))),
    key=("year", "number"), lookups={"year": YEARS_SQL}, build=_build_period,
    write=generic_writer,
    export_sql="SELECT y.title, p.number, p.title, p.starts_on, p.ends_on FROM journal.period p "
               "JOIN journal.academic_year y ON y.id = p.year_id ORDER BY p.starts_on",
    models=(Period,), conflict=("year_id", "number"), writers="admin")

KINDS = {"каникулы": "каникулы", "праздник": "праздник", "практика": "практика",
         "праздничный день": "праздник", "практики": "практика"}


def _build_holiday(row: Row, lookups: Lookups) -> Row:
    _dates(row)
    return {"year_id": need(row, "year", lookups, "year", "учебного года"),
            "starts_on": row["starts_on"], "ends_on": row["ends_on"], "title": row["title"],
            "kind": row.get("kind") or "каникулы"}


def _write_holidays(conn: psycopg.Connection, spec: CatalogueList,
                    rows: list[Row]) -> tuple[int, int]:
    """Holidays have no unique key in the table: a row is the same when its year, start and
    title are; its end and kind are updated."""
    known = {(y, s, t.casefold()): i for i, y, s, t in conn.execute(
        "SELECT id, year_id, starts_on, title FROM journal.holiday").fetchall()}
    new, old = [], []
    for r in rows:
        ident = known.get((r["year_id"], r["starts_on"], r["title"].casefold()))
        if ident is None:
            new.append(r)
        else:
            old.append({"id": ident, "ends_on": r["ends_on"], "kind": r["kind"]})
    if new:
        conn.cursor().executemany(
            "INSERT INTO journal.holiday (year_id, starts_on, ends_on, title, kind) "
            "VALUES (%(year_id)s, %(starts_on)s, %(ends_on)s, %(title)s, %(kind)s)", new)
    return len(new), update_changed(conn, Holiday, ("id",), old)


HOLIDAYS = CatalogueList(
    name="каникулы", alias="holidays", title="Каникулы, праздники, практика",
    columns=(YEAR, Column("starts_on", "Начало", cells.day, aliases=("С",)),
             Column("ends_on", "Окончание", cells.day, aliases=("По", "Конец")),
             Column("title", "Наименование", aliases=("Название",)),
             Column("kind", "Вид", cells.choice(KINDS, "вид перерыва"), required=False)),
    key=("year", "starts_on", "title"), lookups={"year": YEARS_SQL}, build=_build_holiday,
    write=_write_holidays,
    export_sql="SELECT y.title, h.starts_on, h.ends_on, h.title, h.kind FROM journal.holiday h "
               "JOIN journal.academic_year y ON y.id = h.year_id ORDER BY h.starts_on",
    models=(Holiday,), writers="admin")


def _build_bell(row: Row, lookups: Lookups) -> Row:
    if row["ends_at"] <= row["starts_at"]:
        raise RowError("ends_at", f"{row['ends_at']:%H:%M} — не позже начала")
    return {"year_id": need(row, "year", lookups, "year", "учебного года"),
            "pair_no": row["pair_no"], "starts_at": row["starts_at"], "ends_at": row["ends_at"],
            "hours": row.get("hours") or 2}


def _write_bells(conn: psycopg.Connection, spec: CatalogueList,
                 rows: list[Row]) -> tuple[int, int]:
    inserted, updated, _ = upsert(conn, Bell, ("year_id", "pair_no"), rows)
    return inserted, updated


BELLS = CatalogueList(
    name="звонки", alias="bells", title="Расписание звонков",
    columns=(YEAR, Column("pair_no", "Пара", cells.integer(1, 8), aliases=("№ пары", "Номер")),
             Column("starts_at", "Начало", cells.clock), Column("ends_at", "Окончание", cells.clock,
                                                              aliases=("Конец",)),
             Column("hours", "Академических часов", cells.integer(1, 4), required=False,
                    aliases=("Часы", "Часов"))),
    key=("year", "pair_no"), lookups={"year": YEARS_SQL}, build=_build_bell, write=_write_bells,
    export_sql="SELECT y.title, b.pair_no, b.starts_at, b.ends_at, b.hours FROM journal.bell b "
               "JOIN journal.academic_year y ON y.id = b.year_id ORDER BY y.starts_on, b.pair_no",
    models=(Bell,), writers="admin")
