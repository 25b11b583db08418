"""Importing the office's sheets: the preview's Russian errors per row and column, nothing
half-written, the same file twice changes nothing, a changed row updates with history."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from core.catalogue.importer import import_file, prepare, write
from core.catalogue.registry import find_list
from kernel.errors import ValidationError

HEADER = "Фамилия;Имя;Отчество;Дата рождения;Группа;Номер зачётной книжки;Дата зачисления\n"
ROWS = ("Орлова;Анна;Игоревна;12.03.2008;ИС-24-1;Н-101;01.09.2024\n"
        "Петров;Иван;;05.11.2007;ИС-24-2;Н-102;01.09.2024\n"
        "Сидоров;Пётр;Олегович;31.01.2008;ИС-24-1;Н-103;01.09.2024\n")


def _csv(tmp_path: Path, text: str, name: str = "студенты.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(su, table: str = "student") -> int:
    return su.execute(f"SELECT count(*) FROM journal.{table}").fetchone()[0]


def _history(su) -> int:
    return su.execute("SELECT count(*) FROM journal.change_log").fetchone()[0]


def test_same_file_twice_changes_nothing_and_a_changed_row_updates_with_history(
        tmp_path, login_as, su) -> None:
    office, students = login_as("office"), find_list("студенты")
    path = _csv(tmp_path, HEADER + ROWS)
    first = import_file(office, students, path)
    assert (first.written, first.inserted, first.updated) == (True, 3, 0)
    before, history = _count(su), _history(su)
    again = import_file(office, students, path)
    assert (again.written, again.inserted, again.updated) == (True, 0, 0)
    assert (_count(su), _history(su)) == (before, history)
    path.write_text(HEADER + ROWS.replace("12.03.2008", "13.03.2008"), encoding="utf-8")
    changed = import_file(office, students, path)
    assert (changed.inserted, changed.updated) == (0, 1)
    rows = su.execute("SELECT table_name, old_value->>'birth_date', new_value->>'birth_date', "
                      "changed_by FROM journal.change_log ORDER BY id OFFSET %s",
                      (history,)).fetchall()
    assert [r[:3] for r in rows] == [("person", "2008-03-12", "2008-03-13")]


def test_a_bad_row_is_shown_in_russian_and_nothing_is_written(tmp_path, login_as, su) -> None:
    office, students = login_as("office"), find_list("students")
    path = _csv(tmp_path, HEADER + ROWS.replace("31.01.2008", "31.02.2008"))
    before = _count(su, "person")
    result = import_file(office, students, path)
    assert not result.written and _count(su, "person") == before
    assert [str(p) for p in result.preview.problems] == [
        "строка 4, «Дата рождения»: 31.02.2008 — такой даты нет"]
    only = write(office, result.preview, only_valid=True)
    assert (only.written, only.inserted) == (True, 2)
    assert _count(su, "person") == before + 2


def test_dry_run_writes_nothing(tmp_path, login_as, su) -> None:
    before = _count(su)
    result = import_file(login_as("office"), find_list("студенты"), _csv(tmp_path, HEADER + ROWS),
                         dry_run=True)
    assert result.preview.ok and not result.written and _count(su) == before


def test_headers_in_any_order_with_aliases(tmp_path, login_as) -> None:
    text = ("Дата зачисления;№ зачётной книжки;Группа;Имя;Фамилия;Лишний столбец\n"
            "01.09.2024;Н-201;ис-24-1;Анна;Орлова;что-то\n")
    _, preview = prepare(login_as("office"), find_list("студенты"), _csv(tmp_path, text))
    assert preview.ok and preview.ignored == ["Лишний столбец"]
    assert preview.rows[0][1]["record_book_no"] == "Н-201"


def test_unknown_group_and_discipline_names(tmp_path, login_as) -> None:
    office = login_as("office")
    _, students = prepare(office, find_list("студенты"),
                          _csv(tmp_path, HEADER + ROWS.replace("ИС-24-2", "ИС-25-9")))
    assert [str(p) for p in students.problems] == [
        "строка 3, «Группа»: ИС-25-9 — группы нет в справочнике"]
    plan = ("Специальность;Год набора;Дисциплина;Семестр;Всего часов\n"
            "09.02.07;2024;Астрология;1;72\n")
    _, items = prepare(office, find_list("учебный-план"), _csv(tmp_path, plan, "план.csv"))
    assert [str(p) for p in items.problems] == [
        "строка 2, «Дисциплина»: Астрология — дисциплины нет в справочнике"]


def test_duplicates_are_refused_per_row(tmp_path, login_as) -> None:
    _, preview = prepare(login_as("office"), find_list("студенты"),
                         _csv(tmp_path, HEADER + ROWS + ROWS.splitlines()[0] + "\n"))
    assert [str(p) for p in preview.problems] == ["строка 5: повторяет строку 2 (Н-101)"]


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "студенты.xlsx",
          merge: str = "") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    path = tmp_path / name
    book.save(path)
    return path


XLSX_HEADER = ["Фамилия", "Имя", "Дата рождения", "Группа", "Номер зачётной книжки",
               "Дата зачисления"]


def test_formulas_and_dates_stored_as_numbers(tmp_path, login_as) -> None:
    path = _xlsx(tmp_path, [XLSX_HEADER,
                            ["Орлова", "Анна", 39497, "ИС-24-1", "Н-301", "01.09.2024"],
                            ["Петров", "Иван", "=DATE(2008,1,1)", "ИС-24-1", "Н-302", "01.09.2024"]])
    _, preview = prepare(login_as("office"), find_list("студенты"), path)
    assert preview.rows[0][1]["birth_date"].isoformat() == "2008-02-19"
    assert [str(p) for p in preview.problems] == [
        "строка 3, «Дата рождения»: =DATE(2008,1,1) — формула вместо значения. Вставьте "
        "значения («Специальная вставка → Значения») и сохраните файл."]


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: _csv(d, "", "пусто.csv"), "пустой"),
    (lambda d: _csv(d, HEADER, "заголовок.csv"), "только заголовок"),
    (lambda d: _csv(d, "Фамилия;Фамилия\nА;Б\n", "два.csv"), "повторяется"),
    (lambda d: _xlsx(d, [["Список студентов", None, None], ["a", "b", "c"]], merge="A1:C1"),
     "объединены ячейки A1:C1"),
    (lambda d: _write(d / "не-таблица.xlsx", b"%PDF-1.4 not a spreadsheet"), "не таблица Excel"),
    (lambda d: _write(d / "картинка.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "двоичные данные"),
    (lambda d: _write(d / "пароль.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
     "защищён паролем"),
    (lambda d: d / "нет-такого.xlsx", "такого файла нет"),
    (lambda d: d, "это папка"),
    (lambda d: _csv(d, HEADER + "".join(f"Ф{i};И;;;ИС-24-1;Б-{i};01.09.2024\n"
                                        for i in range(50_000)), "большой.csv"),
     "50000 строк, а за один раз загружается не больше 20000"),
])
def test_bad_files_are_refused_whole_with_a_russian_message(tmp_path, login_as, su, make,
                                                            message) -> None:
    before = _count(su, "person")
    with pytest.raises(ValidationError) as caught:
        import_file(login_as("office"), find_list("студенты"), make(tmp_path))
    assert message in caught.value.message
    assert _count(su, "person") == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_large_xlsx_is_refused_before_it_is_read(tmp_path, login_as) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(XLSX_HEADER)
    for i in range(20_100):  # over the limit (50,000 rows: the CSV case above)
        sheet.append(["Ф", "И", None, "ИС-24-1", f"Б-{i}", "01.09.2024"])
    book.save(tmp_path / "большой.xlsx")
    with pytest.raises(ValidationError, match="загружается не больше 20000"):
        prepare(login_as("office"), find_list("студенты"), tmp_path / "большой.xlsx")


def test_the_office_cannot_import_staff_and_nothing_is_written(tmp_path, login_as, su) -> None:
    text = "Фамилия;Имя;Должность;Роли\nНовиков;Олег;преподаватель;преподаватель\n"
    before = _count(su, "person")
    with pytest.raises(Exception) as caught:
        import_file(login_as("office"), find_list("сотрудники"), _csv(tmp_path, text))
    assert caught.value.title == "Нет прав"  # type: ignore[attr-defined]
    assert "меняет только заведующий учебной частью" in str(caught.value)
    assert _count(su, "person") == before
    result = import_file(login_as("admin"), find_list("сотрудники"), _csv(tmp_path, text))
    assert (result.inserted, result.updated) == (1, 0)
