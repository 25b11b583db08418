"""The outbox keeps typed changes across a crash until the database confirms them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core.journal.outbox import Outbox
from core.journal.outbox_format import Parked, read_file
from core.journal.page import Change
from kernel.marks import Attendance, MarkValue

DB = "db-1"


def _changes() -> list[Change]:
    return [Change(1, 10, "oral", None, MarkValue.FIVE),
            Change(2, 10, None, Attendance.PRESENT, Attendance.UNEXCUSED)]


def _reopen(box: Outbox, tmp_path: Path) -> Outbox:
    """What the next program of the person sees after this one died."""
    box.close()
    return Outbox.open(box.login, box.database, tmp_path)


def test_unacknowledged_changes_survive_a_restart(tmp_path: Path) -> None:
    box = Outbox.open("ivanov", DB, tmp_path)
    added = box.add(7, _changes())
    box.ack([added[0].seq])
    reopened = _reopen(box, tmp_path)
    assert [p.change for p in reopened.pending()] == [_changes()[1]]
    assert reopened.adopted == 1


def test_an_edit_is_one_write_with_one_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Outbox.open("petrov", DB, tmp_path)
    syncs: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (syncs.append(fd), real(fd)))
    box.add(3, [Change(s, 10, "oral", None, MarkValue.FOUR) for s in range(23)])
    assert len(syncs) == 1
    assert box.path is not None and len(box.path.read_text("utf-8").splitlines()) == 1


@pytest.mark.parametrize("cut", [5, 40, -30, -2, -1])
def test_a_torn_tail_is_reported_and_the_valid_records_kept(tmp_path: Path, cut: int) -> None:
    """Reproduction 3: a record cut anywhere, even inside a Cyrillic letter, is skipped and
    counted; the records before it are sent, and what is typed afterwards is kept too."""
    box = Outbox.open("sidorov", DB, tmp_path)
    box.add(3, _changes()[:1])
    box.add(3, [Change(3, 11, None, None, Attendance.UNEXCUSED)])  # «НН»: two-byte letters
    assert box.path is not None
    data = box.path.read_bytes()
    last = data[: len(data) - 1].rfind(b"\n") + 1
    box.close()
    box.path.write_bytes(data[: last + cut] if cut > 0 else data[:cut])
    again = Outbox.open("sidorov", DB, tmp_path)
    assert again.torn == 1
    assert [p.change for p in again.pending()] == _changes()[:1]
    again.add(3, [Change(4, 12, "oral", None, MarkValue.THREE)])
    third = _reopen(again, tmp_path)
    assert third.torn == 0
    assert [p.change.student_id for p in third.pending()] == [1, 4]


def test_consecutive_edits_of_a_cell_collapse_to_first_old_and_last_new(tmp_path: Path) -> None:
    """Reproduction 1: a batch never holds two changes of one cell."""
    box = Outbox.open("kuz", DB, tmp_path)
    box.add(1, [Change(1, 10, "oral", None, MarkValue.FIVE)])
    box.add(1, [Change(1, 10, "oral", MarkValue.FIVE, MarkValue.FOUR)])
    box.add(1, [Change(2, 10, "oral", None, MarkValue.THREE)])
    box.add(1, [Change(2, 10, "oral", MarkValue.THREE, None, is_undo=True)])
    edits = {e.change.student_id: e for e in box.edits()}
    assert (edits[1].change.old, edits[1].change.new) == (None, MarkValue.FOUR)
    assert len(edits[1].seqs) == 2
    assert edits[2].is_noop


def test_parked_changes_stay_parked_after_a_restart(tmp_path: Path) -> None:
    box = Outbox.open("lebedev", DB, tmp_path)
    added = box.add(1, _changes())
    box.park([added[0].seq], Parked("reason", "Нужна причина."))
    box.park([added[1].seq], Parked("conflict", "Изменено.", "НУ"))
    edits = {e.change.student_id: e for e in _reopen(box, tmp_path).edits()}
    assert edits[1].parked == Parked("reason", "Нужна причина.")
    assert edits[2].parked == Parked("conflict", "Изменено.", "НУ")


def test_a_reason_unparks_and_travels_with_the_change(tmp_path: Path) -> None:
    box = Outbox.open("orlov", DB, tmp_path)
    added = box.add(1, _changes()[:1])
    box.park([added[0].seq], Parked("reason", "Нужна причина."))
    box.give_reason([added[0].seq], "ошибка при вводе")
    (edit,) = _reopen(box, tmp_path).edits()
    assert edit.parked is None and edit.reason == "ошибка при вводе"


def test_two_terminals_of_one_login_keep_their_own_outboxes(tmp_path: Path) -> None:
    """Reproduction 6: one terminal's confirmation never empties the other's changes."""
    first = Outbox.open("ivanova", DB, tmp_path)
    second = Outbox.open("ivanova", DB, tmp_path)
    assert first.path != second.path
    a = first.add(1, _changes()[:1])
    second.add(1, _changes()[1:])
    first.ack([p.seq for p in a])
    assert [p.change for p in second.pending()] == _changes()[1:]
    third = Outbox.open("ivanova", DB, tmp_path)  # both still running: nothing adopted
    assert third.adopted == 0 and third.pending() == []


def test_an_outbox_of_another_database_is_never_adopted(tmp_path: Path) -> None:
    box = Outbox.open("smirnov", "old-database", tmp_path)
    box.add(1, _changes())
    box.close()
    assert Outbox.open("smirnov", "new-database", tmp_path).pending() == []
    assert len(Outbox.open("smirnov", "old-database", tmp_path).pending()) == 2


def test_an_outbox_of_a_killed_program_is_adopted(tmp_path: Path) -> None:
    script = ("import sys, os; sys.path.insert(0, sys.argv[2]);"
              "from pathlib import Path; from core.journal.outbox import Outbox;"
              "from core.journal.page import Change; from kernel.marks import MarkValue;"
              "box = Outbox.open('killed', 'db-1', Path(sys.argv[1]));"
              "box.add(1, [Change(1, 10, 'oral', None, MarkValue.FIVE)]); os._exit(0)")
    root = str(Path(__file__).resolve().parents[3])
    subprocess.run([sys.executable, "-c", script, str(tmp_path), root], check=True)
    box = Outbox.open("killed", DB, tmp_path)
    assert [p.change.new for p in box.pending()] == [MarkValue.FIVE]
    assert len(list(tmp_path.glob("outbox-*"))) == 1


def test_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    box = Outbox.open("belov", DB, folder)
    box.add(1, _changes())
    assert box.path is not None
    assert stat.S_IMODE(box.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_unwritable_folder_keeps_changes_in_memory_and_says_so(tmp_path: Path) -> None:
    """Reproduction 5: typing never crashes; the outbox says it is not durable. (The folder is
    made impossible to create — a file stands where it should be — as root ignores modes.)"""
    (tmp_path / "state").write_text("not a folder", "utf-8")
    box = Outbox.open("nosov", DB, tmp_path / "state" / "ejournal")
    box.add(1, _changes())
    assert not box.durable and "недоступна для записи" in box.problem
    assert len(box.pending()) == 2


def test_a_failing_disk_turns_the_outbox_to_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproduction 5 as root too: a write that fails keeps the change in memory."""
    box = Outbox.open("full", DB, tmp_path)

    def broken(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    box.add(1, _changes())
    assert not box.durable and "No space left" in box.problem
    assert len(box.pending()) == 2


def test_everything_acknowledged_leaves_no_file_behind(tmp_path: Path) -> None:
    box = Outbox.open("sidorov", DB, tmp_path)
    added = box.add(1, _changes())
    box.ack([p.seq for p in added])
    box.close()
    assert list(tmp_path.glob("outbox-*")) == []


def test_read_file_counts_damaged_lines(tmp_path: Path) -> None:
    path = tmp_path / "outbox-x.jsonl"
    path.write_text('00000000 {"t":"add","c":[]}\nnot a record\n', "utf-8")
    assert read_file(path).torn == 2
