"""What ``bench/ssh_load.py`` measures beside the sessions: a probe teacher's commits, the
memory of the programs and the server, and the check of every typed mark afterwards."""

from __future__ import annotations

import os
import pwd
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT
from ssh_parts import Column, compare_marks, expected_marks, processes, pss_mb


def commit_probe_process(settings: Any, stop: Any, out: Any) -> None:
    """``commit_probe`` in a process of its own (forked before any thread of the bench): in
    the bench's process its saver shared the GIL with the memory sampler's reads of /proc,
    and a commit was timed late whenever a sample ran. Puts the list of times on ``out``."""
    times: list[float] = []
    try:
        commit_probe(settings, stop, times)
    finally:
        out.put(times)


def commit_probe(settings: Any, stop: threading.Event, times: list[float]) -> None:
    """The demo teacher's changes through the real saver, one a second, timed to commit."""
    sys.path.insert(0, str(ROOT / "bench"))
    from journal_page import free_cells

    from core.journal.outbox import Outbox
    from core.journal.outbox_format import cell_key
    from core.journal.page import Change
    from core.journal.saver import Saver
    from core.journal.service import list_loads, load_page
    from core.session import log_in
    from kernel.marks import MarkValue

    session = log_in(settings, "emelianov.gm", "demo-teacher")
    pages = {x.load_id: load_page(session, x.load_id).page for x in list_loads(session)[:8]}
    load_id = max(pages, key=lambda x: len(free_cells(pages[x], "test", 10_000)))
    page = pages[load_id]
    done: dict[Any, float] = {}
    saver = Saver(session.new_connection, Outbox.open(session.person.login, session.database_id))
    saver.subscribe(lambda report: [done.setdefault(r.edit.key, time.perf_counter())
                                    for r in report.results])
    saver.start()
    sent = {}
    for student_id, lesson_id in free_cells(page, "test", 10_000):
        if stop.is_set():
            break
        change = Change(student_id, lesson_id, "test", None, MarkValue.FOUR)
        sent[cell_key(change)] = time.perf_counter()
        saver.submit(load_id, [change])
        stop.wait(1.0)
    saver.wait_idle(30)
    saver.stop()
    # the first change also opens the saver's connection: not a commit of a running program
    times += [(done[key] - at) * 1000 for key, at in list(sent.items())[1:] if key in done]
    session.close()


def verify(settings: Any, items: list[dict[str, Any]], results: dict[str, dict[str, Any]],
           after: int) -> list[str]:
    """Every typed mark in the database with one history row, nothing else in the columns."""
    from db.server.launcher import EmbeddedServer

    problems = []
    with EmbeddedServer(settings).connect_superuser(settings.dbname) as conn:
        for item in items:
            result = results.get(item["user"], {})
            plan = [Column(lesson, tuple(values), f7, tuple(rows))
                    for lesson, values, f7, rows in result.get("plan", [])]
            expected = expected_marks(plan, item["students"], result.get("typed", {}))
            lessons = item["lessons"]
            in_db = {(s, lesson): v for s, lesson, v in conn.execute(
                "SELECT student_id, lesson_id, value FROM journal.mark WHERE lesson_id = ANY(%s)",
                (lessons,)).fetchall()}
            history = {(s, lesson): n for s, lesson, n in conn.execute(
                "SELECT student_id, (new_value ->> 'lesson_id')::int, count(*) FROM journal.change_log"
                " WHERE table_name = 'mark' AND action = 'INSERT' AND id > %s"
                "   AND (new_value ->> 'lesson_id')::int = ANY(%s) GROUP BY 1, 2",
                (after, lessons)).fetchall()}
            unsent = {f"{cell}:" for cell in outbox_cells(item["user"])}
            problems += [f"{item['user']} {p}"
                         + (" (still in the user's outbox)" if p.startswith(tuple(unsent)) else "")
                         for p in compare_marks(expected, in_db, history)]
    return problems


def outbox_cells(user: str) -> set[tuple[int, int]]:
    """The cells (student, lesson) an OS user's program still holds unsent in its outbox files
    (sent at that person's next login): a mark missing from the database but found here was
    typed and kept, not lost."""
    from core.journal.outbox_format import read_file

    state = Path(pwd.getpwnam(user).pw_dir) / ".local" / "state" / "ejournal"
    return {(p.change.student_id, p.change.lesson_id)
            for path in state.glob("outbox-*.jsonl")
            for p in read_file(path).items.values()}


def memory_sampler(uids: set[int], postmaster: int, stop: threading.Event,
                   peak: list[float], cpu: CpuLedger) -> None:
    """PSS of the programs and of this install's PostgreSQL every 5 s; the most seen, as
    ``peak`` = [total, the programs' part, the server's part] of that sample. ``cpu`` is
    brought up to date at each sample."""
    while not stop.wait(5):
        server = pss_mb([postmaster, *children(postmaster)])
        programs = pss_mb(processes(lambda uid, cmd: uid in uids and "ejournal" in cmd))
        if programs + server > peak[0]:
            peak[:] = [programs + server, programs, server]
        cpu.sample(uids, postmaster)


class CpuLedger:
    """Processor seconds used during the run, by kind of process: what of the machine's two
    cores went to the programs and the server, and what to the bench's own clients."""

    KINDS = ("programs", "postgres", "sshd", "ssh clients", "drivers", "other")

    def __init__(self) -> None:
        self.ticks: dict[tuple[int, str], tuple[str, int]] = {}   # (pid, start) → kind, ticks
        self.bench = os.getpid()

    def sample(self, uids: set[int], postmaster: int) -> None:
        server = {postmaster, *children(postmaster)}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                self._take(int(entry.name), entry, uids, server)

    def _take(self, pid: int, entry: Path, uids: set[int], server: set[int]) -> None:
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().decode(errors="replace")
            uid = entry.stat().st_uid
        except OSError:
            return
        comm, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        ppid, used, start = int(fields[1]), int(fields[11]) + int(fields[12]), fields[19]
        kind = ("programs" if uid in uids and "ejournal" in cmd else
                "postgres" if pid in server else
                "sshd" if comm.startswith("sshd") else
                "ssh clients" if comm == "ssh" else
                "drivers" if self.bench in (pid, ppid) else "other")
        self.ticks[(pid, start)] = (kind, used)

    def seconds(self) -> dict[str, float]:
        hertz = os.sysconf("SC_CLK_TCK")
        return {kind: sum(t for k, t in self.ticks.values() if k == kind) / hertz
                for kind in self.KINDS}


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the server's backends and workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found
