"""Rotation: the newest copy of each of the last N days and M months; year copies stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.backup.retention import Stamp, to_delete, to_keep
from core.backup.store import copy_name, prune

START = datetime(2025, 9, 1, 2, 30)


def _daily(days: int, start: datetime = START) -> list[Stamp]:
    return [Stamp(f"c{i:03}", start + timedelta(days=i), "daily") for i in range(days)]


def test_keeps_last_daily_and_monthly() -> None:
    stamps = _daily(120)  # 1 Sep 2025 … 29 Dec 2025
    kept = to_keep(stamps, keep_daily=7, keep_monthly=3)
    last_week = {s.name for s in stamps[-7:]}
    month_ends = {"c060", "c090"}  # 31 Oct and 30 Nov (December's newest is in the last week)
    assert kept == last_week | month_ends
    assert len(to_delete(stamps, 7, 3)) == 120 - len(kept)


def test_newest_copy_of_a_day_is_the_one_kept() -> None:
    night = Stamp("night", datetime(2026, 3, 2, 2, 30), "daily")
    morning = Stamp("morning", datetime(2026, 3, 2, 9, 0), "manual")
    older = Stamp("older", datetime(2026, 3, 1, 2, 30), "daily")
    next_night = Stamp("next", datetime(2026, 3, 3, 2, 30), "daily")
    stamps = [night, morning, older, next_night]
    assert to_keep(stamps, keep_daily=1, keep_monthly=0) == {"next", "morning"}  # within a day
    assert to_keep(stamps, keep_daily=2, keep_monthly=0) == {"next", "morning"}
    assert to_keep(stamps, keep_daily=3, keep_monthly=0) == {"next", "morning", "older"}


def test_copies_of_the_last_day_are_all_kept() -> None:
    before = Stamp("before-change", datetime(2026, 3, 2, 10, 0), "manual")
    after = Stamp("after-change", datetime(2026, 3, 2, 10, 30), "manual")
    assert to_keep([before, after], keep_daily=1, keep_monthly=0) == {"before-change", "after-change"}


def test_gaps_do_not_shorten_what_is_kept() -> None:
    stamps = [Stamp(f"s{i}", START + timedelta(days=i * 10), "daily") for i in range(5)]
    assert to_keep(stamps, keep_daily=3, keep_monthly=0) == {"s2", "s3", "s4"}


def test_year_copies_and_the_new_copy_are_never_deleted() -> None:
    stamps = [*_daily(30), Stamp("year", START - timedelta(days=400), "year")]
    doomed = to_delete(stamps, keep_daily=2, keep_monthly=0, always=["c000"])
    assert "year" not in doomed and "c000" not in doomed
    assert set(doomed) == {f"c{i:03}" for i in range(1, 28)}


def test_prune_deletes_the_right_folders(tmp_path) -> None:
    names = [copy_name("ej", START + timedelta(days=i), "daily") for i in range(40)]
    names.append(copy_name("ej", START - timedelta(days=300), "year"))
    names.append(copy_name("other", START, "daily"))  # another database's copy
    for name in names:
        (tmp_path / name).mkdir()
    (tmp_path / f".partial-{copy_name('ej', START, 'manual')}").mkdir()

    deleted = prune(tmp_path, "ej", keep_daily=5, keep_monthly=2, keep=names[0]).deleted

    left = sorted(p.name for p in tmp_path.iterdir())
    expected = {names[0], *names[35:40], names[29], names[40], names[41]}  # 30 Sep is September's newest
    assert set(left) == expected
    assert len(deleted) == 40 - 7
