"""Reading and writing the office's sheets: CSV and XLSX (openpyxl), as a header and rows.

Every refusal of a whole file is a ValidationError with a Russian message that says what to
do; problems of single cells are left to the preview (core.catalogue.preview).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from kernel.errors import ValidationError

MAX_ROWS = 20_000
"""More data rows than this are refused (the college's largest list, parents, is ~3,000): a
file this long is almost always a whole register exported by mistake, and the preview of
every row must stay readable. Split a longer file."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CSV_ENCODINGS = ("utf-8-sig", "cp1251")


class Formula(str):
    """A cell holding a formula, not a value (its text, e.g. ``=A1+1``)."""

    __slots__ = ()


@dataclass
class Sheet:
    """A table read from a file: headers of the columns and the data rows with their
    numbers as the office sees them (row 1 is the header of a file without a title)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def _refuse(path: Path, what: str) -> ValidationError:
    return ValidationError(f"Файл «{path.name}»: {what}", title="Файл не загружен")


def read_sheet(path: Path) -> Sheet:
    """The first sheet of an XLSX file or the table of a CSV file.

    Raises:
        ValidationError: the file is missing, unreadable, locked, not a spreadsheet, empty,
            has merged or repeated header cells or too many rows.
    """
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise _refuse(path, "такого файла нет. Проверьте имя и папку.") from None
    except IsADirectoryError:
        raise _refuse(path, "это папка, а не файл.") from None
    except OSError as exc:
        raise _refuse(path, f"не читается ({exc.strerror or exc}). Закройте его в других "
                            "программах и проверьте права на чтение.") from None
    if head.startswith(OLE_MAGIC):
        raise _refuse(path, "защищён паролем или сохранён в старом формате Excel 97–2003 "
                            "(.xls). Снимите пароль и сохраните как «Книга Excel (.xlsx)».")
    if head.startswith(ZIP_MAGIC):
        sheet = _read_xlsx(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".docx", ".doc"):
        raise _refuse(path, "это не таблица Excel (.xlsx). Сохраните её как .xlsx или .csv.")
    else:
        sheet = _read_csv(path)
    return _checked(path, sheet)


def _checked(path: Path, sheet: Sheet) -> Sheet:
    if not sheet.headers:
        raise _refuse(path, "пустой: нет ни заголовка, ни строк.")
    seen: dict[str, int] = {}
    for n, header in enumerate(sheet.headers):
        if not header:
            continue
        key = header.casefold()
        if key in seen:
            raise _refuse(path, f"столбец «{header}» повторяется (столбцы {seen[key] + 1} и "
                                f"{n + 1}). Оставьте один.")
        seen[key] = n
    if not sheet.rows:
        raise _refuse(path, "в нём только заголовок, строк с данными нет.")
    if len(sheet.rows) > MAX_ROWS:
        raise _refuse(path, f"{len(sheet.rows)} строк, а за один раз загружается не больше "
                            f"{MAX_ROWS}. Разделите файл на части.")
    return sheet


def _blank(values: list[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _header(values: list[object]) -> list[str]:
    headers = [" ".join(str(v).split()) if v is not None else "" for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise _refuse(path, "это не таблица: в нём двоичные данные. Нужен .xlsx или .csv.")
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte but 0x98
        raise _refuse(path, "не удалось прочитать текст: сохраните файл в кодировке UTF-8.")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    sheet = Sheet(path.name, header)
    for number, row in enumerate(reader, start=1):
        values: list[object] = list(row)
        if _blank(values):
            continue
        if not sheet.headers:
            sheet.headers = _header(values)
            continue
        sheet.rows.append((number, [_csv_value(v) for v in row]))
    return sheet


def _csv_value(text: str) -> object:
    text = text.strip()
    if text.startswith("=") and len(text) > 1:
        return Formula(text)
    return text or None


def _xlsx_rows(path: Path) -> int:
    """Rows of the first sheet, from its stored dimension or counted up to past the limit."""
    import openpyxl

    probe = openpyxl.load_workbook(path, read_only=True)
    rows = probe.worksheets[0].max_row or 0
    if not probe.worksheets[0].max_row:
        for rows, _ in enumerate(probe.worksheets[0].iter_rows(values_only=True)):
            if rows > MAX_ROWS + 50:
                break
    probe.close()
    return rows


def _read_xlsx(path: Path) -> Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        rows = _xlsx_rows(path)
        if rows > MAX_ROWS + 50:
            raise _refuse(path, f"{rows} строк, а за один раз загружается не больше "
                                f"{MAX_ROWS}. Разделите файл на части.")
        book = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _refuse(path, f"это не таблица Excel или файл повреждён ({exc}). Откройте его "
                            "в Excel и сохраните заново как .xlsx.") from None
    sheet_ws = book.worksheets[0]
    header_row = 0
    sheet = Sheet(sheet_ws.title, [])
    for cells in sheet_ws.iter_rows():
        values = [_xlsx_value(c) for c in cells]
        if _blank(values):
            continue
        number = cells[0].row
        if not sheet.headers:
            header_row = number
            sheet.headers = _header(values)
            continue
        sheet.rows.append((number, values))
    for merged in sheet_ws.merged_cells.ranges:
        if merged.min_row <= header_row <= merged.max_row:
            raise _refuse(path, f"в заголовке объединены ячейки {merged.coord}. Разъедините "
                                "их: у каждого столбца должен быть свой заголовок.")
    book.close()
    return sheet


def _xlsx_value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", "") == "f" or (isinstance(value, str) and
                                                 value.startswith("=") and len(value) > 1):
        return Formula(str(value))
    if isinstance(value, str):
        return value.strip() or None
    return value


def _text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def write_sheet(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    """Write a table as XLSX (by the suffix .xlsx) or CSV (UTF-8 with BOM, «;»)."""
    try:
        if path.suffix.lower() == ".xlsx":
            import openpyxl

            book = openpyxl.Workbook(write_only=True)
            ws = book.create_sheet(path.stem[:31] or "Лист1")
            ws.append(headers)
            for row in rows:
                ws.append([_text(v) for v in row])
            book.save(path)
            return
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";")
            writer.writerow(headers)
            writer.writerows([_text(v) for v in row] for row in rows)
    except OSError as exc:
        raise _refuse(path, f"не записывается ({exc.strerror or exc}). Проверьте папку и "
                            "права на запись.") from None
