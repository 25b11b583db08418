"""``ejournal report`` end to end on the demo: text, CSV, XLSX, PDF; the scheduled control."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cli import main
from core.reports import service


@pytest.fixture
def office(demo_db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("EJOURNAL_DBNAME", demo_db.dbname)
    account = demo_db.account("работник учебной части")
    monkeypatch.setenv("EJOURNAL_PASSWORD", account.password)
    return account


def test_control_raise_record_and_files(office: Any, demo_db: Any, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "control", "--login", office.login, "--raise", "--record",
                 "--note", "плановая"]) == 0
    captured = capsys.readouterr()
    assert "Замечаний выставлено: " in captured.err and "Проверка № 1 записана" in captured.err
    assert "Контроль заполнения журнала" in captured.out and "Всего: " in captured.out
    session = demo_db.log_in("работник учебной части")
    expected = service.control(session, service.fortnight())
    assert main(["report", "control", "--login", office.login, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[1:] == expected.text_rows()
    book = tmp_path / "c.xlsx"
    assert main(["report", "control", "--login", office.login, "--format", "xlsx",
                 "--out", str(book)]) == 0
    sheet = load_workbook(book).active
    read = [["" if c is None else str(c) for c in r]
            for r in sheet.iter_rows(min_row=4, max_row=3 + len(expected.rows), values_only=True)]
    assert read == expected.text_rows()
    pdf = tmp_path / "a.pdf"
    assert main(["report", "attendance", "--by", "month", "--login", office.login,
                 "--format", "pdf", "--out", str(pdf)]) == 0
    text = PdfReader(pdf).pages[0].extract_text()
    assert "ПОСЕЩАЕМОСТЬ: МЕСЯЦ" in text and "Пропущено часов по месяцам" in text
    assert main(["report", "controls", "--login", office.login]) == 0
    assert "плановая" in capsys.readouterr().out


def test_wrong_dimension_and_group_in_russian(office: Any,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "performance", "--by", "planet", "--login", office.login]) == 1
    assert "Разрез «planet»" in capsys.readouterr().err
    assert main(["report", "risk", "--group", "ЯЯ-99-1", "--login", office.login]) == 1
    assert "Группа «ЯЯ-99-1» не найдена." in capsys.readouterr().err


def test_debts_carry_the_retake_date_in_every_format(office: Any, demo_db: Any, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A retake date set by the office is in the text table, CSV, XLSX and PDF alike."""
    session = demo_db.log_in("работник учебной части")
    dates = service.school_year(session)
    before = service.debts(session, dates)
    assert before.rows, "the demo holds debts after closed statements"
    target = before.jump(0)
    assert target is not None and target.student_id is not None
    service.set_retake(session, target.load_id, str(before.rows[0][4]), target.student_id,
                       date(2026, 12, 21), "ауд. 214")
    table = service.debts(session, dates)
    line = next(r for r in table.text_rows() if r[7] == "21.12.2026")
    assert line[:7] == [str(c) for c in before.text_rows()[0][:7]] and line[8] == "ауд. 214"

    assert main(["report", "debts", "--login", office.login]) == 0
    text = capsys.readouterr().out
    assert "Пересдача" in text and "21.12.2026" in text and "ауд. 214" in text
    assert main(["report", "debts", "--login", office.login, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0][7] == "Пересдача" and line in rows[1:]
    book = tmp_path / "d.xlsx"
    assert main(["report", "debts", "--login", office.login, "--format", "xlsx",
                 "--out", str(book)]) == 0
    sheet = load_workbook(book).active
    read = [["" if c is None else str(c) for c in r]
            for r in sheet.iter_rows(min_row=4, max_row=3 + len(table.rows), values_only=True)]
    assert read == table.text_rows() and line in read
    pdf = tmp_path / "d.pdf"
    assert main(["report", "debts", "--login", office.login, "--format", "pdf",
                 "--out", str(pdf)]) == 0
    printed = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Пересдача" in printed and "21.12.2026" in printed and "ауд. 214" in printed
    assert printed.count("не назначена") == len(table.rows) - 1


def test_attendance_week_chart_in_text_and_pdf(office: Any, demo_db: Any, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """--chart неделя: the bars by week are the report's НУ and НН, in the terminal and PDF."""
    session = demo_db.log_in("работник учебной части")
    last = service.school_year(session).last
    dates = service.Dates(last - timedelta(days=27), last)
    table = service.attendance(session, dates, "group", weeks=True)
    chart = table.chart
    assert chart is not None and chart.title == "Пропущено часов по неделям"
    assert len(chart.labels) in (4, 5)
    excused, unexcused = (sum(int(v) for v in values) for _n, values in chart.series)
    assert excused == sum(int(r[3]) for r in table.rows) > 0
    assert unexcused == sum(int(r[4]) for r in table.rows) > 0
    span = ["--from", f"{dates.first:%d.%m.%Y}", "--to", f"{dates.last:%d.%m.%Y}"]
    assert main(["report", "attendance", "--chart", "неделя", "--login", office.login,
                 *span]) == 0
    text = capsys.readouterr().out
    assert "Пропущено часов по неделям" in text
    for label, e, u in zip(chart.labels, *(v for _n, v in chart.series), strict=True):
        assert any(line.split() == ["│", label, "│", str(int(e)), "│", str(int(u)), "│"]
                   for line in text.splitlines()), label
    pdf = tmp_path / "w.pdf"
    assert main(["report", "attendance", "--chart", "неделя", "--login", office.login, *span,
                 "--format", "pdf", "--out", str(pdf)]) == 0
    printed = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Пропущено часов по неделям" in printed
    assert all(label in printed for label in chart.labels)
