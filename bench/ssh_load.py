"""Many teachers over OpenSSH at once (issue 15, item 4). Not part of ``make test``; run as root:

    .venv/bin/python bench/ssh_load.py --users 30 --minutes 5

It installs the program with ``ejournal server install --prefix BASE/root`` (a venv under
BASE/root/opt, the embedded server on its own port), fills the demo college, gives ``--users``
teachers an account, creates as many OS users (``ejb01``…, group ``ejbench``) and starts an
sshd on a spare port whose ``Match Group`` block comes from ``ejournal server ssh-config``
(may ``apt-get install -y openssh-server``). Then every OS user logs in over SSH to
localhost at the same moment, in a pseudo-terminal rendered by pyte: the program opens,
the person types their login and password (all press Enter in the same instant: the login
storm, argon2 64 MiB each), opens their page and types marks at a teacher's pace (a key every
0.5–2 s, about a quarter of the columns as one F7 line) for ``--minutes``. Figures:

    ssh_login_p95_s           ssh started → the journal page on the screen (without the wait
                              for the others before Enter)
    ssh_key_to_screen_p95_ms  a mark key written to the terminal → the first bytes back
    commit_p95_ms             a probe teacher's change → committed, while all type
    memory_total_mb           PSS of the programs and the PostgreSQL server, the most seen
    login_storm_s             all press Enter at once → the last home screen
    errors                    sessions that failed, typed marks missing or without one history row

``--keep`` leaves BASE (the install, the demo, the OS users) for the next run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ssh_measure import CpuLedger, commit_probe_process, memory_sampler, verify
from ssh_parts import (
    Column,
    Terminal,
    p95,
    pauses,
    typing_plan,
)
from ssh_world import World, clear_columns

ENTER, UP, DOWN, LEFT, F7, CTRL_Q = "\r", "\x1b[A", "\x1b[B", "\x1b[D", "\x1b[18~", "\x11"
F1, ESC = "\x1bOP", "\x1b"
HELP_SHOWN = "Esc — закрыть справку"

# --- one session (a process of its own) ------------------------------------------------------


def session(world: dict[str, Any], item: dict[str, Any], barrier: Any, minutes: float,
            out: Any) -> None:
    """Log in over SSH, open the page, type for ``minutes``, report."""
    result: dict[str, Any] = {"user": item["user"], "keys": [], "typed": {}, "error": ""}
    env = {"PATH": os.environ["PATH"], "TERM": "xterm-256color", "HOME": os.environ["HOME"]}
    argv = ["ssh", "-tt", "-p", str(world["ssh_port"]), "-i", world["key"],
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", f"{item['user']}@127.0.0.1"]
    term = None
    try:
        spawned = time.perf_counter()
        term = Terminal(argv, env)
        shown = term.wait_for(["Логин", "Войти"], "the login screen")
        time.sleep(0.3)
        term.keys(item["login"])
        term.wait_for(item["login"], "the typed login")
        term.send(ENTER)
        time.sleep(0.2)
        term.keys(item["password"])
        term.wait_for("•" * len(item["password"]), "the typed password")
        barrier.wait(120)
        entered = term.send(ENTER)
        result["enter_at"] = time.time()
        home = term.wait_for("Сменить пароль", "the home screen", timeout=120)
        result["home_at"] = time.time()
        opened = term.position
        pressed, drawn = open_page(term, item)
        term.wait_for("Все изменения сохранены", "the page saved", since=opened)
        result["login_s"] = (shown - spawned) + (home - entered) + (drawn - pressed)
        type_marks(term, item, time.time() + minutes * 60, result)
        settle(term)
        asked = term.position
        term.send(CTRL_Q)
        time.sleep(1)
        term.pump(0.2)
        if term.seen("Выйти", asked):   # not expected after settle(): counted as an error
            result["error"] += "the program still had changes to send when asked to quit; "
            term.send(LEFT + ENTER)
        if not term.ended(120):
            result["error"] += "the program did not end after Ctrl+Q; "
    except Exception as exc:  # reported, counted as an error of the run
        result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-800:]}"
    finally:
        if term is not None:
            term.close()
            keep_output(world, item["user"], term, result)
        out.put(result)


def keep_output(world: dict[str, Any], user: str, term: Terminal, result: dict[str, Any]) -> None:
    """The session's whole output and the place in it of every mark key sent, for a look at
    what the screen showed around a cell the check finds wrong (``BASE/screens``)."""
    folder = Path(world["screens"])
    folder.mkdir(exist_ok=True)
    (folder / f"{user}.raw").write_bytes(bytes(term.raw))
    (folder / f"{user}.keys").write_text(
        "\n".join(f"{at} {lesson} {value}" for at, lesson, value in result.pop("sent", [])))


def settle(term: Terminal) -> None:
    """Wait until the program has handled every key sent and saved what they typed.

    Under load the program can be seconds behind the driver: a status «Все изменения
    сохранены» drawn for an earlier key would end the wait too soon, and a quit then finds the
    last mark still on its way, or a hang-up ends the program before it read that key at all
    (neither on the screen, nor in the outbox). F1 is handled after every key sent before it,
    and the grid writes a mark to the outbox before it shows it, so once the help is on the
    screen every mark is typed; the status drawn after that is the truth about them."""
    sent = term.position
    term.send(F1)
    term.wait_for(HELP_SHOWN, "the help (every key handled)", timeout=120, since=sent)
    after_help = term.position
    term.send(ESC)
    term.wait_for("Все изменения сохранены", "everything saved", timeout=120, since=after_help)


def open_page(term: Terminal, item: dict[str, Any]) -> tuple[float, float]:
    """Home → «Журнал» → the filter → the list → the page (retrying Enter under load);
    the moments of the Enter that opened it and of the page on the screen."""
    time.sleep(0.5)
    term.send(ENTER)
    term.wait_for("Страницы журнала", "the page picker")
    time.sleep(1.0)
    term.keys(item["filter"], gap=0.01)
    term.wait_for(item["filter"].split(" · ")[-1], "the typed filter")
    time.sleep(1.5)
    term.send(ENTER)
    time.sleep(1.0)
    term.keys(["\x1b[B"] * item["index"])
    time.sleep(0.5)
    for _attempt in range(4):
        pressed = term.send(ENTER)
        try:
            return pressed, term.wait_for("№ Студент", "the page", timeout=8)
        except TimeoutError:
            continue
    raise TimeoutError(f"the page did not open:\n{term.text()}")


def type_marks(term: Terminal, item: dict[str, Any], until: float, result: dict[str, Any]) -> None:
    """Fill the plan's columns at a teacher's pace until the time is up: only the rows that
    study on each lesson's date (the program greys and refuses the others)."""
    studying = {int(lesson): rows for lesson, rows in item["studying"].items()}
    plan = typing_plan(item["lessons"], studying, seed=item["n"])
    result["plan"] = [(c.lesson_id, c.values, c.by_f7, c.rows) for c in plan]
    pace = iter(pauses(item["n"]))
    # The picker's Enter is sent again when the page is slow to open (open_page); an Enter
    # that reaches the open page moves its cursor down a row. Start from the top row, as
    # after every column, or the first column would go one row lower than planned.
    to_top(term, item)
    for column in plan:
        if time.time() + 2 > until:
            return
        if column.values:
            if column.lead_in:
                term.keys([DOWN] * column.lead_in, gap=0.02)
                time.sleep(0.3)
            if column.by_f7:
                if type_f7(term, column, next(pace)):
                    result["typed"][column.lesson_id] = len(column.values)
                    result["f7"] = result.get("f7", 0) + 1
                else:
                    result["error"] += f"F7 column of lesson {column.lesson_id} not typed; "
                result["last_key_at"] = term.position
            else:
                type_column(term, column, pace, until, result)
            time.sleep(next(pace))
        to_top(term, item, LEFT)


