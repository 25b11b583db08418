"""Import and export of a catalogue list, on the person's own connection (RLS decides).

An import writes in one transaction: every row passes, or (on explicit confirmation) only
the valid rows are written; otherwise nothing is. A file imported twice changes nothing; a
changed row is updated and the change goes to the history (0050).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from core.catalogue.preview import Preview, auto_mapping, build_preview
from core.catalogue.registry import LISTS, find_list
from core.catalogue.sheets import Sheet, read_sheet, write_sheet
from core.catalogue.spec import CatalogueList, fold
from core.preferences import read_pref, write_pref
from db.connect import transaction
from db.errors import translate
from kernel.errors import AccessDenied, ValidationError


@dataclass
class ImportResult:
    """What an import did (or, without ``written``, would do)."""

    preview: Preview
    inserted: int = 0
    updated: int = 0
    written: bool = False
    seconds: float = 0.0
    """How long reading, checking and writing took."""

    def summary(self) -> str:
        """One Russian sentence for the status line or the terminal."""
        p = self.preview
        if self.written:
            return (f"Загружено: новых {self.inserted}, изменено {self.updated}, без изменений "
                    f"{len(p.rows) - self.inserted - self.updated}"
                    + (f"; пропущено строк с ошибками: {p.bad_rows}." if p.problems else "."))
        if p.problems:
            return (f"Ничего не записано: строк с ошибками {p.bad_rows} из {p.total}. "
                    "Исправьте файл или загрузите только верные строки.")
        return f"Проверка пройдена: {len(p.rows)} строк готовы к загрузке; ничего не записано."


def remembered_mapping(login: str, spec: CatalogueList) -> dict[str, str]:
    """The person's earlier choices of columns for this list (header → field)."""
    value = read_pref(login, f"import-columns-{spec.alias}")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def remember_mapping(login: str, spec: CatalogueList, mapping: dict[str, str],
                     headers: list[str]) -> None:
    """Keep the person's choices (a header left out is remembered as left out)."""
    known = remembered_mapping(login, spec)
    known.update({fold(h): mapping.get(h, "") for h in headers if h})
    write_pref(login, f"import-columns-{spec.alias}", known)


def prepare(conn: psycopg.Connection, spec: CatalogueList, path: Path, *,
            mapping: dict[str, str] | None = None, remembered: dict[str, str] | None = None,
            defaults: dict[str, Any] | None = None) -> tuple[Sheet, Preview]:
    """Read the file and preview it (nothing written)."""
    sheet = read_sheet(path)
    chosen = mapping if mapping is not None else auto_mapping(spec, sheet.headers, remembered)
    try:
        return sheet, build_preview(conn, spec, sheet, chosen, defaults)
    except psycopg.Error as exc:
        raise translate(exc) from exc


def write(conn: psycopg.Connection, preview: Preview, *, only_valid: bool = False,
          reason: str = "") -> ImportResult:
    """Write the previewed rows in one transaction (all of them pass, or ``only_valid``)."""
    result = ImportResult(preview)
    if preview.problems and not only_valid:
        return result
    rows = [r for _, r in preview.rows]
    if not rows:
        raise ValidationError("В файле нет ни одной верной строки — записывать нечего.")
    spec = preview.spec
    try:
        with transaction(conn, reason or f"загрузка списка «{spec.title}»"):
            result.inserted, result.updated = spec.write(conn, spec, rows)
    except psycopg.Error as exc:
        error = translate(exc)
        if isinstance(error, AccessDenied):
            who = ("только заведующий учебной частью" if spec.writers == "admin"
                   else "учебная часть и заведующий учебной частью")
            raise AccessDenied(f"Список «{spec.title}» меняет {who}; ничего не записано.") from exc
        raise error from exc
    result.written = True
    return result


def import_file(conn: psycopg.Connection, spec: CatalogueList, path: Path, *,
                dry_run: bool = False, only_valid: bool = False,
                remembered: dict[str, str] | None = None,
                defaults: dict[str, Any] | None = None) -> ImportResult:
    """Preview ``path`` and, unless ``dry_run``, write it."""
    started = time.perf_counter()
    _, preview = prepare(conn, spec, path, remembered=remembered, defaults=defaults)
    result = ImportResult(preview) if dry_run else write(conn, preview, only_valid=only_valid)
    result.seconds = time.perf_counter() - started
    return result


def export_rows(conn: psycopg.Connection, spec: CatalogueList) -> list[list[object]]:
    """The list's rows as the person sees them, in the order of its columns."""
    try:
        return [list(r) for r in conn.execute(spec.export_sql).fetchall()]
    except psycopg.Error as exc:
        raise translate(exc) from exc


def export_file(conn: psycopg.Connection, spec: CatalogueList, path: Path) -> int:
    """Write the list to ``path`` (.xlsx or .csv) with its Russian headers; rows written."""
    rows = export_rows(conn, spec)
    write_sheet(path, [c.header for c in spec.columns], rows)
    return len(rows)


__all__ = ["LISTS", "ImportResult", "export_file", "export_rows", "import_file", "prepare",
           "remember_mapping", "remembered_mapping", "write"]


def list_of_file(path: Path) -> CatalogueList:
    """The list a sample file holds, by its name: ``07-учебный-план.xlsx``, ``14-ктп-2.csv``."""
    stem = path.stem.split("-", 1)[1] if path.stem[:2].isdigit() else path.stem

    try:
        return find_list(stem)
    except ValidationError:
        return find_list(stem.rsplit("-", 1)[0])


def import_folder(conn: psycopg.Connection, folder: Path) -> list[tuple[Path, ImportResult]]:
    """Import every sheet of ``folder`` in name order (the samples' order of setup); stops
    at the first file that does not pass whole."""
    done = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx")):
        result = import_file(conn, list_of_file(path), path)
        done.append((path, result))
        if not result.written:
            break
    return done
