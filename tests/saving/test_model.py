"""A model-based test of the saver and the outbox: random sequences of what people and faults do.

Each sequence (seeded, so a failure names its seed) types, undoes and corrects marks in one or
two terminals of the same teacher, while the server goes away and comes back, backends are
terminated, the password is reset, a program is killed (its state dropped and reopened from the
outbox file) and an outbox's tail is torn. At the end the invariant must hold for every cell:
the database holds the last value typed, or the cell is held with its reason; the history has
exactly one row per row the saver reported written.

``EJOURNAL_MODEL_SEQUENCES`` runs more sequences than the default 200.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core.journal.outbox import Outbox
from core.journal.outbox_format import frame
from core.journal.page import Change
from core.journal.saver import Saver, SaveReport
from db.connect import Credentials
from kernel.errors import ServerError
from kernel.marks import MarkValue
from kernel.passwords import derive_password
from tests.demo_fixture import DemoDb, teacher_load
from tests.saving.cells import KIND, free_cells

SEQUENCES = int(os.environ.get("EJOURNAL_MODEL_SEQUENCES", "200"))
CELLS = 8
VALUES = [None, "2", "3", "4", "5"]
REASON = "исправление по заявлению"


@dataclass
class World:
    """The database side of the model: the teacher's cells, the server's state, the login."""

    demo: DemoDb
    login: str
    load_id: int
    database_id: str
    cells: list[tuple[int, int]]
    credentials: Credentials
    down: bool = False
    written: int = 0
    admin: Any = None

    def connect(self) -> Any:
        if self.down:
            raise ServerError("Сервер базы данных недоступен.")
        return self.credentials.connect()

    def sql(self, query: str, args: Any = None) -> list[Any]:
        if self.admin is None or self.admin.closed:
            self.admin = self.demo.connect()
        cur = self.admin.execute(query, args)
        return cur.fetchall() if cur.description else []

    def kick(self) -> None:
        """End the teacher's sessions (server stopped, backend terminated, password reset)."""
        self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                 (self.login,))

    def value(self, cell: tuple[int, int]) -> str | None:
        rows = self.sql("SELECT value FROM journal.mark WHERE student_id = %s AND lesson_id = %s"
                        " AND work_kind = %s", (*cell, KIND))
        return rows[0][0] if rows else None

    def history_rows(self, since: int) -> int:
        cells = [f"{s}:{lesson}" for s, lesson in self.cells]
        return int(self.sql(
            "SELECT count(*) FROM journal.change_log WHERE id > %s AND table_name = 'mark'"
            " AND student_id::text || ':' || (coalesce(new_value, old_value)->>'lesson_id') = ANY(%s)"
            " AND coalesce(new_value, old_value)->>'work_kind' = %s", (since, cells, KIND))[0][0])


