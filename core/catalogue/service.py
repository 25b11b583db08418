"""The catalogue's use-cases for the screens, on a logged-in person's session (called from
worker threads, one statement at a time under the session's lock)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import select

from core.catalogue import importer
from core.catalogue.importer import ImportResult
from core.catalogue.orm import orm_session
from core.catalogue.preview import Preview, auto_mapping, build_preview
from core.catalogue.sheets import Sheet, read_sheet
from core.catalogue.spec import CatalogueList
from core.session import UserSession
from db.errors import translate
from kernel.errors import ValidationError


def rows_of(session: UserSession, spec: CatalogueList) -> list[list[object]]:
    """The list's rows as the person sees them."""
    with session.cursor() as cur:
        return importer.export_rows(cur.connection, spec)


def read_file(session: UserSession, spec: CatalogueList,
              path: Path) -> tuple[Sheet, dict[str, str]]:
    """The file's table and the columns it maps to (the person's earlier choices first)."""
    sheet = read_sheet(path)
    return sheet, auto_mapping(spec, sheet.headers,
                               importer.remembered_mapping(session.person.login, spec))


def check(session: UserSession, spec: CatalogueList, sheet: Sheet, mapping: dict[str, str],
          defaults: dict[str, Any] | None = None) -> Preview:
    """The preview of ``sheet`` with the chosen mapping and values given for every row of
    columns the file lacks (nothing written)."""
    with session.cursor() as cur:
        try:
            return build_preview(cur.connection, spec, sheet, mapping, defaults)
        except psycopg.Error as exc:
            raise translate(exc) from exc


def load(session: UserSession, preview: Preview, *, only_valid: bool,
         headers: list[str]) -> ImportResult:
    """Write the previewed rows; remember the person's mapping for this list."""
    with session.cursor() as cur:
        result = importer.write(cur.connection, preview, only_valid=only_valid)
    importer.remember_mapping(session.person.login, preview.spec, preview.mapping, headers)
    return result


def export(session: UserSession, spec: CatalogueList, path: Path) -> int:
    """Write the list to ``path``; the number of rows."""
    with session.cursor() as cur:
        return importer.export_file(cur.connection, spec, path)


def save_row(session: UserSession, spec: CatalogueList, values: dict[str, Any]) -> ImportResult:
    """Add or change one row (typed on the screen) through the import's own checks: the row
    is found by the list's key, a changed row is updated with history."""
    columns = [c.header for c in spec.columns]
    sheet = Sheet(spec.title, columns, [(1, [values.get(c.field) for c in spec.columns])])
    preview = check(session, spec, sheet, {c.header: c.field for c in spec.columns})
    if preview.problems:
        raise ValidationError("; ".join(p.message if not p.header else f"«{p.header}»: "
                                        f"{p.message}" for p in preview.problems),
                              title="Строка не сохранена")
    with session.cursor() as cur:
        return importer.write(cur.connection, preview)


def delete_row(session: UserSession, spec: CatalogueList, values: dict[str, Any]) -> None:
    """Delete a row that nothing uses (through its SQLModel class, on the person's own
    connection: RLS decides); otherwise refuse with the reason in Russian."""
    if not spec.conflict or not spec.models:
        raise ValidationError(f"Строки списка «{spec.title}» здесь не удаляются: студентов "
                              "отчисляют и переводят, сотрудников блокируют, родителей отвязывают "
                              "в их разделах.", title="Удаление")
    sheet = Sheet(spec.title, [c.header for c in spec.columns],
                  [(1, [values.get(c.field) for c in spec.columns])])
    preview = check(session, spec, sheet, {c.header: c.field for c in spec.columns})
    if preview.problems or not preview.rows:
        raise ValidationError("; ".join(str(p) for p in preview.problems) or "строка не найдена")
    built = preview.rows[0][1]
    model = spec.models[0]
    with session.cursor() as cur, orm_session(cur.connection) as orm:
        found = orm.exec(select(model).where(
            *[getattr(model, c) == built[c] for c in spec.conflict])).first()
        if found is None:
            raise ValidationError("Строка не найдена: её уже удалили или у вас нет прав на неё.",
                                  title="Удалить нельзя")
        orm.delete(found)
        try:
            orm.commit()
        except IntegrityError:
            orm.rollback()
            raise ValidationError("Эта строка используется (на неё ссылаются группы, нагрузка, "
                                  "расписание или журнал), поэтому её нельзя удалить. Сначала "
                                  "измените то, что на неё ссылается.",
                                  title="Удалить нельзя") from None
        except DBAPIError as exc:
            orm.rollback()
            if isinstance(exc.orig, psycopg.Error):
                raise translate(exc.orig) from exc
            raise
