"""``ejournal web`` under load: memory of many open parent sessions and the time a parent waits.

- ``web_sessions_100_mb``: the summed PSS (proportional set size: shared pages split between
  the processes that share them) of the programs of ``--sessions`` open parent sessions, each
  logged in and showing the child's marks — opened over plain websockets, as a browser would.
- ``web_login_p95_s``: headless Chromium opens the page, the parent logs in and the child's
  week is on the screen; the 95th percentile of ``--logins`` runs while those sessions stay open.

Usage: ``python bench/web.py [--smoke] [--sessions 100] [--logins 20]``. Needs Debian's
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

from bench.common import account, add_server_options, demo_server, free_port
from bench.web_browser import chromium_path, launch, log_in, open_journal

ENTER = "\r"
BATCH = 5


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(p) for p in children.read_text().split()] if children.exists() else []
    return found + [d for child in found for d in _descendants(child)]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def _parent_session(url: str, login: str, password: str) -> object:
    """One websocket session: the parent logged in and on the child's marks."""
    import aiohttp

    http = aiohttp.ClientSession()
    ws = await http.ws_connect(url)
    seen = ""
    deadline = time.monotonic() + 300

    async def until(text: str) -> None:
        nonlocal seen
        while text not in seen:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no «{text}» in 300 s: {seen[-500:]!r}")
            message = await ws.receive(timeout=120)
            if message.type != aiohttp.WSMsgType.BINARY:
                raise RuntimeError(f"session closed before «{text}»")
            seen += message.data.decode("utf-8", "replace")
        seen = ""

    await until("Пароль")
    await asyncio.sleep(1.0)   # a person reads the screen before typing
    for keys, wait in ((login + ENTER, ""), (password + ENTER, "Сменить пользователя"),
                       (ENTER, "Выберите обучающегося"), (ENTER, "Ребёнок")):
        await asyncio.sleep(1.0)   # the new screen takes the focus
        await ws.send_json(["stdin", keys])
        if wait:
            await until(wait)
        else:   # the cursor moves to the password field: wait for the redraw, then a pause
            await until("\x1b[")
            await asyncio.sleep(1.5)
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


async def _open_sessions(url: str, login: str, password: str, count: int, server_pid: int) -> list[object]:
    opened: list[object] = []
    for start in range(0, count, BATCH):
        batch = [_parent_session(url, login, password) for _ in range(min(BATCH, count - start))]
        opened += await asyncio.gather(*batch)
        total_kb = sum(_pss_kb(pid) for pid in _descendants(server_pid))
        print(f"  # {len(opened)} sessions open: {total_kb / 1024:.0f} MB", file=sys.stderr, flush=True)
    return opened


def _lift_login_limit(settings: Any, login: str, sessions: int) -> None:
    """One login may hold 20 connections (migration 0020) and a session holds two (the
    person's and the live-update listener): on this throwaway server only, the demo parent
    may hold enough for all the measured sessions."""
    from db.server.launcher import EmbeddedServer

    with EmbeddedServer(settings).connect_superuser(settings.dbname, autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{login}" CONNECTION LIMIT {3 * sessions + 20}')


def _browser_logins(url: str, login: str, password: str, runs: int) -> tuple[list[float], list[float]]:
    """Each run's seconds from opening the page to the child's week, and to the login screen."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    times: list[float] = []
    to_login: list[float] = []
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        for _ in range(runs):
            started = time.perf_counter()
            page, screen = open_journal(browser, url)
            screen.wait_for("Пароль", 120)
            to_login.append(time.perf_counter() - started)
            log_in(page, screen, login, password)
            screen.wait_for("Сменить пользователя", 120)
            page.keyboard.press("Enter")
            screen.wait_for("Выберите обучающегося", 60)
            page.keyboard.press("Enter")
            screen.wait_for("Ребёнок", 60)
            time.sleep(0.3)
            page.keyboard.press("F4")
            screen.wait_for("Посещ.", 60)
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return times, to_login


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_server_options(parser)
    parser.add_argument("--sessions", type=int, help="open parent sessions (100; 3 with --smoke)")
    parser.add_argument("--logins", type=int, help="browser logins timed (20; 3 with --smoke)")
    args = parser.parse_args()
    sessions = args.sessions or (3 if args.smoke else 100)
    logins = args.logins or (3 if args.smoke else 20)
    with demo_server(args) as (settings, accounts):
        parent = account(accounts, "родитель")
        _lift_login_limit(settings, parent.login, sessions + logins)
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
            url = f"http://127.0.0.1:{port}"
            times, to_login = _browser_logins(url, parent.login, parent.password, logins)
            print(f"web_login_screen_median_s: {statistics.median(to_login):.2f}")
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            print(f"web_login_median_s: {statistics.median(times):.2f}")
            print(f"web_login_p95_s: {p95:.2f}", flush=True)
            loop = asyncio.new_event_loop()   # in its own thread: the sessions stay read (and alive)
            threading.Thread(target=loop.run_forever, daemon=True).start()

            def run(coroutine: Any) -> Any:
                return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

            started = time.perf_counter()
            opened = run(_open_sessions(
                url.replace("http:", "ws:") + "/ws?width=100&height=30", parent.login, parent.password,
                sessions, server.pid))
            print(f"web_sessions_open_s: {time.perf_counter() - started:.1f}", flush=True)
            run(asyncio.sleep(3))
            pids = _descendants(server.pid)
            total_kb = sum(_pss_kb(pid) for pid in pids)
            print(f"web_sessions_n: {sessions}")
            print(f"web_sessions_100_mb: {total_kb / 1024:.0f}")
            print(f"web_session_mb: {total_kb / 1024 / sessions:.1f}")
            for http, ws in opened:  # type: ignore[misc]
                run(ws.close())
                run(http.close())
        finally:
            server.terminate()
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
