"""``ejournal web`` under load: memory of many open parent sessions and the time a parent waits.

- ``web_sessions_100_mb``: the summed PSS (proportional set size: shared pages split between
  the processes that share them) of the web server, the programs of ``--sessions`` open parent
  sessions (each logged in and showing the child's marks, opened over plain websockets as a
  browser's page does) and the PostgreSQL server with its backends. Every session is another
  parent: one login may hold 20 connections (migration 0020), so the bench gives ``--sessions``
  parents of the demo an account through the program's own account creation
  (``db.accounts.create_account``, the real argon2 profile) and raises ``max_connections`` of
  its throwaway server. ``web_sessions_rss_mb`` is the plain RSS sum (shared pages counted in
  every process), ``web_programs_mb`` and ``web_postgres_mb`` the two parts of the PSS.
- ``web_login_p95_s``: headless Chromium opens the journal's address, the parent logs in (the
  login and the password pasted, as from a password manager; ``--keys``: typed key by key)
  and the child's week is on the screen; the 95th percentile of ``--logins`` runs while those
  sessions stay open. ``web_login_wait_*`` leave out the bench's entry of the two.

Usage: ``python bench/web.py [--smoke] [--sessions 100] [--logins 20] [--keys]``. Needs Debian's
``chromium`` for the second figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import account, add_server_options, demo_server, free_port, timed
from bench.web_browser import PICK_CHILD, chromium_path, launch, log_in, new_tab, open_week, reach_child

ENTER = "\r"
BATCH = 5


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(p) for p in children.read_text().split()] if children.exists() else []
    return found + [d for child in found for d in _descendants(child)]


def _cpu_s(pid: int) -> float:
    """CPU seconds (user and system) of ``pid`` and everything under it, as now."""
    total = 0.0
    for each in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _wait_until_settled(pid: int, limit_s: float = 60.0) -> None:
    """Wait until the web server and its programs started ahead are idle (under 0.05 s of
    CPU in each of two half-seconds): the logins measure a running server, not its start."""
    deadline, quiet, before = time.monotonic() + limit_s, 0, _cpu_s(pid)
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_s(pid)
        quiet, before = (quiet + 1 if now - before < 0.05 else 0), now
    print(f"  # web server settled, its CPU so far {before:.1f} s", file=sys.stderr)


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def _parent_session(url: str, login: str, password: str, child: str) -> object:
    """One websocket session: the parent logged in and on the child's marks (``child``: the
    child's surname, which the family screen shows once the child is chosen)."""
    import aiohttp

    http = aiohttp.ClientSession()
    ws = await http.ws_connect(url)
    seen = ""
    deadline = time.monotonic() + 300

    async def until(*texts: str) -> str:
        nonlocal seen
        while not any(text in seen for text in texts):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{login}: no «{texts[0]}» in 300 s: {seen[-500:]!r}")
            message = await ws.receive(timeout=120)
            if message.type != aiohttp.WSMsgType.BINARY:
                raise RuntimeError(f"{login}: session closed before «{texts[0]}»")
            seen += message.data.decode("utf-8", "replace")
        found = next(text for text in texts if text in seen)
        seen = ""
        return found

    await until("Пароль")
    await asyncio.sleep(1.0)   # a person reads the screen before typing
    await ws.send_json(["stdin", login + ENTER + password + ENTER])
    # a parent lands on the child's journal; a parent of two or more picks one first
    if await until(PICK_CHILD, child) != child:
        await asyncio.sleep(1.0)
        await ws.send_json(["stdin", ENTER])
        await until(child)
    asyncio.get_running_loop().create_task(_drain(ws))
    return http, ws


async def _drain(ws: object) -> None:
    """Keep reading an open session, as the page does: its screen updates and the server's
    heartbeat pings (a socket nobody reads is closed by the server after 15 s)."""
    import aiohttp

    assert isinstance(ws, aiohttp.ClientWebSocketResponse)
    while not ws.closed:
        message = await ws.receive()
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break


async def _open_sessions(url: str, parents: list[tuple[str, str, str]], server_pid: int) -> list[object]:
    opened: list[object] = []
    for start in range(0, len(parents), BATCH):
        batch = [_parent_session(url, *parent) for parent in parents[start:start + BATCH]]
        opened += await asyncio.gather(*batch)
        total_kb = sum(_pss_kb(pid) for pid in _descendants(server_pid))
        print(f"  # {len(opened)} sessions open: {total_kb / 1024:.0f} MB", file=sys.stderr, flush=True)
    return opened


