"""Typed changes not yet committed, kept on disk until the database confirms them.

Every change is appended (and fsynced) to a per-person file before it is sent; a change
leaves the file only when its transaction has committed. A crash, a killed terminal or a
dropped connection therefore loses nothing: the next time the person opens the program the
remaining changes are replayed (each still carries the value it replaces, so a replay never
overwrites a correction made meanwhile — it comes back as a conflict instead).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from core.journal_page import Change
from core.marks import Attendance, MarkValue


@dataclass(frozen=True)
class Pending:
    """A change waiting in the outbox, with the load it belongs to."""

    seq: int
    load_id: int
    change: Change


def _encode(value: MarkValue | Attendance | None) -> list[str] | None:
    if value is None:
        return None
    return ["a" if isinstance(value, Attendance) else "m", value.value]


def _decode(raw: list[str] | None) -> MarkValue | Attendance | None:
    if raw is None:
        return None
    return Attendance(raw[1]) if raw[0] == "a" else MarkValue(raw[1])


class Outbox:
    """A durable queue of changes for one person on this machine.

    Args:
        login: The person's login (one file per person and database).
        folder: Where the file lives (default: the user state directory).
        database: Identifies the database (server and name), so changes typed into one
            database are never replayed into another.
    """

    def __init__(self, login: str, folder: Path | None = None, database: str = "") -> None:
        base = folder or Path(platformdirs.user_state_dir("ejournal"))
        base.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(database.encode()).hexdigest()[:12] if database else "default"
        self.path = base / f"outbox-{key}-{login}.jsonl"
        self._lock = threading.Lock()
        self._items: dict[int, Pending] = {}
        self._next = 1
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        for line in self.path.read_text("utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut by a crash mid-write: it was never acknowledged as typed
            if record.get("ack"):
                self._items.pop(record["ack"], None)
                continue
            change = Change(record["s"], record["l"], record["k"], _decode(record["o"]),
                            _decode(record["n"]), record.get("u", False))
            self._items[record["q"]] = Pending(record["q"], record["load"], change)
            self._next = max(self._next, record["q"] + 1)

    def _append(self, records: list[dict[str, object]]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def add(self, load_id: int, changes: list[Change]) -> list[Pending]:
        """Record changes durably before they are sent; return them with sequence numbers."""
        with self._lock:
            added = []
            for change in changes:
                added.append(Pending(self._next, load_id, change))
                self._next += 1
            self._append([{"q": p.seq, "load": load_id, "s": p.change.student_id,
                           "l": p.change.lesson_id, "k": p.change.work_kind,
                           "o": _encode(p.change.old), "n": _encode(p.change.new),
                           "u": p.change.is_undo} for p in added])
            self._items.update({p.seq: p for p in added})
            return added

    def ack(self, seqs: list[int]) -> None:
        """Forget changes whose transaction committed (or that the person resolved)."""
        with self._lock:
            self._append([{"ack": seq} for seq in seqs if seq in self._items])
            for seq in seqs:
                self._items.pop(seq, None)
            if not self._items:
                self.path.write_text("", "utf-8")

    def pending(self, load_id: int | None = None) -> list[Pending]:
        """Changes not yet confirmed, oldest first (of one load, or all)."""
        with self._lock:
            items = sorted(self._items.values(), key=lambda p: p.seq)
        return [p for p in items if load_id is None or p.load_id == load_id]
