"""``ejournal web`` started on a free port against the demo database, its limits checked over
plain HTTP and WebSocket: the cap gives the Russian "full" page, one address may open only so
many sessions a minute, and a tab nobody types in is closed (its program ends)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.cli.web.serving import WebServer, children, running_web
from tests.demo_fixture import DemoDb

IDLE_S = 15.0
START_TIMEOUT_S = 60.0


@pytest.fixture
def web_server(request: pytest.FixtureRequest, demo_db: DemoDb, tmp_path: Path) -> Iterator[WebServer]:
    """``ejournal web`` with a cap of 2, 2 new sessions per address a minute and the idle
    timeout given as the fixture's parameter in seconds (none without it)."""
    idle_s = float(getattr(request, "param", 0.0))
    with running_web(demo_db.dbname, tmp_path / "web.log",
                     {"EJOURNAL_WEB_MAX_SESSIONS": "2", "EJOURNAL_WEB_NEW_PER_MINUTE": "2",
                      "EJOURNAL_WEB_IDLE_MINUTES": str(idle_s / 60)}) as server:
        yield server


async def _until_login_screen(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Read the program's output until its login screen is drawn."""
    seen = b""
    deadline = time.monotonic() + START_TIMEOUT_S
    while "Логин".encode() not in seen:
        message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
        assert message.type == aiohttp.WSMsgType.BINARY, message
        seen += message.data


async def _open(http: aiohttp.ClientSession, server: WebServer,
                address: str) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(server.ws_url(), headers={"X-Forwarded-For": address})
    await _until_login_screen(ws)
    return ws


async def _refused(http: aiohttp.ClientSession, server: WebServer, address: str,
                   path: str) -> tuple[int, str]:
    async with http.get(server.url + path, headers={"X-Forwarded-For": address}) as response:
        return response.status, await response.text()


def test_cap_gives_the_russian_full_page(web_server: WebServer) -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            status, page = await _refused(http, web_server, "198.51.100.1", "/")
            assert status == 200 and "Электронный журнал" in page and 'lang="ru"' in page
            first = await _open(http, web_server, "198.51.100.1")
            second = await _open(http, web_server, "198.51.100.2")
            status, page = await _refused(http, web_server, "198.51.100.3", "/")
            assert status == 503 and "Журнал сейчас занят" in page
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(web_server.ws_url(), headers={"X-Forwarded-For": "198.51.100.3"})
            assert refused.value.status == 503
            await first.close()   # its program ends, and then there is room again
            deadline = time.monotonic() + START_TIMEOUT_S
            while (await _refused(http, web_server, "198.51.100.3", "/"))[0] != 200:
                assert time.monotonic() < deadline, "the closed tab still counts"
                await asyncio.sleep(0.2)
            await second.close()

    asyncio.run(scenario())
    assert "refused (full) 198.51.100.3" in web_server.log.read_text()


def test_one_address_opens_only_so_many_sessions_a_minute(web_server: WebServer) -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            for _ in range(2):
                ws = await _open(http, web_server, "203.0.113.7")
                await ws.close()
            await asyncio.sleep(0.5)
            status, page = await _refused(http, web_server, "203.0.113.7", "/")
            assert status == 429 and "Слишком много входов" in page
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(web_server.ws_url(), headers={"X-Forwarded-For": "203.0.113.7"})
            assert refused.value.status == 429
            status, _ = await _refused(http, web_server, "203.0.113.8", "/")
            assert status == 200

    asyncio.run(scenario())
    assert "refused (too_many) 203.0.113.7" in web_server.log.read_text()


@pytest.mark.parametrize("web_server", [IDLE_S], indirect=True)
def test_idle_tab_is_closed_and_a_typing_one_is_not(web_server: WebServer) -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            started = time.monotonic()
            idle, busy = await asyncio.gather(_open(http, web_server, "192.0.2.1"),
                                              _open(http, web_server, "192.0.2.2"))
            closed_after: float | None = None
            while time.monotonic() - started < IDLE_S * 3:
                await busy.send_json(["stdin", "x"])
                try:
                    message = await idle.receive(timeout=0.5)
                except TimeoutError:
                    continue
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                    aiohttp.WSMsgType.CLOSING):
                    closed_after = time.monotonic() - started
                    break
            assert closed_after is not None, "the idle tab was not closed"
            assert closed_after >= IDLE_S
            assert not busy.closed
            await busy.close()

    asyncio.run(scenario())
    assert "closed after" in web_server.log.read_text()


def _wait(check: Callable[[], bool], what: str, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_a_tab_takes_a_program_started_ahead_and_none_outlives_the_server(
        web_server: WebServer) -> None:
    """Two programs, forked from the zygote, wait at their login screens; a tab takes one,
    drawn at the browser's size, and another is forked behind it; killed with the server, none
    is left running, the zygote neither."""
    _wait(lambda: web_server.log.read_text().count("a program started ahead") == 2
          and len(web_server.programs()) == 2, "the programs were not started ahead")
    ahead = set(web_server.programs())
    zygotes = web_server.zygotes()
    assert len(zygotes) == 1 and ahead <= set(children(zygotes[0])), "not forked from the zygote"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            url = web_server.ws_url().replace("width=80&height=24", "width=100&height=30")
            ws = await http.ws_connect(url)
            seen = b""
            deadline = time.monotonic() + START_TIMEOUT_S
            while "Логин".encode() not in seen or b"\x1b[30;" not in seen:  # row 30 drawn
                message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
                assert message.type == aiohttp.WSMsgType.BINARY, message
                seen += message.data
            taken = re.search(r"takes the program started ahead \(pid (\d+)\)", web_server.log.read_text())
            assert taken is not None and int(taken.group(1)) in ahead
            _wait(lambda: len(web_server.programs()) == 3, "no program started behind the taken one")
            await ws.close()

    asyncio.run(scenario())
    _wait(lambda: len(web_server.programs()) == 2, "the tab's program did not end with its websocket")
    running = set(web_server.programs()) | set(zygotes)
    os.kill(web_server.pid, signal.SIGKILL)
    _wait(lambda: not any(Path(f"/proc/{pid}").exists() for pid in running),
          "a program outlived the killed web server", 15)
