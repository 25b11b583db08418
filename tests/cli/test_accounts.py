"""``ejournal accounts issue --group`` for scripted use, against the demo database."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from cli import main


def test_issue_group_from_the_command_line(demo_db: Any, tmp_path: Path, capsys: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    curator = demo_db.account("куратор")
    monkeypatch.setenv("EJOURNAL_DBNAME", demo_db.dbname)
    monkeypatch.setenv("EJOURNAL_PASSWORD", curator.password)
    session = demo_db.log_in("куратор")
    from core.people.roster import list_groups

    group = next(g for g in list_groups(session) if g.is_mine)
    session.close()
    out = tmp_path / "out"
    args = ["accounts", "--login", curator.login, "issue", "--group", group.name, "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    pdfs = list(out.glob("vhod-*.pdf"))
    assert len(pdfs) == 1 and f"Листки: {pdfs[0]}" in printed
    assert stat.S_IMODE(pdfs[0].stat().st_mode) == 0o600
    assert main(args) == 0   # the second run issues nothing and writes no PDF
    assert "выдано 0" in capsys.readouterr().out and len(list(out.glob("*.pdf"))) == 1
    assert main(["accounts", "--login", curator.login, "issue", "--group", "Нет-такой"]) == 1
    assert "Группы «Нет-такой» нет" in capsys.readouterr().err
