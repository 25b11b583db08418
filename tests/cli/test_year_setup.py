"""``ejournal year …``, ``ejournal timetable …``, ``ejournal settings …`` on the demo college:
the admin's and the office's own logins, a preview that writes nothing, Russian refusals."""

from __future__ import annotations

from typing import Any

import pytest

from cli import main


@pytest.fixture
def as_demo(demo_db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("EJOURNAL_DBNAME", demo_db.dbname)
    return demo_db


def _as(demo: Any, monkeypatch: pytest.MonkeyPatch, role: str) -> str:
    account = demo.account(role)
    monkeypatch.setenv("EJOURNAL_PASSWORD", account.password)
    return str(account.login)


def _count(demo: Any, sql: str) -> int:
    with demo.connect() as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_generate_preview_then_write_by_the_office(as_demo: Any, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with as_demo.connect() as conn:
        year = conn.execute("SELECT title FROM journal.academic_year ORDER BY starts_on DESC").fetchone()[0]
    before = _count(as_demo, "SELECT count(*) FROM journal.lesson")
    office = _as(as_demo, monkeypatch, "учебной части")
    assert main(["timetable", "generate", year, "--dry-run", "--login", office]) == 0
    out = capsys.readouterr().out
    assert "будет создано:" in out and "По группам:" in out and "ничего не записано" in out
    assert _count(as_demo, "SELECT count(*) FROM journal.lesson") == before
    assert main(["timetable", "generate", year, "--yes", "--login", office]) == 0
    created = int(capsys.readouterr().out.rsplit("Создано занятий: ", 1)[1].split(".")[0])
    assert created > 0 and _count(as_demo, "SELECT count(*) FROM journal.lesson") == before + created
    assert main(["timetable", "generate", year, "--yes", "--login", office]) == 0
    assert "Создано занятий: 0." in capsys.readouterr().out
    # the office may not change the calendar or the settings
    assert main(["settings", "set", "reason_after_days", "5", "--login", office]) == 1
    assert capsys.readouterr().err.strip()  # one Russian sentence (the refusal)
    days = "SELECT value::text::int FROM journal.setting WHERE key = 'reason_after_days'"
    assert _count(as_demo, days) == 3


def test_admin_calendar_settings_and_readiness(as_demo: Any, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    admin = _as(as_demo, monkeypatch, "заведующ")
    assert main(["year", "add", "2040/2041", "--login", admin]) == 0
    assert main(["year", "period", "2040/2041", "1", "01.09.2040", "31.12.2040", "--login", admin]) == 0
    assert main(["year", "holidays", "2040/2041", "--login", admin]) == 0
    assert main(["year", "bells", "2040/2041", "--standard", "--login", admin]) == 0
    assert main(["year", "break", "2040/2041", "30.12.2040", "31.12.2040", "Зимние каникулы",
                 "--login", admin]) == 0
    out = capsys.readouterr().out
    assert "праздник: 04.11.2040 — 04.11.2040 День народного единства" in out
    assert "1 пара: 08:30–10:00, 2 ч" in out and "Добавлено: Зимние каникулы." in out
    assert main(["year", "period", "2040/2041", "2", "31.02.2041", "30.06.2041", "--login", admin]) == 1
    assert "31.02.2041» — такой даты нет" in capsys.readouterr().err
    assert main(["settings", "set", "reason_after_days", "пять", "--login", admin]) == 1
    assert "нужно целое число от 0 до 365" in capsys.readouterr().err
    assert main(["settings", "set", "reason_after_days", "5", "--login", admin]) == 0
    assert main(["settings", "show", "--login", admin]) == 0
    assert "reason_after_days: 5" in capsys.readouterr().out
    assert main(["year", "readiness", "2040/2041", "--login", admin]) == 1
    out = capsys.readouterr().out
    assert "✓ Периоды (семестры) открыты" in out
    assert "✗ Расписание групп — не хватает:" in out


def test_office_adds_a_one_off_pair_and_a_substitution(as_demo: Any, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    office = _as(as_demo, monkeypatch, "учебной части")
    group, discipline, day = "СЭЗ-24-1", "Основы геодезии", "10.12.2026"
    changes = "SELECT count(*) FROM journal.timetable_change WHERE on_date = '2026-12-10' AND pair_no = 6"
    assert main(["timetable", "change", "добавление", group, discipline, day, "6", "--room", "101",
                 "--login", office]) == 0
    assert "Добавление: 10.12.2026, 6 пара." in capsys.readouterr().out
    assert _count(as_demo, changes) == 1
    subs = "SELECT count(*) FROM journal.substitution WHERE on_date = '2026-12-10' AND pair_no = 6"
    assert main(["timetable", "substitute", group, discipline, day, "6", "Мамонтов",
                 "--reason", "болезнь", "--login", office]) == 0
    assert "Замена назначена: 10.12.2026, 6 пара." in capsys.readouterr().out
    assert _count(as_demo, subs) == 1
    # a discipline the group does not study that day: one Russian sentence, nothing written
    assert main(["timetable", "change", "отмена", group, "Нет такой", day, "6", "--login", office]) == 1
    assert capsys.readouterr().err.strip()
    assert _count(as_demo, changes) == 1
