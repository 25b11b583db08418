"""The column mapping and the preview of an import: every row parsed, its references found,
its values validated by the SQLModel classes; errors per row and column in Russian.

Nothing here writes. The lookups are read on the person's own connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import psycopg
from pydantic import BaseModel, create_model
from pydantic import ValidationError as ModelError
from sqlmodel import SQLModel

from core.catalogue.cells import CellError, check_formula, shown
from core.catalogue.sheets import Formula, Sheet
from core.catalogue.spec import CatalogueList, Lookups, Row, RowError, fold
from kernel.errors import ValidationError


@dataclass(frozen=True)
class Problem:
    """What is wrong with a row (and which column, when it is one cell)."""

    row: int
    header: str
    message: str

    def __str__(self) -> str:
        where = f"строка {self.row}, «{self.header}»" if self.header else f"строка {self.row}"
        return f"{where}: {self.message}"


@dataclass
class Preview:
    """A parsed file: the rows ready to write and the problems of the others."""

    spec: CatalogueList
    mapping: dict[str, str]
    """Header of the file → field of the list."""
    ignored: list[str]
    rows: list[tuple[int, Row]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> int:
        """Rows with at least one problem."""
        return len({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        """Every row passes."""
        return not self.problems


def auto_mapping(spec: CatalogueList, headers: list[str],
                 remembered: dict[str, str] | None = None) -> dict[str, str]:
    """Which field each header of the file fills: the person's earlier choice for this
    list, else the column's own header or one of its aliases (case and «ё» ignored)."""
    fields = {c.field for c in spec.columns}
    names = {fold(n): c.field for c in spec.columns for n in (c.header, *c.aliases)}
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    for header in headers:
        if not header:
            continue
        chosen = remembered.get(fold(header))
        if chosen == "":
            continue
        found = chosen if chosen in fields else names.get(fold(header))
        if found and found not in mapping.values():
            mapping[header] = found
    return mapping


def missing_columns(spec: CatalogueList, mapping: dict[str, str],
                    defaults: dict[str, Any]) -> list[str]:
    """Headers of required columns neither mapped nor given a value for every row."""
    have = set(mapping.values()) | set(defaults)
    return [c.header for c in spec.columns if c.required and c.field not in have]


def load_lookups(conn: psycopg.Connection, spec: CatalogueList) -> Lookups:
    """What the list's rows refer to, as the person sees it."""
    lookups = Lookups()
    for kind, query in spec.lookups.items():
        lookups.load(conn, kind, query)
    return lookups


def _parse_row(columns: list[tuple[str, str, Any, bool]], raw: dict[str, object],
               number: int, problems: list[Problem]) -> Row:
    """``columns``: (field, header shown, parser, required) of the list's columns."""
    values: Row = {}
    for name, header, parse, required in columns:
        value = raw.get(name)
        if value is None or (value.__class__ is str and not value.strip()):
            if required:
                problems.append(Problem(number, header, "пусто, а это обязательное поле"))
            elif name in raw:  # an empty cell clears; a column not in the file keeps
                values[name] = None
            continue
        try:
            if isinstance(value, Formula):
                check_formula(value)
            values[name] = parse(value)
        except CellError as exc:
            problems.append(Problem(number, header, str(exc)))
    return values


@cache
def _checker(model: type[SQLModel]) -> tuple[type[BaseModel], frozenset[str]]:
    """A plain pydantic model with the SQLModel class's fields (validating through the table
    class itself costs ~0.5 ms a row: 15 s for a college)."""
    fields: dict[str, Any] = {
        name: (info.annotation, None if not info.is_required() else ...)
        for name, info in model.model_fields.items()}
    return create_model(f"{model.__name__}Check", **fields), frozenset(fields)


def _validate(spec: CatalogueList, built: Row) -> str | None:
    """The verdict of the SQLModel classes' fields on the values (fields each model has;
    missing ids of rows still to be created are not errors)."""
    for model in spec.models:
        checker, names = _checker(model)
        try:
            checker.model_validate({k: v for k, v in built.items()
                                    if k in names and not (v is None and k.endswith("id"))})
        except ModelError as exc:
            wrong = [e for e in exc.errors() if e["type"] != "missing"]
            if wrong:
                return "значение не подходит: " + ", ".join(str(e["loc"][0]) for e in wrong)
    return None


def build_preview(conn: psycopg.Connection, spec: CatalogueList, sheet: Sheet,
                  mapping: dict[str, str], defaults: dict[str, Any] | None = None) -> Preview:
    """Parse and check every row of ``sheet``.

    Raises:
        ValidationError: a required column is missing from the mapping.
    """
    defaults = defaults or {}
    missing = missing_columns(spec, mapping, defaults)
    if missing:
        raise ValidationError("В файле нет " + ", ".join(f"«{m}»" for m in missing) +
                              ". Сопоставьте столбцы или добавьте их в файл.",
                              title="Не хватает столбцов")
    position = {h: i for i, h in enumerate(sheet.headers)}
    ignored = [h for h in sheet.headers if h and h not in mapping]
    headers = {f: h for h, f in mapping.items()}
    columns = [(c.field, headers.get(c.field, c.header), c.parse, c.required)
               for c in spec.columns]
    taken = [(position[h], f) for h, f in mapping.items()]
    lookups = load_lookups(conn, spec)
    preview = Preview(spec, mapping, ignored, total=len(sheet.rows))
    seen: dict[Any, int] = {}
    for number, cells in sheet.rows:
        raw = dict(defaults)
        width = len(cells)
        for index, name in taken:
            raw[name] = cells[index] if index < width else None
        before = len(preview.problems)
        values = _parse_row(columns, raw, number, preview.problems)
        if len(preview.problems) > before:
            continue
        key = tuple(fold(values.get(k)) for k in spec.key)
        if key in seen:
            shown_key = ", ".join(shown(values[k]) for k in spec.key if values.get(k))
            preview.problems.append(Problem(number, "", f"повторяет строку {seen[key]} "
                                                        f"({shown_key})"))
            continue
        seen[key] = number
        try:
            built = spec.build(values, lookups)
        except RowError as exc:
            header = headers.get(exc.field, spec.column(exc.field).header)
            preview.problems.append(Problem(number, header, str(exc)))
            continue
        wrong = _validate(spec, built)
        if wrong:
            preview.problems.append(Problem(number, "", wrong))
            continue
        preview.rows.append((number, built))
    return preview
