"""A real ``ejournal`` killed 10 ms after an F7 column loses none of it (issue 9).

Each test runs the program as a person does: ``python -m cli`` in a pseudo-terminal of
160×48 over a copy of the demo database, with its own state folder (where the outbox lives).
It logs in as the demo teacher, opens a page from the page picker, presses F7 and types a
column of 23 marks, and 10 ms after the screen shows the column the program is killed:
SIGKILL, or a hang-up — the terminal's master side closed and SIGHUP, as when an SSH
connection drops. The honest claim is «the screen shows nothing that is not on disk»: so what
the screen showed was then in the outbox file (or already in the database), and the next start
of the program by the same person sends it. The test checks exactly that: all 23 marks in the
database, one history row each, each stamped with the time it was typed, not the time it was
sent.

The screen is read with pyte (a terminal emulator): every step waits, with a time-out, for
what a person would wait for — the field to take the cursor, the list to filter, the column
to appear. The only fixed pause is the 10 ms before the kill. On a quiet machine the column is
on the screen 40–70 ms after Enter and nothing of it is in the database yet at the kill: the
23 marks reach it only through the outbox file the next start adopts (run with ``-s`` to see
the figures).
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyte
import pytest

from tests.demo_fixture import DemoDb

COLS, ROWS = 160, 48
REPO = Path(__file__).resolve().parents[2]
COUNT = 23
VALUES = tuple("5432"[i % 4] for i in range(COUNT))
STEP_S = 20.0
"""How long one step (a screen to appear, a field to take the cursor) may take."""
EXIT_WAIT_S = 10.0
"""How long a killed or hung-up program may take to end."""
SHOWN_WITHIN_S = 5.0
"""How long the typed column may take to appear on the screen after Enter."""
KILL_AFTER_S = 0.01
F7, ENTER, DOWN, LEFT, CTRL_Q = "\x1b[18~", "\r", "\x1b[B", "\x1b[D", "\x11"

# The demo teacher's whole-group loads in open periods, marks not pass/fail, with at least
# COUNT students studying: the page with most lessons first.
LOADS = """
SELECT t.id FROM journal.teaching_load t
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.academic_year y ON y.id = p.year_id
 WHERE t.teacher_id = (SELECT person_id FROM journal.account WHERE login = %(login)s)
   AND t.subgroup_id IS NULL AND NOT t.pass_fail
   AND p.closed_at IS NULL AND y.archived_at IS NULL
   AND (SELECT count(*) FROM journal.student s WHERE s.group_id = t.group_id
         AND s.status = 'обучается') >= %(count)s
 ORDER BY (SELECT count(*) FROM journal.lesson l WHERE l.load_id = t.id) DESC, t.id
