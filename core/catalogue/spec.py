"""What a catalogue list is: its columns (Russian headers), the key of a row, how a parsed row
becomes table values, how it is written and exported.

Each list lives in one of core/catalogue/lists_*.py; core.catalogue.registry names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from core.catalogue.cells import CellError, Parser, text

if TYPE_CHECKING:
    import psycopg
    from sqlmodel import SQLModel

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A column of a list: ``header`` is what the office's sheet and the export call it."""

    field: str
    header: str
    parse: Parser = text
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass
class Lookups:
    """Names → ids of what rows refer to, read once per import (under the person's RLS)."""

    maps: dict[str, dict[Any, Any]] = field(default_factory=dict)
    ambiguous: dict[str, set[Any]] = field(default_factory=dict)

    def find(self, kind: str, key: Any, what: str, shown: str | None = None) -> Any:
        """The id of ``key`` among ``kind``; CellError in Russian when absent or ambiguous."""
        folded = fold(key)
        if folded in self.ambiguous.get(kind, set()):
            raise CellError(f"{shown or key} — таких {what} несколько; уточните")
        found = self.maps.get(kind, {}).get(folded)
        if found is None:
            raise CellError(f"{shown or key} — {what} нет в справочнике")
        return found

    def load(self, conn: psycopg.Connection, kind: str, sql: str) -> None:
        """Fill ``kind`` from ``sql`` returning (key..., id) rows."""
        found: dict[Any, Any] = {}
        twice: set[Any] = set()
        for *key, ident in conn.execute(sql).fetchall():
            k = fold(key[0] if len(key) == 1 else tuple(key))
            if k in found and found[k] != ident:
                twice.add(k)
            found[k] = ident
        self.maps[kind] = found
        self.ambiguous[kind] = twice


@lru_cache(maxsize=65536)
def _fold_text(text: str) -> str:
    return " ".join(text.split()).casefold().replace("ё", "е")


def fold(key: Any) -> Any:
    """Keys compare case-insensitively, «ё» as «е», spaces collapsed."""
    if isinstance(key, str):
        return _fold_text(key)
    if isinstance(key, tuple):
        return tuple(_fold_text(k) if isinstance(k, str) else k for k in key)
    return key


Builder = Callable[[Row, Lookups], Row]
Writer = Callable[["psycopg.Connection", "CatalogueList", list[Row]], tuple[int, int]]


@dataclass(frozen=True)
class CatalogueList:
    """One list of the catalogue, importable and exportable."""

    name: str
    """Russian name on the command line and in menus (студенты)."""
    alias: str
    """English alias (students)."""
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """Fields that name a row: two rows of a file with the same key are duplicates."""
    lookups: dict[str, str]
    """Lookup kind → SQL of (key, id) rows the builder needs."""
    build: Builder
    """Parsed cells → the values written (ids resolved); raises CellError(field: message)."""
    write: Writer
    export_sql: str
    """SQL returning the list's rows in the order of ``columns``."""
    models: tuple[type[SQLModel], ...] = ()
    """SQLModel classes that validate the built values (each takes the fields it has)."""
    table: str = ""
    conflict: tuple[str, ...] = ()
    """For the generic upsert: the table and its unique key."""
    writers: str = "office"
    """Who may import it: "office" (the office and the admin) or "admin"."""
    sample_note: str = ""

    def column(self, name: str) -> Column:
        """The column of field ``name``."""
        return next(c for c in self.columns if c.field == name)


class RowError(CellError):
    """A cell's error, with the field it belongs to."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def need(row: Row, name: str, lookups: Lookups, kind: str, what: str) -> Any:
    """Resolve ``row[name]`` among ``kind`` or raise a RowError on that column."""
    try:
        return lookups.find(kind, row[name], what)
    except CellError as exc:
        raise RowError(name, str(exc)) from None
