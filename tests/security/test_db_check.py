"""`ejournal db check` on a running server: one line per check, exit 1 on a failure."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from cli import main
from tests.conftest import FreshDb
from tests.security.conftest import verifier
from tests.security.world import World


@pytest.fixture
def journal_only(sec_db: FreshDb, monkeypatch: pytest.MonkeyPatch) -> Iterator[FreshDb]:
    """The server set up as the program sets it up: persons reach this database only."""
    monkeypatch.setenv("EJOURNAL_DBNAME", sec_db.dbname)
    sec_db.server.admit_persons([sec_db.dbname])
    try:
        yield sec_db
    finally:
        sec_db.server.admit_persons(["all"])


def _report(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["db", "check"])
    return code, capsys.readouterr().out.strip().splitlines()


def test_a_sound_server_passes(world: World, journal_only: FreshDb,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _report(capsys)
    assert code == 0, "\n".join(lines)
    assert len(lines) >= 18 and all(line.startswith("[ ОК  ]") for line in lines[:-1])
    assert lines[-1].startswith("Все проверки пройдены")


def test_each_hole_is_a_failed_line(world: World, journal_only: FreshDb, su: psycopg.Connection,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    teacher = sql.Identifier(world.login["teacher"])
    su.execute("GRANT EXECUTE ON FUNCTION pg_catalog.lo_creat(integer) TO PUBLIC")
    su.execute(sql.SQL("ALTER ROLE {} SET statement_timeout = 0").format(teacher))
    su.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        teacher, sql.Literal(verifier(su, world.login["teacher"], "другой-пароль"))))
    su.execute("GRANT SELECT ON pg_catalog.pg_stat_activity TO PUBLIC")
    su.execute("ALTER TABLE journal.mark NO FORCE ROW LEVEL SECURITY")
    su.execute("GRANT CONNECT ON DATABASE postgres TO PUBLIC")
    try:
        code, lines = _report(capsys)
    finally:
        su.execute("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC")
        su.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.lo_creat(integer) FROM PUBLIC")
        su.execute("REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC")
    assert code == 1
    failed = [line for line in lines if line.startswith("[СБОЙ ]")]
    assert len(failed) == 6, "\n".join(lines)
    text = "\n".join(failed)
    for expected in ("lo_creat", world.login["teacher"], "pg_stat_activity", "mark", "postgres"):
        assert expected in text
    assert lines[-1] == f"Не выполнено проверок: 6 из {len(lines) - 1}."