@dataclass
class Terminal:
    """One running program of the teacher: its outbox, its saver, what its screen shows."""

    world: World
    folder: Path
    cells: list[tuple[int, int]]
    shown: dict[tuple[int, int], str | None] = field(default_factory=dict)
    saver: Saver | None = None

    def start(self) -> None:
        outbox = Outbox.open(self.world.login, self.world.database_id, self.folder)
        self.saver = Saver(self.world.connect, outbox)
        self.saver.subscribe(self._count)
        for cell in self.cells:  # what a reopened page shows: the database, then the outbox
            self.shown[cell] = self.world.value(cell)
        for edit in outbox.edits():
            self.shown[(edit.change.student_id, edit.change.lesson_id)] = _text(edit.change.new)

    def _count(self, report: SaveReport) -> None:
        self.world.written += sum(r.written for r in report.results)

    def type(self, cell: tuple[int, int], value: str | None, undo: bool = False) -> None:
        assert self.saver is not None
        old = self.shown[cell]
        if old == value:
            return
        self.saver.submit(self.world.load_id, [Change(cell[0], cell[1], KIND, old and MarkValue(old),
                                                      value and MarkValue(value), is_undo=undo)])
        self.shown[cell] = value

    def send(self, rng: random.Random) -> None:
        assert self.saver is not None
        self.saver.send_once()
        for edit in self.saver.edits():
            if edit.parked is None or edit.parked.state != "reason":
                continue
            if rng.random() < 0.6:
                self.saver.give_reason([edit], REASON)
            else:  # Esc: the stored value comes back on the screen
                self.saver.drop([edit])
                cell = (edit.change.student_id, edit.change.lesson_id)
                self.shown[cell] = self.world.value(cell)

    def kill(self, tear: bool) -> None:
        """The program dies: its lock goes with it; the next program adopts the file."""
        assert self.saver is not None
        outbox = self.saver.outbox
        handle = outbox._handle
        if tear and handle is not None:  # a record cut in the middle of its write
            record = frame({"t": "add", "c": [{"q": 999, "load": 1, "s": 1, "l": 1, "k": "test",
                                                "o": None, "n": ["m", "5"], "u": False,
                                                "at": "2026-12-06T00:00:00+00:00"}]})
            handle.write(record[: len(record) // 2])
            handle.flush()
        if handle is not None:
            handle.close()
        self.shown.clear()
        self.start()


def _text(value: Any) -> str | None:
    return None if value is None else str(value.value)


@pytest.fixture
def world(demo_db: DemoDb) -> Iterator[World]:
    session, load_id = teacher_load(demo_db)
    cells = free_cells(demo_db, load_id, CELLS)
    w = World(demo_db, session.person.login, load_id, session.database_id, cells, session.credentials)
    original = session.credentials.derived_password
    session.close()
    yield w
    w.sql(f"ALTER ROLE \"{w.login}\" LOGIN PASSWORD '{original}'")
    w.sql("SELECT journal.accept_password(%s)", (w.login,))
    w.admin.close()


def _reset(world: World, rng: random.Random) -> None:
    """Fresh cells for a sequence: some hold marks old enough to need a reason to correct
    (written with the triggers off: no history rows, a stamp 30 days back)."""
    world.sql("SET session_replication_role = replica")
    world.sql("DELETE FROM journal.mark WHERE work_kind = %s AND load_id = %s", (KIND, world.load_id))
    for cell in world.cells:
        if rng.random() < 0.3:
            world.sql("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value,"
                      " changed_at) VALUES (%s, %s, %s, %s, %s, now() - interval '30 days')",
                      (cell[1], world.load_id, cell[0], KIND, rng.choice("2345")))
    world.sql("SET session_replication_role = origin")


def _relogin(world: World, terminals: list[Terminal], password: str) -> None:
    world.credentials = Credentials.from_typed(world.credentials.settings, world.login, password)
    for t in terminals:
        assert t.saver is not None
        t.saver.logged_in_again()


def run_sequence(world: World, seed: int, folder: Path) -> None:
    rng = random.Random(seed)
    _reset(world, rng)
    since = int(world.sql("SELECT coalesce(max(id), 0) FROM journal.change_log")[0][0])
    world.written, world.down = 0, False
    two = rng.random() < 0.3
    split = CELLS // 2 if two else CELLS
    terminals = [Terminal(world, folder, world.cells[:split])]
    if two:
        terminals.append(Terminal(world, folder, world.cells[split:]))
    for t in terminals:
        t.start()
    password = ""
    undo: list[tuple[Terminal, tuple[int, int], str | None]] = []
    for _ in range(rng.randint(5, 25)):
        t = rng.choice(terminals)
        op = rng.random()
        if op < 0.45:
            cell = rng.choice(t.cells)
            undo.append((t, cell, t.shown[cell]))
            t.type(cell, rng.choice(VALUES))
        elif op < 0.52 and undo:
            ut, cell, before = undo.pop()
            if ut.saver is t.saver:
                t.type(cell, before, undo=True)
        elif op < 0.75:
            t.send(rng)
        elif op < 0.80:
            world.down = True
            world.kick()
        elif op < 0.86:
            world.down = False
        elif op < 0.89:
            world.kick()
        elif op < 0.91 and not password:
            password = f"Пароль-{seed}-нов"
            derived = derive_password(world.login, password,
                                      installation_salt=world.credentials.settings.auth_salt)
            world.sql(f"ALTER ROLE \"{world.login}\" PASSWORD '{derived}'")
            world.sql("SELECT journal.accept_password(%s)", (world.login,))   # set by hand
            world.kick()
        elif op < 0.93 and password:
            _relogin(world, terminals, password)
        else:
            t.kill(tear=rng.random() < 0.5)
            undo = [u for u in undo if u[0] is not t]
    # The end of the day: the server is back, the person logged in, everything sent.
    world.down = False
    if password:
        _relogin(world, terminals, password)
    for _ in range(6):
        for t in terminals:
            t.send(random.Random(seed))
    for t in terminals:
        assert t.saver is not None
        left = [e for e in t.saver.edits() if e.parked is None]
        assert not left, f"seed {seed}: not sent: {left}"
        held = {(e.change.student_id, e.change.lesson_id): e.parked for e in t.saver.edits()}
        for cell in t.cells:
            parked = held.get(cell)
            if parked is not None:  # only a rule may hold a cell here: nobody else writes them
                assert parked.state == "refused" and parked.why, f"seed {seed}: {cell} held: {parked}"
                continue
            assert world.value(cell) == t.shown[cell], f"seed {seed}: cell {cell} lost what was typed"
    assert world.history_rows(since) == world.written, f"seed {seed}: history ≠ rows written"
    for t in terminals:
        assert t.saver is not None
        t.saver.stop()
    for path in folder.glob("outbox-*"):
        path.unlink()


def test_typed_marks_survive_every_fault(world: World, tmp_path: Path) -> None:
    for seed in range(SEQUENCES):
        run_sequence(world, seed, tmp_path / f"s{seed}")
