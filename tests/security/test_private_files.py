"""Files the program writes are the person's alone: 0600 in 0700 folders (issue 10, item 9).

The attack: on the SSH server every other OS account read the printed login slips (0644,
with passwords), printed journals, preferences and logs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import main
from core.preferences import read_pref, write_pref
from kernel.logfile import log_path
from tests.conftest import FreshDb


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems give (files 0644, folders 0755 unless the program says so)."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_printed_slips_are_private(fresh_db: FreshDb, tmp_path: Path, usual_umask: None,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EJOURNAL_DBNAME", fresh_db.dbname)
    source = tmp_path / "accounts.csv"
    source.write_text("ФИО;роль;логин;пароль;примечание\n"
                      "Абрамов Алексей Петрович;обучающийся;abramov.ap;Kx7-pq2-Zm9;ИС-24-1\n",
                      "utf-8")
    out = tmp_path / "печать" / "листки"
    code = main(["print", "slips", "--slips-file", str(source), "--as-admin-superuser",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    pdf = next(out.glob("листки_доступа_*.pdf"))
    assert (_mode(pdf), _mode(out), _mode(out.parent)) == (0o600, 0o700, 0o700)
    # an existing folder the person chose keeps its mode; the file is still theirs alone
    shared = tmp_path / "общая"
    shared.mkdir(mode=0o755)
    assert main(["print", "slips", "--slips-file", str(source), "--as-admin-superuser",
                 "--out", str(shared)]) == 0
    assert _mode(next(shared.glob("*.pdf"))) == 0o600 and _mode(shared) == 0o755


def test_preferences_and_logs_are_private(tmp_path: Path, usual_umask: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    write_pref("teacher.x", "last_load", 42)
    assert read_pref("teacher.x", "last_load") == 42
    prefs = next(state.rglob("prefs-teacher.x.json"))
    assert _mode(prefs) == 0o600 and _mode(prefs.parent) == 0o700
    monkeypatch.delenv("EJOURNAL_LOG", raising=False)
    log = Path(log_path())
    assert log.is_relative_to(state)
    assert _mode(log) == 0o600 and _mode(log.parent) == 0o700
    explicit = tmp_path / "logs" / "ejournal.log"
    monkeypatch.setenv("EJOURNAL_LOG", str(explicit))
    assert log_path() == str(explicit)
    assert _mode(explicit) == 0o600 and _mode(explicit.parent) == 0o700
