"""``ejournal dsn LOGIN``: the connection string only for the right password."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.demo_fixture import DemoDb

ROOT = Path(__file__).resolve().parents[2]


def _dsn(demo: DemoDb, login: str, password: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "EJOURNAL_PASSWORD": password, "EJOURNAL_DBNAME": demo.dbname, "LANG": "C"}
    return subprocess.run([sys.executable, "-m", "cli", "dsn", login], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=60, check=False)


def test_wrong_password_exits_non_zero_with_one_russian_sentence(demo_db: DemoDb) -> None:
    teacher = demo_db.account("преподаватель")
    done = _dsn(demo_db, teacher.login, "not-the-password")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == "Вход не выполнен: Неверный логин или пароль."


def test_right_password_prints_the_uri(demo_db: DemoDb) -> None:
    teacher = demo_db.account("преподаватель")
    done = _dsn(demo_db, teacher.login, teacher.password)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("postgresql://" + teacher.login + ":")
