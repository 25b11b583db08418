"""``ejournal export`` and ``ejournal import`` as the office, on a copy of the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cli import main


@pytest.fixture
def office(demo_db: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """The environment pointing at the demo copy, logged in as the office by password."""
    monkeypatch.setenv("EJOURNAL_DBNAME", demo_db.dbname)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    account = demo_db.account("работник учебной части")
    monkeypatch.setenv("EJOURNAL_PASSWORD", account.password)
    return account


def test_export_then_import_the_same_file_changes_nothing(office: Any, demo_db: Any,
                                                          tmp_path: Path, capsys) -> None:
    path = tmp_path / "группы.xlsx"
    assert main(["export", "группы", str(path), "--login", office.login]) == 0
    rows = list(openpyxl.load_workbook(path).active.values)
    assert rows[0] == ("Группа", "Специальность", "Год набора", "Куратор") and len(rows) > 2
    assert main(["import", "groups", str(path), "--dry-run", "--login", office.login]) == 0
    assert "Проверка пройдена" in capsys.readouterr().out
    assert main(["import", "группы", str(path), "--login", office.login]) == 0
    assert "новых 0, изменено 0" in capsys.readouterr().out


def test_a_bad_row_is_reported_and_nothing_is_written(office: Any, demo_db: Any, tmp_path: Path,
                                                     capsys) -> None:
    path = tmp_path / "дисциплины.csv"
    path.write_text("Наименование;Сокращение;Что-то ещё\nАстрономия;Астр;\n"
                    "=1+1;Ф;\n", encoding="utf-8")
    assert main(["import", "дисциплины", str(path), "--login", office.login]) == 1
    out = capsys.readouterr().out
    assert "Столбец «Что-то ещё» не загружается" in out
    assert "строка 3, «Наименование»: =1+1 — формула вместо значения" in out
    assert "Ничего не записано" in out
    with demo_db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM journal.discipline WHERE title = 'Астрономия'"
                            ).fetchone() == (0,)
    assert main(["import", "дисциплины", str(path), "--only-valid", "--login", office.login]) == 0
    assert "новых 1" in capsys.readouterr().out