def to_top(term: Terminal, item: dict[str, Any], first: str = "") -> None:
    """``first`` (an arrow: to the next column), then up-arrows to the page's top row."""
    term.keys(([first] if first else []) + [UP] * len(item["students"]), gap=0.02)
    time.sleep(0.3)


def type_f7(term: Terminal, column: Column, pause: float) -> bool:
    """F7, the column as one line, Enter. The dialog takes the keys only once its field has
    the cursor (a moment after it is drawn); a line not echoed whole is cancelled (Esc) and
    typed again. False when it never was."""
    text = " ".join(column.values)
    for _attempt in range(3):
        asked = term.position
        term.send(F7)
        term.wait_for("Через пробел", "the F7 field", since=asked)
        time.sleep(max(pause, 1.5))
        typed_from = term.position
        term.keys(text)
        try:
            term.wait_for(text, "the typed F7 line", timeout=8, since=typed_from)
        except TimeoutError:
            term.send("\x1b")
            time.sleep(1.5)
            continue
        time.sleep(0.3)
        term.send(ENTER)
        return True
    return False


def type_column(term: Terminal, column: Column, pace: Any, until: float,
                result: dict[str, Any]) -> None:
    for value in column.values:
        if time.time() > until:
            return
        term.pump(0)
        result["last_key_at"] = term.position
        result.setdefault("sent", []).append((term.position, column.lesson_id, value))
        sent = term.send(value)
        first = term.pump(1.0)
        if first is not None:
            result["keys"].append((first - sent) * 1000)
        result["typed"][column.lesson_id] = result["typed"].get(column.lesson_id, 0) + 1
        time.sleep(next(pace))


def collect(out: Any, items: list[dict[str, Any]], workers: list[Any],
            deadline: float) -> dict[str, dict[str, Any]]:
    """Every session's report; a session silent at ``deadline`` is stopped and counted as an
    error of the run, so that one stuck driver does not lose the other sessions' figures."""
    results: dict[str, dict[str, Any]] = {}
    while len(results) < len(items) and time.monotonic() < deadline:
        try:
            result = out.get(timeout=max(0.1, min(10.0, deadline - time.monotonic())))
        except queue.Empty:
            continue
        results[result["user"]] = result
    for item in items:
        if item["user"] not in results:
            results[item["user"]] = {"user": item["user"], "keys": [], "typed": {},
                                     "error": "no report from the session before the deadline"}
    for worker in workers:
        worker.join(10)
        if worker.is_alive():
            worker.kill()
    return results


