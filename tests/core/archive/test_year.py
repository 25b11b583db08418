"""Closing a year: read-only for everyone, a copy with the printouts in both destinations."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from core.archive.year import close_year, describe_closing, find_year, list_years, reopen_year
from core.backup.manifest import PRINTOUTS_DIR, read_manifest
from core.backup.run import run_backup
from core.backup.store import copies_in
from core.backup.verify import verify_copy
from kernel.errors import AccessDenied, ValidationError

pytest.importorskip("printing.registry").install_renderers()  # the printouts need them


def _open_year(session):
    return next(y for y in list_years(session) if not y.archived)


def _try_mark_change(demo_backup) -> None:
    """A teacher's raw attempt to change a mark of the demo year."""
    teacher = demo_backup.log_in("преподаватель")
    try:
        with teacher.cursor() as cur:
            cur.execute("UPDATE journal.mark SET value = value WHERE id = (SELECT min(id) FROM journal.mark)")
            return cur.rowcount
    finally:
        teacher.close()


def test_close_year_archives_backs_up_with_printouts_and_reopens(demo_backup, monkeypatch) -> None:
    admin = demo_backup.log_in()
    try:
        year = _open_year(admin)
        assert year.title in describe_closing(admin, year)
        assert _try_mark_change(demo_backup) == 1  # the teacher may edit before the close

        result = close_year(admin, year.year_id, policy=demo_backup.policy)

        assert result.ok and result.archived_now and result.year.archived
        assert result.backup is not None and result.backup.written == 2
        assert any(name.startswith(f"{PRINTOUTS_DIR}/") for name in result.printouts)
        for copy in result.backup.copies:
            manifest = read_manifest(copy)
            assert manifest.kind == "year" and year.title in manifest.note
            assert all((copy / name).is_file() for name in result.printouts)
            assert set(result.printouts) <= set(manifest.files)
        assert verify_copy(demo_backup.settings, result.backup.copies[1], policy=demo_backup.policy,
                           restore=False).ok

        with pytest.raises(psycopg.Error, match="архив"):
            _try_mark_change(demo_backup)  # read-only in the database, for everyone

        monkeypatch.setattr("core.archive.year._printouts", lambda *_a: ({}, []))  # speed
        again = close_year(admin, year.year_id, policy=demo_backup.policy)  # retries the copy
        assert not again.archived_now and again.ok

        with pytest.raises(ValidationError, match="причину"):
            reopen_year(admin, year.year_id, "  ")
        assert not reopen_year(admin, year.year_id, "Исправление ошибки в ведомости").archived
        assert find_year(admin, year.title).archived_at is None
    finally:
        admin.close()


def test_year_copies_survive_rotation(demo_backup, monkeypatch) -> None:
    from dataclasses import replace

    admin = demo_backup.log_in()
    try:
        year = _open_year(admin)
        monkeypatch.setattr("core.archive.year._printouts", lambda *_a: ({}, []))  # speed
        closing = close_year(admin, year.year_id, policy=demo_backup.policy)
    finally:
        admin.close()
    tight = replace(demo_backup.policy, keep_daily=1, keep_monthly=0)
    for _ in range(2):
        assert run_backup(demo_backup.settings, policy=tight).ok
    for folder in demo_backup.dirs:
        kinds = sorted(c.stamp.kind for c in copies_in(folder))
        assert kinds == ["manual", "manual", "year"]
    assert closing.backup is not None and all(p.exists() for p in closing.backup.copies)


def test_only_the_admin_closes_a_year(demo_backup) -> None:
    office = demo_backup.log_in("работник учебной части")
    try:
        year = _open_year(office)
        with pytest.raises(AccessDenied):
            close_year(office, year.year_id, policy=demo_backup.policy)
        office.person = type(office.person)(**{**office.person.__dict__,
                                              "roles": frozenset({"admin"})})
        with pytest.raises(AccessDenied):  # the database checks the right itself
            close_year(office, year.year_id, policy=demo_backup.policy)
        assert not find_year(office, year.title).archived
    finally:
        office.close()
    assert date.today()  # keeps the import used when the demo's dates move