def _lift_login_limit(settings: Any, login: str, sessions: int) -> None:
    """One login may hold 20 connections (migration 0020) and a session holds two (the
    person's and the live-update listener): on this throwaway server only, the demo parent
    may hold enough for the browser logins."""
    from db.server.launcher import EmbeddedServer

    with EmbeddedServer(settings).connect_superuser(settings.dbname, autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{login}" CONNECTION LIMIT {3 * sessions + 20}')


PARENTS = """
SELECT p.id, min(c.surname) FROM journal.person p
  JOIN journal.guardian g ON g.parent_id = p.id JOIN journal.person c ON c.id = g.student_id
 WHERE EXISTS (SELECT 1 FROM journal.person_role r WHERE r.person_id = p.id AND r.role = 'parent')
   AND NOT EXISTS (SELECT 1 FROM journal.account a WHERE a.person_id = p.id)
 GROUP BY p.id HAVING count(*) = 1
 ORDER BY p.id LIMIT %s
"""


def bench_parents(settings: Any, count: int) -> list[tuple[str, str, str]]:
    """``count`` parents of one child each, given an account (login, password, the child's
    surname) by the program's own account creation as the curator's issuing does, but
    without the forced password change (the bench logs in once). Parents of the demo with
    an account of their own are not taken; logins are opaque (``rd-…``) as the program's."""
    from db.accounts import create_account
    from db.server.launcher import EmbeddedServer
    from kernel.logins import opaque_login

    made: list[tuple[str, str, str]] = []
    with EmbeddedServer(settings).connect_superuser(settings.dbname, autocommit=True) as conn:
        people = conn.execute(PARENTS, (count,)).fetchall()
        if len(people) < count:
            raise SystemExit(f"the demo has {len(people)} parents of one child without an account, "
                             f"not {count}")
        for number, (person_id, child) in enumerate(people, start=1):
            login, password = opaque_login("parent"), f"Bench-parent-{number:03d}-qz"
            create_account(conn, person_id, login, password, settings=settings, must_change=False)
            made.append((login, password, child))
    return made


def _raise_max_connections(settings: Any, sessions: int) -> None:
    """Room for four connections per session and the browser logins' on the throwaway
    server (the program's default is 200); restarts it when the setting changes. Four were
    counted in ``pg_stat_activity`` with 95 parents' sessions open (382 of 384 taken, the 96th
    session refused «слишком много подключений»)."""
    from db.server.launcher import EmbeddedServer

    wanted = max(200, 5 * sessions + 60)
    server = EmbeddedServer(settings)
    with server.connect_superuser(settings.dbname, autocommit=True) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
        if row is not None and int(row[0]) >= wanted:
            return
        conn.execute(f"ALTER SYSTEM SET max_connections = {wanted}")
    server.stop("fast")
    server.start()


def _postgres_pids(settings: Any) -> list[int]:
    """The postmaster of the bench's server and all its processes (backends, workers)."""
    pidfile = Path(settings.cluster_dir) / "postmaster.pid"
    postmaster = int(pidfile.read_text().split()[0])
    return [postmaster, *_descendants(postmaster)]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


STAGES = ("page_to_login", "password_to_child", "child_to_week", "typing", "new_context")
"""The steps of a browser login the bench times (their medians are printed). The last, the
browser making a fresh context and empty tab for the next visitor, comes before the clock
starts: a parent's browser is open already, and no browser makes a new profile per visit."""


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _browser_logins(url: str, login: str, password: str, runs: int, paste: bool
                    ) -> tuple[list[float], dict[str, list[float]]]:
    """Each run's seconds from the browser opening the journal's address to the child's week,
    and each step's: the page to the login screen (the tab's program starting), Enter on the
    password to the screen a parent lands on (argon2, the connection, the child's week or the
    question which child) and from the question to the week (Enter, the week's reading); the
    bench's own entry of the login and the password (pasted, or ``paste`` False: typed 10 ms
    a key), which a person spends typing, not waiting; and, outside the clock, the fresh
    browser context of each run."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    times: list[float] = []
    stages: dict[str, list[float]] = {name: [] for name in STAGES}
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        for _ in range(runs):
            prepared = time.perf_counter()
            page, screen = new_tab(browser)
            started = time.perf_counter()
            stages["new_context"].append(started - prepared)
            page.goto(url)
            screen.wait_for("Пароль", 120)
            typing = time.perf_counter()
            stages["page_to_login"].append(typing - started)
            log_in(page, screen, login, password, paste=paste)
            entered = time.perf_counter()
            stages["typing"].append(entered - typing)
            asked = reach_child(screen, 120)
            stages["password_to_child"].append(time.perf_counter() - entered)
            child = time.perf_counter()
            open_week(page, screen, asked)
            stages["child_to_week"].append(time.perf_counter() - child)
            times.append(time.perf_counter() - started)
            page.context.close()   # each run a new visitor: no leftover context slows the next
        browser.close()
    return times, stages


def _measure_sessions(url: str, parents: list[tuple[str, str, str]], server_pid: int,
                      settings: Any) -> None:
    """Open a session per parent, keep them read, print the memory of the web server, its
    programs and PostgreSQL with them all open."""
    loop = asyncio.new_event_loop()   # in its own thread: the sessions stay read (and alive)
    threading.Thread(target=loop.run_forever, daemon=True).start()

    def run(coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    started = time.perf_counter()
    opened = run(_open_sessions(url.replace("http:", "ws:") + "/ws?width=100&height=30",
                                parents, server_pid))
    print(f"web_sessions_open_s: {time.perf_counter() - started:.1f}", flush=True)
    run(asyncio.sleep(3))
    programs, postgres = [server_pid, *_descendants(server_pid)], _postgres_pids(settings)
    programs_kb = sum(_pss_kb(pid) for pid in programs)
    postgres_kb = sum(_pss_kb(pid) for pid in postgres)
    rss_kb = sum(_rss_kb(pid) for pid in programs + postgres)
    print(f"  # load average with the sessions open: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(f"web_sessions_n: {len(parents)}")
    print(f"web_sessions_100_mb: {(programs_kb + postgres_kb) / 1024:.0f}")
    print(f"web_programs_mb: {programs_kb / 1024:.0f}")
    print(f"web_postgres_mb: {postgres_kb / 1024:.0f}")
    print(f"web_sessions_rss_mb: {rss_kb / 1024:.0f}")
    print(f"web_session_mb: {programs_kb / 1024 / len(parents):.1f}")
    for http, ws in opened:
        run(ws.close())
        run(http.close())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_server_options(parser)
    parser.add_argument("--sessions", type=int, help="open parent sessions (100; 3 with --smoke)")
    parser.add_argument("--logins", type=int, help="browser logins timed (20; 3 with --smoke)")
    parser.add_argument("--keys", action="store_true",
                        help="type the login and the password key by key (10 ms a key) instead "
                             "of pasting each, as from a password manager")
    args = parser.parse_args()
    sessions = args.sessions or (3 if args.smoke else 100)
    logins = args.logins or (3 if args.smoke else 20)
    with demo_server(args) as (settings, accounts):
        parent = account(accounts, "родитель")
        _lift_login_limit(settings, parent.login, logins)
        _raise_max_connections(settings, sessions + logins)
        parents = timed("web_accounts_s", lambda: bench_parents(settings, sessions))
        port = free_port()
        env = {**os.environ, "EJOURNAL_DATA_DIR": settings.data_dir, "EJOURNAL_PORT": str(settings.port),
               "EJOURNAL_DBNAME": settings.dbname, "EJOURNAL_HOST": "",
               "EJOURNAL_WEB_MAX_SESSIONS": str(sessions + logins + 5),
               "EJOURNAL_WEB_NEW_PER_MINUTE": "0", "EJOURNAL_WEB_IDLE_MINUTES": "0"}
        server = subprocess.Popen([sys.executable, "-m", "cli", "web", "--port", str(port)], env=env,
                                  stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
        try:
            assert server.stdout is not None
            server.stdout.readline()
            time.sleep(2.0)   # the line comes just before the socket listens
            _wait_until_settled(server.pid)
            url = f"http://127.0.0.1:{port}"
            print(f"  # load average before the logins: {os.getloadavg()[0]:.1f}", file=sys.stderr)
            times, stages = _browser_logins(url, parent.login, parent.password, logins,
                                            paste=not args.keys)
            print(f"web_login_entry: {'keys' if args.keys else 'paste'}")
            print(f"web_login_screen_median_s: {statistics.median(stages['page_to_login']):.2f}")
            for name in STAGES[1:]:
                print(f"web_{name}_median_s: {statistics.median(stages[name]):.2f}")
            waits = [t - typed for t, typed in zip(times, stages["typing"], strict=True)]
            print("  # each run, s: " + " ".join(f"{t:.2f}" for t in times), file=sys.stderr)
            for name in STAGES:
                print(f"  #   {name}: " + " ".join(f"{t:.2f}" for t in stages[name]), file=sys.stderr)
            print(f"web_login_median_s: {statistics.median(times):.2f}")
            print(f"web_login_p95_s: {_p95(times):.2f}")
            print(f"web_login_wait_median_s: {statistics.median(waits):.2f}")
            print(f"web_login_wait_p95_s: {_p95(waits):.2f}", flush=True)
            _measure_sessions(url, parents, server.pid, settings)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