"""


# --- the terminal -----------------------------------------------------------------------


class Terminal:
    """``ejournal`` running in a pseudo-terminal whose output is rendered by pyte.

    The child is a session leader with the pty as its controlling terminal (``pty.fork``), so
    closing the master side hangs it up as a dropped SSH connection does.
    """

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with warnings.catch_warnings():  # Python ≥ 3.12 warns about forking a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            pid, fd = pty.fork()
        if pid == 0:  # the child only execs: nothing that could wait for another thread's lock
            try:
                os.chdir(REPO)
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                # As under ``nohup`` (or a runner that ignores hang-ups), which ``exec`` passes on:
                # the program must still end when its terminal drops (tui/run.py).
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                os.execve(sys.executable, [sys.executable, "-m", "cli"], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.status: int | None = None

    # reading the screen

    def pump(self, timeout: float) -> None:
        """Render what the program wrote, waiting up to ``timeout`` for the first bytes."""
        if self.fd < 0:
            time.sleep(timeout)
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        while ready:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: the program is gone
                return
            if not data:
                return
            self.stream.feed(data)
            ready, _, _ = select.select([self.fd], [], [], 0)

    def lines(self) -> list[str]:
        """The screen as text lines."""
        return list(self.screen.display)

    def text(self) -> str:
        """The screen as text."""
        return "\n".join(line.rstrip() for line in self.lines())

    def wait_for(self, check: Callable[[], object], what: str, timeout: float = STEP_S) -> Any:
        """Keep rendering until ``check()`` is true; fail with the screen after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump(0.05)
            found = check()
            if found:
                return found
            if time.monotonic() > deadline or not self.alive():
                raise AssertionError(f"{what}: not seen in {timeout:.0f} s "
                                     f"(program {'running' if self.alive() else 'gone'})."
                                     f"\nThe screen:\n{self.text()}\n{self.log_tail()}")

    def wait_text(self, text: str, timeout: float = STEP_S) -> None:
        """Wait until ``text`` is on the screen."""
        self.wait_for(lambda: text in self.text(), f"«{text}»", timeout)

    def row_of(self, text: str) -> int | None:
        """The first screen line containing ``text``."""
        return next((y for y, line in enumerate(self.lines()) if text in line), None)

    def field_bg(self, label: str) -> str | None:
        """The background of the text field under ``label`` (it changes with the focus)."""
        lines = self.lines()
        top = self.row_of(label)
        if top is None:
            return None
        for y in range(top + 1, min(top + 4, ROWS)):
            x = lines[y].find("▊")
            if x >= 0 and "▔" not in lines[y] and "▁" not in lines[y]:
                return str(self.screen.buffer[y][x + 1].bg)
        return None

    def row_bgs(self, text: str) -> set[str]:
        """The backgrounds of the line containing ``text``."""
        y = self.row_of(text)
        return set() if y is None else {str(self.screen.buffer[y][x].bg) for x in range(COLS)}

    def log_tail(self) -> str:
        """The end of the program's log file, for failure messages."""
        with contextlib.suppress(OSError):
            return "The program's log:\n" + self.log.read_text("utf-8")[-3000:]
        return ""

    # acting

    def send(self, keys: str) -> None:
        """Type keys (UTF-8, escape sequences as xterm sends them)."""
        os.write(self.fd, keys.encode())

    def alive(self) -> bool:
        """The program still runs (reaps it when it ended)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is None

    def wait_exit(self, timeout: float) -> int | None:
        """The wait status once the program ended, None when it still runs after ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            self.pump(0.02)
        return self.status

    def hang_up(self) -> None:
        """Close the master side, as sshd does when the connection drops."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def close(self) -> None:
        """Kill the program if it still runs, reap it, close the pty."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        self.hang_up()


