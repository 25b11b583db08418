"""Print jobs: files written whole, progress, cancellation, the year's archive, the printer."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from core.printouts import jobs as print_jobs
from core.printouts import slot
from core.printouts.jobs import (
    PrintCancelled,
    PrintKind,
    PrintRequest,
    move_printed,
    plan_job,
    print_job,
    send_to_printer,
    write_year_printouts,
)
from kernel.errors import ConfigError, EJournalError, ValidationError
from printing.registry import printing_renderers
from tests.core.printouts.sample import YEAR, Sample, fill_sample


@pytest.fixture
def sample(fresh_db: Any) -> Any:
    """(superuser connection, sample ids)."""
    with fresh_db.connect() as conn:
        yield conn, fill_sample(conn)


def text_of(path: Path) -> str:
    """A PDF's text with lines joined by spaces."""
    return " ".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", " ")


def test_all_groups_with_progress(sample: tuple[Any, Sample], tmp_path: Path) -> None:
    conn, _ = sample
    seen: list[tuple[int, int, str]] = []
    files = print_job(conn, PrintRequest(PrintKind.SUMMARY, all_groups=True, year=YEAR, period=1),
                      tmp_path, progress=lambda *step: seen.append(step))
    assert [f.path.name for f in files] == ["сводная_ведомость_СЭЗ-24-1_2025-2026_1_семестр.pdf",
                                            "сводная_ведомость_СЭЗ-24-2_2025-2026_1_семестр.pdf"]
    assert [(done, total) for done, total, _ in seen] == [(0, 2), (0, 2), (1, 2), (2, 2)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.path.name for f in files)
    one = text_of(files[0].path)
    assert "СЭЗ-24-1" in one and "80,0" in one and "Абрамов Алексей Петрович" in one


def test_cancel_keeps_the_files_written(sample: tuple[Any, Sample], tmp_path: Path) -> None:
    conn, _ = sample
    cancel = threading.Event()

    def stop_after_first(done: int, _total: int, _what: str) -> None:
        if done == 1:
            cancel.set()

    with pytest.raises(PrintCancelled, match="записано 1 файл") as stopped:
        print_job(conn, PrintRequest(PrintKind.JOURNAL, all_groups=True, year=YEAR), tmp_path,
                  progress=stop_after_first, cancel=cancel)
    assert [f.path for f in stopped.value.files] == list(tmp_path.iterdir())


def test_year_printouts_for_the_archive(sample: tuple[Any, Sample], tmp_path: Path) -> None:
    conn, s = sample
    paths = write_year_printouts(conn, s.year_id, tmp_path / "archive")
    assert sorted(p.name for p in paths) == [
        "журнал_СЭЗ-24-1_2025-2026_год.pdf", "журнал_СЭЗ-24-2_2025-2026_год.pdf",
        "сводная_ведомость_СЭЗ-24-1_2025-2026_год.pdf", "сводная_ведомость_СЭЗ-24-2_2025-2026_год.pdf"]
    journal = text_of(tmp_path / "archive" / "журнал_СЭЗ-24-1_2025-2026_год.pdf")
    assert "ЖУРНАЛ УЧЕБНЫХ ЗАНЯТИЙ" in journal and "Сергеева О. Н. (замена)" in journal


def test_statement_student_and_slips(sample: tuple[Any, Sample], tmp_path: Path) -> None:
    conn, s = sample
    statement = print_job(conn, PrintRequest(PrintKind.STATEMENT, statement_id=s.statement_id), tmp_path)
    assert "отлично (5)" in text_of(statement[0].path)
    report = print_job(conn, PrintRequest(PrintKind.STUDENT, student_id=s.people["abramov"], year=YEAR,
                                          period=1), tmp_path)
    assert "+7 (905) 123-45-67" in text_of(report[0].path)
    slips = print_job(conn, PrintRequest(PrintKind.SLIPS, slips=(
        print_jobs.SlipEntry("Абрамов Алексей Петрович", "обучающийся", "abramov.ap", "Kx7-pq2-Zm9"),)),
        tmp_path)
    assert "Kx7-pq2-Zm9" in text_of(slips[0].path)


@pytest.mark.parametrize(("request_", "message"), [
    (PrintRequest(PrintKind.JOURNAL), "Не выбрана группа"),
    (PrintRequest(PrintKind.STATEMENT), "Не указана ведомость"),
    (PrintRequest(PrintKind.STUDENT), "Не указан обучающийся"),
    (PrintRequest(PrintKind.SLIPS), "Нет учётных записей"),
])
def test_incomplete_requests_are_refused(sample: tuple[Any, Sample], request_: PrintRequest,
                                         message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan_job(sample[0], request_)


def test_staged_files_move_into_the_folder(sample: tuple[Any, Sample], tmp_path: Path) -> None:
    conn, _ = sample
    staged = print_job(conn, PrintRequest(PrintKind.SUMMARY, groups=("СЭЗ-24-2",), year=YEAR),
                       tmp_path / "stage")
    moved = move_printed(staged, tmp_path / "out")
    assert moved[0].path.parent == tmp_path / "out" and moved[0].path.exists()
    assert not staged[0].path.exists() and moved[0].pages == staged[0].pages


def test_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert not send_to_printer([pdf], "").sent
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    outcome = send_to_printer([pdf], "kabinet-12")
    assert not outcome.sent and "lp не найдена" in outcome.message
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.log"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" >> {log}\n[ "$2" = broken ] && echo "lp: нет принтера" >&2 '
                  "&& exit 1\nexit 0\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    outcome = send_to_printer([pdf, pdf], "kabinet-12")
    assert outcome.sent and "2 файла" in outcome.message
    assert log.read_text().splitlines() == [f"-d kabinet-12 -- {pdf}"] * 2
    with pytest.raises(EJournalError, match=r"не принял файл a\.pdf: lp: нет принтера"):
        send_to_printer([pdf], "broken")


def test_renderers_come_from_the_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slot, "_factory", [])
    monkeypatch.setattr(slot, "_cache", {})
    with pytest.raises(ConfigError, match="Модуль печати не подключён"):
        print_jobs.installed_renderers()
    print_jobs.use_renderers(printing_renderers)
    assert set(print_jobs.installed_renderers()) == set(PrintKind)
