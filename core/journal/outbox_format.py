"""The outbox's records on disk, and the changes they stand for (R14).

A record is ``<crc32> <json>\\n`` (:func:`frame`), so a tail torn by a crash is detected,
reported and skipped without losing the valid records (:func:`read_file`). Records: ``add``
(typed changes), ``ack`` (confirmed or given up), ``park`` (held back: a refusal, a missing
correction reason, a conflict) and ``reason`` (the correction reason given).

Here too: a typed change (:class:`Pending`), why it waits (:class:`Parked`), and consecutive
changes of one cell collapsed into one edit (:func:`collapse`, :class:`CellEdit`). Pure: no
files are written here (:mod:`core.journal.outbox` writes them).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from core.journal.page import CellValue, Change
from kernel.marks import Attendance, MarkValue, StatementValue

ParkState = Literal["reason", "refused", "conflict"]
"""Why a change waits for the person: a correction needs a reason; a rule refused it; someone
else changed the cell meanwhile."""

CellKey = tuple[int, int, str | None, int | None]
"""(student, lesson, kind of work — ``None`` for attendance, statement): one value of one cell."""


@dataclass(frozen=True)
class Parked:
    """Why a change is held back, in Russian, and the value the database holds (conflicts)."""

    state: ParkState
    why: str
    found: str | None = None


@dataclass(frozen=True)
class Pending:
    """One typed change in the outbox."""

    seq: int
    load_id: int
    change: Change
    typed_at: datetime
    parked: Parked | None = None
    reason: str = ""


@dataclass(frozen=True)
class CellEdit:
    """Every unconfirmed change of one cell, collapsed: from the first ``old`` to the last ``new``.

    Attributes:
        seqs: The outbox records it stands for (all of them are confirmed together).
        typed_at: When the last of them was typed.
        parked: Set when the newest change is held back (see :class:`Parked`).
        reason: The correction reason the person gave (R14), if any.
    """

    load_id: int
    change: Change
    seqs: tuple[int, ...]
    typed_at: datetime
    parked: Parked | None = None
    reason: str = ""

    @property
    def key(self) -> CellKey:
        """The cell value this edit changes."""
        return cell_key(self.change)

    @property
    def is_noop(self) -> bool:
        """The changes cancel out (typed and undone): nothing to send."""
        return self.change.old == self.change.new


def cell_key(change: Change) -> CellKey:
    """The cell value a change touches."""
    return change.student_id, change.lesson_id, change.work_kind, change.statement_id


# --- the file format --------------------------------------------------------------------


def _encode_value(value: CellValue) -> list[str] | None:
    if value is None:
        return None
    tag = "a" if isinstance(value, Attendance) else "s" if isinstance(value, StatementValue) else "m"
    return [tag, value.value]


def _decode_value(raw: list[str] | None) -> CellValue:
    if raw is None:
        return None
    if raw[0] == "s":
        return StatementValue(raw[1])
    return Attendance(raw[1]) if raw[0] == "a" else MarkValue(raw[1])


def frame(record: dict[str, Any]) -> str:
    body = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return f"{zlib.crc32(body.encode()):08x} {body}\n"


def _unframe(line: str) -> dict[str, Any] | None:
    """The record of one complete line, or None when the line is torn or damaged."""
    if len(line) < 10 or line[8] != " " or not line.endswith("\n"):
        return None
    body = line[9:-1]
    try:
        if int(line[:8], 16) != zlib.crc32(body.encode()):
            return None
        record = json.loads(body)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def change_record(p: Pending) -> dict[str, Any]:
    c = p.change
    record = {"q": p.seq, "load": p.load_id, "s": c.student_id, "l": c.lesson_id, "k": c.work_kind,
              "o": _encode_value(c.old), "n": _encode_value(c.new), "u": c.is_undo,
              "at": p.typed_at.isoformat()}
    if c.statement_id is not None:
        record["st"] = c.statement_id
    return record


def _pending_of(raw: dict[str, Any]) -> Pending:
    change = Change(int(raw["s"]), int(raw["l"]), raw["k"], _decode_value(raw["o"]),
                    _decode_value(raw["n"]), bool(raw.get("u", False)), raw.get("st"))
    return Pending(int(raw["q"]), int(raw["load"]), change, datetime.fromisoformat(raw["at"]))


def park_record(seqs: Iterable[int], parked: Parked) -> dict[str, Any]:
    return {"t": "park", "q": list(seqs), "st": parked.state, "why": parked.why, "f": parked.found}


@dataclass
class ReadResult:
    """What was read from one outbox file."""

    items: dict[int, Pending]
    torn: int
    """Damaged or cut records skipped (a crash in the middle of a write)."""


def read_file(path: Path) -> ReadResult:
    """The live changes of an outbox file; damaged lines are counted and skipped."""
    items: dict[int, Pending] = {}
    torn = 0
    with path.open("r", encoding="utf-8", errors="replace", newline="\n") as handle:
        for line in handle:
            record = _unframe(line)
            if record is None:
                torn += 1 if line.strip() else 0
                continue
            try:
                _apply_record(items, record)
            except (KeyError, TypeError, ValueError):
                torn += 1
    return ReadResult(items, torn)


def _apply_record(items: dict[int, Pending], record: dict[str, Any]) -> None:  # noqa: C901 (a branch per record kind)
    kind = record["t"]
    if kind == "add":
        for raw in record["c"]:
            pending = _pending_of(raw)
            items[pending.seq] = pending
    elif kind == "ack":
        for seq in record["q"]:
            items.pop(int(seq), None)
    elif kind == "park":
        parked = Parked(record["st"], record["why"], record.get("f"))
        for seq in record["q"]:
            if int(seq) in items:
                items[int(seq)] = replace(items[int(seq)], parked=parked)
    elif kind == "reason":
        for seq in record["q"]:
            if int(seq) in items:
                items[int(seq)] = replace(items[int(seq)], parked=None, reason=record["why"])


def records_for(items: list[Pending]) -> list[dict[str, Any]]:
    """The records that rebuild these changes as they stand (an adopted outbox's, rewritten)."""
    records: list[dict[str, Any]] = [{"t": "add", "c": [change_record(p) for p in items]}]
    for p in items:
        if p.parked is not None:
            records.append(park_record([p.seq], p.parked))
        elif p.reason:
            records.append({"t": "reason", "q": [p.seq], "why": p.reason})
    return records


def collapse(pending: list[Pending]) -> list[CellEdit]:
    """Changes (oldest first) as one edit per cell: from the first old to the last new."""
    groups: dict[CellKey, list[Pending]] = {}
    for p in pending:
        groups.setdefault(cell_key(p.change), []).append(p)
    return [_collapse(group) for group in groups.values()]


def _collapse(group: list[Pending]) -> CellEdit:
    first, last = group[0], group[-1]
    change = replace(first.change, new=last.change.new, is_undo=last.change.is_undo)
    reason = next((p.reason for p in reversed(group) if p.reason), "")
    return CellEdit(last.load_id, change, tuple(p.seq for p in group), last.typed_at,
                    last.parked, reason)
