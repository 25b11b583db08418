"""``ejournal accounts staff|create|block|unblock|reset|role`` (issue 13, item 6)."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest

from cli import main


def test_staff_commands(demo_db: Any, tmp_path: Path, capsys: Any,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    admin = demo_db.account("заведующий")
    monkeypatch.setenv("EJOURNAL_DBNAME", demo_db.dbname)
    monkeypatch.setenv("EJOURNAL_PASSWORD", admin.password)
    base = ["accounts", "--login", admin.login]
    assert main([*base, "staff"]) == 0
    listing = capsys.readouterr().out
    assert "нет учётной записи" in listing and "преподаватель" in listing
    with demo_db.connect() as su:
        person = su.execute("SELECT r.person_id FROM journal.person_role r WHERE r.role = 'teacher'"
                            " AND NOT EXISTS (SELECT FROM journal.person_role m WHERE"
                            " m.person_id = r.person_id AND m.role = 'methodologist')"
                            " AND NOT EXISTS (SELECT FROM journal.account a"
                            " WHERE a.person_id = r.person_id) ORDER BY 1 LIMIT 1").fetchone()[0]
    who = str(person)
    assert main([*base, "create", who, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    login = re.search(r"логин (\S+);", out).group(1)
    slip = Path(re.search(r"в листке (\S+\.pdf)", out).group(1))
    assert stat.S_IMODE(slip.stat().st_mode) == 0o600
    assert main([*base, "create", who]) == 1           # twice: refused, in Russian
    assert "уже есть учётная запись" in capsys.readouterr().err
    assert main([*base, "block", login]) == 0
    with demo_db.connect() as su:
        assert su.execute("SELECT blocked FROM journal.account WHERE login = %s",
                          (login,)).fetchone() == (True,)
    assert main([*base, "unblock", login]) == 0
    assert main([*base, "role", "add", login, "методист"]) == 0
    assert "роль «методист» добавлена" in capsys.readouterr().out
    assert main([*base, "role", "remove", login, "methodologist"]) == 0
    assert main([*base, "reset", login, "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("vhod-*.pdf"))) == 2
    capsys.readouterr()
    teacher = demo_db.account("преподаватель")       # a teacher may not: the database says so
    monkeypatch.setenv("EJOURNAL_PASSWORD", teacher.password)
    assert main(["accounts", "--login", teacher.login, "block", login]) == 1
    err = capsys.readouterr().err
    assert "Сотрудника" in err or "заведующий" in err
