"""The outbox keeps typed changes across a crash until they are acknowledged."""

from __future__ import annotations

from pathlib import Path

from core.journal_page import Change
from core.marks import Attendance, MarkValue
from core.outbox import Outbox


def _changes() -> list[Change]:
    return [Change(1, 10, "oral", None, MarkValue.FIVE),
            Change(2, 10, None, Attendance.PRESENT, Attendance.UNEXCUSED)]


def test_unacknowledged_changes_survive_a_restart(tmp_path: Path) -> None:
    box = Outbox("ivanov", tmp_path)
    added = box.add(7, _changes())
    box.ack([added[0].seq])
    reopened = Outbox("ivanov", tmp_path)
    assert [p.change for p in reopened.pending(7)] == [_changes()[1]]


def test_a_line_cut_by_a_crash_is_ignored(tmp_path: Path) -> None:
    box = Outbox("petrov", tmp_path)
    box.add(3, _changes()[:1])
    with box.path.open("a", encoding="utf-8") as handle:
        handle.write('{"q": 99, "lo')
    assert [p.change for p in Outbox("petrov", tmp_path).pending()] == _changes()[:1]


def test_everything_acknowledged_empties_the_file(tmp_path: Path) -> None:
    box = Outbox("sidorov", tmp_path)
    added = box.add(1, _changes())
    box.ack([p.seq for p in added])
    assert box.pending() == []
    assert box.path.read_text("utf-8") == ""


def test_sequence_numbers_continue_after_restart(tmp_path: Path) -> None:
    box = Outbox("kuz", tmp_path)
    box.add(1, _changes()[:1])
    again = Outbox("kuz", tmp_path).add(1, _changes()[1:])
    assert again[0].seq == 2
