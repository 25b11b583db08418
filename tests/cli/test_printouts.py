"""``ejournal print`` end to end on the demo: a person's login, files, pages, Russian errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def as_demo(demo_db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The environment pointing ``load_settings`` at the demo copy."""
    monkeypatch.setenv("EJOURNAL_DBNAME", demo_db.dbname)
    return demo_db


def test_office_prints_a_summary(as_demo: Any, demo_group: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    office = as_demo.account("работник учебной части")
    monkeypatch.setenv("EJOURNAL_PASSWORD", office.password)
    code = main(["print", "summary", "--group", demo_group, "--period", "1", "--login", office.login,
                 "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    files = list(tmp_path.glob("*.pdf"))
    assert len(files) == 1 and files[0].name.startswith(f"сводная_ведомость_{demo_group}_")
    assert files[0].name.endswith("_I_семестр.pdf")
    pages = len(PdfReader(files[0]).pages)
    assert f"{files[0]} — {pages} " in out and "Записано: 1 файл" in out
    assert demo_group in PdfReader(files[0]).pages[0].extract_text()


def test_text_preview_and_errors(as_demo: Any, demo_group: str, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    teacher = as_demo.account("преподаватель")
    monkeypatch.setenv("EJOURNAL_PASSWORD", teacher.password)
    assert main(["print", "summary", "--group", demo_group, "--login", teacher.login, "--text"]) == 0
    assert "Сводная ведомость успеваемости и посещаемости" in capsys.readouterr().out
    assert main(["print", "journal", "--group", "ЯЯЯ-99-1", "--login", teacher.login]) == 1
    assert capsys.readouterr().err.strip() == "Неверные данные: Группа «ЯЯЯ-99-1» не найдена или недоступна."
    assert main(["print", "journal", "--login", teacher.login]) == 1
    assert "--all-groups" in capsys.readouterr().err
    monkeypatch.setenv("EJOURNAL_PASSWORD", "неправильный")
    assert main(["print", "journal", "--group", demo_group, "--login", teacher.login]) == 1
    assert capsys.readouterr().err.strip() == "Вход не выполнен: Неверный логин или пароль."


def test_slips_from_a_file_as_the_superuser(as_demo: Any, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("ФИО;роль;логин;пароль;примечание\n"
                      "Абрамов Алексей Петрович;обучающийся;abramov.ap;Kx7-pq2-Zm9;СЭЗ-24-1\n", "utf-8")
    code = main(["print", "slips", "--slips-file", str(source), "--as-admin-superuser",
                 "--out", str(tmp_path / "out"), "--connect", "ssh ejournal@10.0.0.5"])
    assert code == 0, capsys.readouterr().err
    pdf = next((tmp_path / "out").glob("листки_доступа_*.pdf"))
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Kx7-pq2-Zm9" in text and "abramov.ap" in text
    source.write_text("Абрамов;обучающийся;abramov.ap\n", "utf-8")
    assert main(["print", "slips", "--slips-file", str(source), "--as-admin-superuser"]) == 1
    assert "Строка 1" in capsys.readouterr().err


def test_the_installed_command_in_a_process(as_demo: Any, demo_group: str, tmp_path: Path) -> None:
    admin = as_demo.account("заведующий")
    env = {**os.environ, "EJOURNAL_PASSWORD": admin.password}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "print", "journal", "--group", demo_group.lower(), "--period", "1",
         "--login", admin.login, "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert f"журнал_{demo_group}_" in done.stdout and "_I_семестр.pdf" in done.stdout
    assert "Записано: 1 файл" in done.stdout