# --- the run ---------------------------------------------------------------------------------


def print_cpu(seconds: dict[str, float], wall: float) -> None:
    """Where the processor time of the run went (two cores give 2 × wall seconds)."""
    shares = ", ".join(f"{kind} {used:.0f}" for kind, used in seconds.items())
    print(f"cpu_s: {sum(seconds.values()):.0f} of {os.cpu_count()} × {wall:.0f} ({shares})")


def report(args: argparse.Namespace, items: list[dict[str, Any]],
           results: dict[str, dict[str, Any]], problems: list[str], commits: list[float],
           memory: list[float]) -> int:
    """Print the figures; 1 when a session failed or a typed mark is not as typed."""
    errors = [f"{u}: {r['error']}" for u, r in results.items() if r["error"]]
    ok = list(results.values())     # a session that failed later still measured its login
    enters = [r["enter_at"] for r in results.values() if "enter_at" in r]
    homes = [r["home_at"] for r in results.values() if "home_at" in r]
    typed = sum(sum(r["typed"].values()) for r in results.values())
    print(f"users: {len(items)}")
    print(f"minutes: {args.minutes}")
    print(f"ssh_login_p95_s: {p95([r['login_s'] for r in ok if 'login_s' in r]):.2f}")
    print(f"ssh_key_to_screen_p95_ms: {p95([k for r in ok for k in r['keys']]):.1f}")
    print(f"commit_p95_ms: {p95(commits):.1f}")
    print(f"memory_total_mb: {memory[0]:.0f}")
    print(f"  # of which the programs {memory[1]:.0f} MB, PostgreSQL {memory[2]:.0f} MB")
    print(f"login_storm_s: {max(homes) - min(enters) if homes and enters else 0:.2f}")
    print(f"marks_typed: {typed}")
    print(f"f7_columns: {sum(r.get('f7', 0) for r in results.values())}")
    print(f"errors: {len(errors) + len(problems)}")
    for line in (errors + problems)[:20]:
        print(f"  # {line}", file=sys.stderr)
    if problems:   # the lines above are cut at 20: how many each user had
        per_user = Counter(line.split()[0] for line in problems)
        print("  # cells not as typed, per user: "
              + ", ".join(f"{user} {n}" for user, n in sorted(per_user.items())), file=sys.stderr)
    return 1 if errors or problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--base", type=Path, default=Path("/tmp/ejournal-ssh-bench"))
    parser.add_argument("--db-port", type=int, default=54497)
    parser.add_argument("--keep", action="store_true", help="leave the install and the OS users")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("ssh_load.py creates OS users and starts sshd: run it as root.", file=sys.stderr)
        return 2
    world = World(args.base, args.users, args.db_port)
    try:
        world.install()
        items = world.accounts()
        world.os_users()
        world.start_sshd()
        settings = world.settings()
        after = clear_columns(settings, [lesson for item in items for lesson in item["lessons"]])
        uids = {int(sh_uid) for sh_uid in (os.popen(f"id -u {i['user']}").read().strip()
                                            for i in items)}
        ctx = mp.get_context("fork")
        barrier, out = ctx.Barrier(len(items)), ctx.Queue()
        spec = {"ssh_port": world.ssh_port, "key": str(args.base / "client"),
                "screens": str(args.base / "screens")}
        stop, peak, probe_out = ctx.Event(), [0.0, 0.0, 0.0], ctx.Queue()
        workers = [ctx.Process(target=session, args=(spec, item, barrier, args.minutes, out))
                   for item in items]
        probe = ctx.Process(target=commit_probe_process, args=(settings, stop, probe_out))
        for process in (*workers, probe):
            process.start()
        postmaster = int((Path(settings.cluster_dir) / "postmaster.pid").read_text().split()[0])
        cpu = CpuLedger()
        cpu.sample(uids, postmaster)   # what each process had used before the run: not counted
        before = dict(cpu.ticks)
        sampler = threading.Thread(target=memory_sampler,   # a failed run must not wait for it
                                   args=(uids, postmaster, stop, peak, cpu), daemon=True)
        started = time.monotonic()
        sampler.start()
        results = collect(out, items, workers, time.monotonic() + args.minutes * 60 + 900)
        stop.set()
        commits = probe_out.get(timeout=120)
        probe.join(30)
        sampler.join()
        for key, (kind, used) in before.items():
            cpu.ticks[key] = (kind, cpu.ticks[key][1] - used)
        print_cpu(cpu.seconds(), time.monotonic() - started)
        return report(args, items, results, verify(settings, items, results, after), commits,
                      peak)
    finally:
        world.stop(args.keep)


if __name__ == "__main__":
    sys.exit(main())