class LinePainter:
    """A tiny terminal for the moment of the kill: it follows only what Textual writes (a
    cursor position, then a line of text; colours ignored), fast enough to see the column the
    moment the program writes it. pyte needs 100–200 ms for a full screen of Textual's output,
    and meanwhile the program's writes to the terminal wait: time enough for its saver to send
    everything, so a kill timed by pyte would say nothing about the outbox. What the person saw
    is still judged by pyte, from the same bytes, after the kill.
    """

    CSI = re.compile(r"\x1b\[([0-?]*)[ -/]*([@-~])")

    def __init__(self, lines: list[str]) -> None:
        self.rows = [list(line.ljust(COLS)[:COLS]) for line in lines]
        self.y = self.x = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.carry = ""

    def lines(self) -> list[str]:
        """The screen as text lines."""
        return ["".join(row) for row in self.rows]

    def feed(self, data: bytes) -> None:
        """Apply what the program wrote."""
        s = self.carry + self.decoder.decode(data)
        pos = 0
        while pos < len(s):
            if s[pos] != "\x1b":
                end = s.find("\x1b", pos)
                end = len(s) if end < 0 else end
                self._text(s[pos:end])
                pos = end
                continue
            if s.startswith("\x1b]", pos):  # an operating system command, up to BEL or ST
                bel, st = s.find("\x07", pos), s.find("\x1b\\", pos)
                if bel < 0 and st < 0:
                    break
                pos = bel + 1 if bel >= 0 and (st < 0 or bel < st) else st + 2
                continue
            match = self.CSI.match(s, pos)
            if match is not None:
                if match.group(2) == "H":
                    row, _, col = match.group(1).partition(";")
                    self.y, self.x = int(row or 1) - 1, int(col or 1) - 1
                pos = match.end()
            elif len(s) - pos < 64 and (pos + 1 == len(s) or s[pos + 1] == "["):
                break  # cut in the middle: the rest comes with the next read
            else:
                pos += 2  # a two-character escape (ESC 7, ESC =, …)
        self.carry = s[pos:]

    def _text(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y += 1
            elif char >= " ":
                if 0 <= self.y < ROWS and 0 <= self.x < COLS:
                    self.rows[self.y][self.x] = char
                self.x += 1


def program_env(demo: DemoDb, state: Path) -> dict[str, str]:
    """The environment of a program on the test's database with its own state folder."""
    settings = demo.settings
    env = dict(os.environ)
    env.update(EJOURNAL_HOST=settings.host, EJOURNAL_PORT=str(settings.port),
               EJOURNAL_DBNAME=settings.dbname, EJOURNAL_DATA_DIR=settings.data_dir,
               EJOURNAL_LOG=str(state / "ejournal.log"), XDG_STATE_HOME=str(state),
               TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    return env


# --- the page and the database ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The page and the column the test types into, as the program will show them."""

    load_id: int
    title: str
    lesson_id: int
    lesson_date: date
    pair_no: int
    work_kind: str
    students: tuple[tuple[int, str], ...]
    """(student id, surname) of the page's first COUNT rows, in the page's order."""
    filter_text: str
    filter_index: int
    filter_labels: tuple[str, ...]


def choose_target(demo: DemoDb) -> Target:
    """The teacher's page with the most lessons that has COUNT rows to fill, the lesson the
    page opens on (today's, else the last one held), and how to reach it in the page picker."""
    from core.journal.service import list_loads, load_page

    account = demo.account("преподаватель")
    with demo.connect() as conn:
        rows = conn.execute(LOADS, {"login": account.login, "count": COUNT}).fetchall()
    assert rows, "the demo teacher has no page with enough students"
    load_id = rows[0][0]
    session = demo.log_in("преподаватель")
    try:
        data = load_page(session, load_id)
        loads = list_loads(session)
    finally:
        session.close()
    page = data.page
    assert not data.read_only and not data.closed and not page.pass_fail
    assert len(page.students) >= COUNT
    assert not any(key[0] in {s.student_id for s in page.students[:COUNT]} for key in page.away), \
        "a student of the typed rows does not study that day (F7 would skip the row)"
    # The page opens on today's lesson, else on the last one held (JournalScreen._select_initial);
    # open_page checks that the lesson line names this one.
    today = date.today()
    todays = [x for x in page.lessons if x.date == today]
    held = [x for x in page.lessons if x.date <= today]
    lesson = todays[0] if todays else held[-1] if held else page.lessons[0]
    # The picker filters by every typed word; the page is reached by its place in the list.
    load = next(x for x in loads if x.load_id == load_id)
    words = load.label.lower().split()
    shown = [x.label + ("" if x.is_mine else f" · {x.teacher_name}") for x in loads]
    matching = [(x, label) for x, label in zip(loads, shown, strict=True)
                if all(w in label.lower() for w in words)]
    index = next(i for i, (x, _) in enumerate(matching) if x.load_id == load_id)
    return Target(load_id, page.title, lesson.lesson_id, lesson.date, lesson.pair_no,
                  lesson.default_work_kind,
                  tuple((s.student_id, s.surname) for s in page.students[:COUNT]),
                  load.label, index, tuple(label for _, label in matching))


def clear_column(demo: DemoDb, lesson_id: int) -> int:
    """Remove the lesson's marks (so the typed column is all new) and its absences; return the last history id
    before the test types anything."""
    with demo.connect(autocommit=False) as conn:
        conn.execute("SET LOCAL journal.reason = 'test: an empty column to type into'")
        conn.execute("DELETE FROM journal.mark WHERE lesson_id = %s", (lesson_id,))
        # present: a mark on an absent student is refused (issue 11, migration 0031)
        conn.execute("UPDATE journal.attendance SET code = 'П' WHERE lesson_id = %s AND code <> 'П'",
                     (lesson_id,))
        last = conn.execute("SELECT coalesce(max(id), 0) FROM journal.change_log").fetchone()[0]
        conn.commit()
    return int(last)


def marks_in_db(demo: DemoDb, lesson_id: int) -> list[tuple[Any, ...]]:
    """(student, kind of work, value, typed_at) of the lesson's marks."""
    with demo.connect() as conn:
        return conn.execute(
            "SELECT student_id, work_kind, value, typed_at FROM journal.mark WHERE lesson_id = %s"
            " ORDER BY student_id, id", (lesson_id,)).fetchall()


def history_in_db(demo: DemoDb, lesson_id: int, after: int) -> list[tuple[Any, ...]]:
    """(student, action, value, typed_at) of the lesson's mark history written after ``after``."""
    with demo.connect() as conn:
        return conn.execute(
            "SELECT student_id, action, new_value ->> 'value', typed_at FROM journal.change_log"
            " WHERE table_name = 'mark' AND id > %s"
            "   AND (coalesce(new_value, old_value) ->> 'lesson_id')::int = %s ORDER BY id",
            (after, lesson_id)).fetchall()


def wait_backends_gone(demo: DemoDb, login: str, timeout: float = 10) -> None:
    """Wait until the server has ended every connection of the person to this database."""
    deadline = time.monotonic() + timeout
    with demo.connect() as conn:
        while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND "
                           "datname = current_database()", (login,)).fetchone()[0]:
            assert time.monotonic() < deadline, "the killed program's connections stay open"
            time.sleep(0.05)


def outbox_files(state: Path) -> list[Path]:
    """The outbox files in the test's state folder."""
    return sorted((state / "ejournal").glob("outbox-*.jsonl"))


# --- driving the program ------------------------------------------------------------------


@dataclass
class Focus:
    """The background of a text field with and without the cursor (learnt at login)."""

    focused: str = ""
    blurred: str = ""


def log_in(term: Terminal, login: str, password: str) -> Focus:
    """Type the login and the password, each once its field has the cursor; wait for home."""
    focus = Focus()

    def login_has_cursor() -> bool:
        mine, other = term.field_bg("Логин"), term.field_bg("Пароль")
        if mine is None or other is None or mine == other:
            return False
        focus.focused, focus.blurred = mine, other
        return True

    term.wait_for(login_has_cursor, "the login field with the cursor")
    term.send(login)
    term.wait_for(lambda: login in term.text(), "the typed login")
    term.send(ENTER)
    term.wait_for(lambda: term.field_bg("Пароль") == focus.focused, "the password field's cursor")
    term.send(password)
    term.wait_for(lambda: "•" * len(password) in term.text(), "the typed password")
    term.send(ENTER)
    term.wait_text("Журнал  —")
    return focus


def open_page(term: Terminal, focus: Focus, target: Target) -> None:
    """Home → «Журнал» → type the filter → the page; wait until it is drawn and saved."""
    # The menu's first line is highlighted once the menu has the cursor.
    term.wait_for(lambda: term.row_bgs("Журнал  —") - term.row_bgs("Ведомости  —"),
                  "the home menu with the cursor")
    term.send(ENTER)
    filter_label = "Страницы журнала (введите"
    term.wait_for(lambda: term.field_bg(filter_label) == focus.focused, "the picker's filter")
    term.send(target.filter_text)

    def filtered() -> bool:
        top = term.row_of(filter_label)
        if top is None or target.filter_text not in term.text():
            return False
        listed = [line for line in term.lines()[top + 4:] if " · " in line]
        return len(listed) == len(target.filter_labels) and all(
            label in line for label, line in zip(target.filter_labels, listed, strict=True))

    term.wait_for(filtered, "the filtered list of pages")
    term.send(ENTER)  # to the list, its first line highlighted
    term.wait_for(lambda: term.field_bg(filter_label) == focus.blurred, "the list with the cursor")
    term.send(DOWN * target.filter_index + ENTER)
    term.wait_text(target.title)
    lesson_line = f"{target.lesson_date:%d.%m.%Y}, {target.pair_no} пара"
    term.wait_text(lesson_line)
    term.wait_text("Все изменения сохранены")


def column_shown(lines: list[str], target: Target) -> list[str]:
    """What the grid shows in the target column for the first COUNT rows ('' when unseen)."""
    head = next((y for y, line in enumerate(lines) if "№ Студент" in line), None)
    if head is None or head + 1 >= ROWS:
        return [""] * COUNT
    day, pair = f"{target.lesson_date:%d.%m}", str(target.pair_no)
    columns = [x for x in range(COLS - 5) if lines[head][x:x + 5] == day
               and lines[head + 1][x:x + 5].strip().startswith(pair)]
    if len(columns) != 1:
        return [""] * COUNT
    x = columns[0]
    cells = []
    for number, (_, surname) in enumerate(target.students, start=1):
        line = next((line for line in lines[head + 2:] if line.startswith(f"{number:3d} ")), "")
        cells.append(line[x - 1:x + 5].strip() if surname[:8] in line else "")
    return cells


def is_typed(cell: str, value: str) -> bool:
    """The cell shows the typed mark (alone, or after the attendance: «НН/4»)."""
    return value in cell.split("/")


def type_column_and_kill(term: Terminal, focus: Focus, target: Target, hang_up: bool
                         ) -> tuple[datetime, datetime, list[str], float]:
    """F7, the 23 values, Enter; 10 ms after the column is on the screen, kill the program.

    Returns (when Enter was sent, when the program was killed, what the column showed before
    the kill as pyte renders it, seconds from Enter to the column on the screen)."""
    before = column_shown(term.lines(), target)
    assert all(before) and not any(is_typed(c, v) for c, v in zip(before, VALUES, strict=True)), \
        f"the column is not empty before typing: {before}"
    term.send(F7)
    hint = "Через пробел: 2–5"
    term.wait_text("Ряд отметок вниз по столбцу")
    term.wait_for(lambda: term.field_bg(hint) == focus.focused, "the F7 field with the cursor")
    typed = " ".join(VALUES)
    term.send(typed)
    term.wait_for(lambda: typed in term.text(), "the typed column in the F7 field")
    term.pump(0.05)  # render everything written so far: the painter starts from this screen
    painter = LinePainter(term.lines())
    received = bytearray()

    def on_screen() -> bool:
        cells = column_shown(painter.lines(), target)
        return all(is_typed(c, v) for c, v in zip(cells, VALUES, strict=True))

    entered = datetime.now(UTC)
    started = time.monotonic()
    term.send(ENTER)
    while not on_screen() and time.monotonic() - started < SHOWN_WITHIN_S:
        ready, _, _ = select.select([term.fd], [], [], 0.001)
        if ready:
            data = os.read(term.fd, 1 << 16)
            received += data
            painter.feed(data)
    took = time.monotonic() - started
    time.sleep(KILL_AFTER_S)
    if hang_up:
        term.hang_up()
        os.kill(term.pid, signal.SIGHUP)
    else:
        os.kill(term.pid, signal.SIGKILL)
    killed = datetime.now(UTC)
    term.stream.feed(bytes(received))  # the screen as it was at the kill
    return entered, killed, column_shown(term.lines(), target), took


def quit_program(term: Terminal) -> int | None:
    """Ctrl+Q (answering «Да» if it asks); the wait status."""
    term.send(CTRL_Q)
    status = term.wait_exit(5)
    if status is None and "Выйти из программы?" in term.text():
        term.send(LEFT + ENTER)
        status = term.wait_exit(10)
    return status


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("hang_up", [False, True], ids=["sigkill", "sighup"])
def test_a_column_typed_10_ms_before_the_program_dies_arrives_at_the_next_start(
        demo_db: DemoDb, tmp_path: Path, hang_up: bool) -> None:
    from core.journal.outbox_format import read_file

    account = demo_db.account("преподаватель")
    target = choose_target(demo_db)
    history_before = clear_column(demo_db, target.lesson_id)
    state = tmp_path / "state"
    env = program_env(demo_db, state)
    first = Terminal(env, state / "ejournal.log")
    second: Terminal | None = None
    try:
        focus = log_in(first, account.login, account.password)
        open_page(first, focus, target)
        entered, killed, shown, took = type_column_and_kill(first, focus, target, hang_up)
        status = first.wait_exit(EXIT_WAIT_S)
        assert status is not None, f"the program still runs {EXIT_WAIT_S:.0f} s after " + \
            ("the hang-up" if hang_up else "SIGKILL")
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == \
            (signal.SIGHUP if hang_up else signal.SIGKILL), f"wait status {status}"
        first.close()
        # What the person saw before the program died.
        assert all(is_typed(c, v) for c, v in zip(shown, VALUES, strict=True)), \
            f"the column was not on the screen {SHOWN_WITHIN_S} s after Enter: {shown}"

        # Each shown mark was then either in the database or in the outbox file.
        wait_backends_gone(demo_db, account.login)
        at_kill = {row[0] for row in marks_in_db(demo_db, target.lesson_id)}
        files = outbox_files(state)
        assert files, "the killed program left no outbox file"
        waiting = [p for f in files for p in read_file(f).items.values()]
        on_disk = {p.change.student_id for p in waiting if p.change.lesson_id == target.lesson_id}
        students = [sid for sid, _ in target.students]
        missing = [sid for sid in students if sid not in at_kill | on_disk]
        assert not missing, f"shown on screen but neither in the database nor on disk: {missing}"
        print(f"\nshown {took * 1000:.0f} ms after Enter; at the kill {len(at_kill)} in the database,"
              f" {len(on_disk)} in {len(files)} outbox file(s)")

        # The next start of the same person sends them.
        restarted = datetime.now(UTC)
        second = Terminal(env, state / "ejournal.log")
        log_in(second, account.login, account.password)
        if waiting:
            second.wait_text(f"Из прошлого запуска программы взято изменений: {len(waiting)}.")
        second.wait_for(lambda: len(marks_in_db(demo_db, target.lesson_id)) >= COUNT,
                        "all 23 marks in the database")
        second.wait_for(lambda: "Ждут отправки" not in second.text(), "nothing waiting")
        status = quit_program(second)
        assert status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, \
            f"the second program did not quit cleanly: {status}\n{second.text()}"
        second.close()

        marks = marks_in_db(demo_db, target.lesson_id)
        expected = sorted(zip(students, VALUES, strict=True))
        assert sorted((sid, value) for sid, _kind, value, _at in marks) == expected
        assert {kind for _sid, kind, _value, _at in marks} == {target.work_kind}
        for sid, _kind, value, typed_at in marks:
            assert typed_at is not None and entered <= typed_at <= killed < restarted, \
                f"student {sid}, mark {value}: typed_at {typed_at} is not the time it was typed " \
                f"({entered} … {killed})"
        history = history_in_db(demo_db, target.lesson_id, history_before)
        assert sorted((sid, action, value) for sid, action, value, _at in history) == \
            sorted((sid, "INSERT", value) for sid, value in expected), "one history row per mark"
        assert all(at is not None and entered <= at <= killed for *_, at in history)
        assert not outbox_files(state), "an outbox file is left after everything was sent"
    finally:
        first.close()
        if second is not None:
            second.close()
