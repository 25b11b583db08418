"""Typed changes not yet confirmed by the database, kept on disk until they are.

One outbox per running program (per terminal), keyed by the database and the login, held
under an exclusive lock while the program runs. Every edit is appended as **one framed record
in one write with one fsync** before the screen shows it; the records and their format are
in :mod:`core.journal.outbox_format` (a tail torn by a crash is skipped, the valid records kept).

The outbox keeps, for each change, where it stands: waiting to be sent, or *parked* — refused
by a rule, waiting for a correction reason, or in conflict with someone else's value. Parked
changes stay on disk, so a restarted program shows them again instead of forgetting them.
Outboxes left behind by programs that are no longer running (killed, hung up) are adopted by
the next program of the same person and database, and sent.

Consecutive changes of one cell collapse into one edit: from what the database had to the
last value typed (:meth:`Outbox.edits`), so a batch never holds two changes of one cell.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.journal.outbox_format import (
    CellEdit,
    Parked,
    Pending,
    change_record,
    collapse,
    frame,
    park_record,
    read_file,
    records_for,
)
from core.journal.page import Change
from kernel.paths import private_folder, state_folder

log = logging.getLogger("ejournal.outbox")


def _database_key(database: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", database)[:48] or "default"


def _login_key(login: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]", "_", login)


class Outbox:
    """The durable queue of one running program's typed changes.

    Use :meth:`open`; an outbox whose folder cannot be written works in memory only
    (``durable`` is False and ``problem`` says why), so typing never crashes the program.

    Args:
        login: The person's login.
        database: The database's identity (``journal.database_id()``), so changes typed into
            one database are never replayed into another (a restored or rebuilt one).
        folder: Where outbox files live (default: the user's state folder).
    """

    def __init__(self, login: str, database: str, folder: Path | None = None) -> None:
        self.login, self.database = login, database
        self.folder = folder or state_folder()
        self._lock = threading.Lock()
        self._items: dict[int, Pending] = {}
        self._next = 1
        self._handle: Any = None
        self.path: Path | None = None
        self.problem = ""
        """Why changes are not on disk (empty while they are)."""
        self.torn = 0
        """Damaged records skipped when earlier outboxes were read."""
        self.adopted = 0
        """Changes taken over from programs of this person that are no longer running."""

    @classmethod
    def open(cls, login: str, database: str, folder: Path | None = None) -> Outbox:
        """Create this program's outbox file (locked) and adopt outboxes left by others."""
        box = cls(login, database, folder)
        try:
            box._create()
            box._adopt_orphans()
        except OSError as exc:
            box._go_memory(exc)
        return box

    @property
    def prefix(self) -> str:
        """File names of this person's outboxes in this database start with it."""
        return f"outbox-{_database_key(self.database)}-{_login_key(self.login)}-"

    @property
    def durable(self) -> bool:
        """Changes reach the disk before they are shown."""
        return self._handle is not None

    def _create(self) -> None:
        folder = private_folder(self.folder)
        name = f"{self.prefix}{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
        # Created under a name no other program looks for, locked, then renamed: a program
        # starting at the same moment never takes it for an outbox left behind.
        hidden = folder / f".{name}.new"
        fd = os.open(hidden, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(hidden, folder / name)
        except OSError:
            os.close(fd)
            raise
        self._handle = os.fdopen(fd, "a", encoding="utf-8", newline="\n")
        self.path = folder / name
        _sync_folder(folder)

    def _go_memory(self, exc: OSError) -> None:
        log.warning("outbox not writable, keeping changes in memory: %s", exc)
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
        self._handle = None
        where = self.path.parent if self.path is not None else self.folder
        self.problem = (f"Папка {where} недоступна для записи ({exc.strerror or exc}): изменения "
                        "хранятся только в памяти и пропадут, если программа закроется до "
                        "отправки.")

    def _orphans(self) -> Iterator[tuple[Path, int]]:
        """Other outboxes of this person and database whose program is gone, locked for us."""
        for path in sorted(self.folder.glob(f"{self.prefix}*.jsonl")):
            if path == self.path:
                continue
            try:
                fd = os.open(path, os.O_RDWR)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # a running program (another terminal) owns it
            try:
                yield path, fd
            finally:
                os.close(fd)

    def _adopt_orphans(self) -> None:
        for path, _fd in self._orphans():
            found = read_file(path)
            self.torn += found.torn
            taken = [replace(p, seq=self._next + i) for i, p in
                     enumerate(sorted(found.items.values(), key=lambda p: p.seq))]
            if taken:
                self._write(records_for(taken))
                for p in taken:
                    self._items[p.seq] = p
                self._next += len(taken)
                self.adopted += len(taken)
            if found.torn:
                log.warning("%s: %d damaged records skipped", path.name, found.torn)
            path.unlink()
        if self.torn:
            log.warning("outbox adoption skipped %d damaged records", self.torn)

    def close(self) -> None:
        """Release the file (what is left stays on disk for the next program); an empty
        outbox file is removed."""
        with self._lock:
            if self._handle is None or self.path is None:
                return
            if not self._items:
                with contextlib.suppress(OSError):
                    self.path.unlink()
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None

    # --- writing ------------------------------------------------------------------------

    def _write(self, records: list[dict[str, Any]]) -> None:
        """Append records in one write and one fsync (raises OSError)."""
        if self._handle is None:
            return
        self._handle.write("".join(frame(r) for r in records))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def _persist(self, records: list[dict[str, Any]]) -> None:
        try:
            self._write(records)
        except OSError as exc:
            self._go_memory(exc)

    def add(self, load_id: int, changes: list[Change], typed_at: datetime | None = None
            ) -> list[Pending]:
        """Record one edit's changes durably (one write, one fsync) before they are shown."""
        if not changes:
            return []
        at = typed_at or datetime.now(UTC)
        with self._lock:
            added = [Pending(self._next + i, load_id, c, at) for i, c in enumerate(changes)]
            self._next += len(added)
            self._persist([{"t": "add", "c": [change_record(p) for p in added]}])
            self._items.update({p.seq: p for p in added})
            return added

    def ack(self, seqs: Iterable[int]) -> None:
        """Forget changes the database confirmed (or that the person gave up)."""
        with self._lock:
            done = [s for s in seqs if s in self._items]
            if done:
                self._persist([{"t": "ack", "q": done}])
            for seq in done:
                del self._items[seq]

    def park(self, seqs: Iterable[int], parked: Parked) -> None:
        """Hold changes back until the person acts (a reason, a conflict, a refusal)."""
        with self._lock:
            held = [s for s in seqs if s in self._items]
            if held:
                self._persist([park_record(held, parked)])
            for seq in held:
                self._items[seq] = replace(self._items[seq], parked=parked)

    def give_reason(self, seqs: Iterable[int], reason: str) -> None:
        """The person's reason for correcting old marks: the changes go out again with it."""
        with self._lock:
            given = [s for s in seqs if s in self._items]
            if given:
                self._persist([{"t": "reason", "q": given, "why": reason}])
            for seq in given:
                self._items[seq] = replace(self._items[seq], parked=None, reason=reason)

    def replace_with(self, seqs: Iterable[int], load_id: int, changes: list[Change]) -> None:
        """Give changes up and queue new ones in the same write (a conflict kept as «mine»)."""
        at = datetime.now(UTC)
        with self._lock:
            gone = [s for s in seqs if s in self._items]
            added = [Pending(self._next + i, load_id, c, at) for i, c in enumerate(changes)]
            self._next += len(added)
            self._persist([{"t": "ack", "q": gone},
                           {"t": "add", "c": [change_record(p) for p in added]}])
            for seq in gone:
                del self._items[seq]
            self._items.update({p.seq: p for p in added})

    # --- reading ------------------------------------------------------------------------

    def pending(self) -> list[Pending]:
        """Every unconfirmed change, oldest first."""
        with self._lock:
            return sorted(self._items.values(), key=lambda p: p.seq)

    def edits(self, lessons: set[int] | None = None, statement: int | None = None) -> list[CellEdit]:
        """Unconfirmed changes collapsed per cell, oldest first: all of them, or those of some
        lessons (journal pages), or of one statement."""
        if statement is not None:
            return collapse([p for p in self.pending() if p.change.statement_id == statement])
        return collapse([p for p in self.pending() if lessons is None or (
            p.change.statement_id is None and p.change.lesson_id in lessons)])

    def count(self) -> int:
        """How many cells wait for the database."""
        return len(self.edits())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def _sync_folder(folder: Path) -> None:
    """Make a new file's name durable too (the folder's entry)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
