"""textual-serve's server with the journal's limits: a cap on sessions, a per-address limit on
new sessions, an idle timeout, Russian pages, and refusals in the log.

textual-serve runs one copy of the program per browser tab (``AppService``) and has no hooks
for limits, so :class:`JournalServer` wraps its two handlers: the page (``/``) and the
websocket (``/ws``) that gives the tab its program, one started ahead when there is one
(``cli.web.pool``). Nothing of textual-serve is copied.
"""

from __future__ import annotations

import asyncio
import logging
import time
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

from aiohttp import WSMessage, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from cli.web.forks import Zygote
from cli.web.limits import SessionLimits, visitor_address
from cli.web.pages import refusal
from cli.web.pool import TabProgram, WarmPrograms, start_program
from core.web.config import WebPolicy

log = logging.getLogger("ejournal.web")

TITLE = "Электронный журнал"
TEMPLATES = Path(__file__).parent / "templates"


class Activity:
    """When the person last typed or clicked in one tab."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last = clock()

    def touch(self) -> None:
        """A key press or a click just arrived."""
        self.last = self.clock()

    def idle_s(self) -> float:
        """Seconds since the last key press or click."""
        return self.clock() - self.last


class _WatchedSocket:
    """The browser's websocket as textual-serve reads it, noting every key press and click
    (``stdin`` messages; resizes and pings are not the person's activity)."""

    def __init__(self, socket: web.WebSocketResponse, activity: Activity) -> None:
        self._socket = socket
        self._activity = activity

    def __aiter__(self) -> AsyncIterator[WSMessage]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[WSMessage]:
        async for message in self._socket:
            if message.type == WSMsgType.TEXT and message.data.startswith('["stdin"'):
                self._activity.touch()
            yield message

    async def send_json(self, data: Any) -> None:
        await self._socket.send_json(data)


class JournalServer(Server):
    """The journal served to browsers, one program per tab, within the ``[web]`` limits.

    Args:
        command: The shell command that runs one tab's program.
        host: The address to listen on.
        port: The port to listen on.
        policy: The ``[web]`` settings.
        public_url: The address browsers use (the HTTPS reverse proxy's); empty: host and port.
    """

    def __init__(self, command: str, host: str, port: int, policy: WebPolicy,
                 public_url: str = "", zygote: str = "") -> None:
        super().__init__(command, host=host, port=port, title=TITLE,
                         public_url=public_url or None, templates_path=TEMPLATES)
        self.policy = policy
        self.limits = SessionLimits(policy)
        self.zygote = Zygote(zygote, self._tab_environment()) if zygote else None
        # a fork costs milliseconds, a start a second that the visitor's login needs
        self.programs = WarmPrograms(self._start_ahead, policy.warm_programs,
                                     refill_after_s=1.0 if zygote else 10.0)
        self._renewing: asyncio.Task[None] | None = None

    def initialize_logging(self) -> None:
        """Keep the program's own log file (``cli.setup_logging``); no console logger."""

    async def on_startup(self, app: web.Application) -> None:
        """Say in Russian where the journal is served."""
        print(f"Журнал открыт для браузеров по адресу {self.public_url} "
              f"(не больше {self.policy.max_sessions} сеансов). Остановить: Ctrl+C.", flush=True)
        log.info("web: serving on %s:%s as %s", self.host, self.port, self.public_url)
        self._renewing = asyncio.get_running_loop().create_task(self.programs.renew())

    async def on_shutdown(self, app: web.Application) -> None:
        """End the programs started ahead (the tabs' own end with their websockets)."""
        if self._renewing is not None:
            self._renewing.cancel()
        await self.programs.close()
        if self.zygote is not None:
            await self.zygote.close()
        await super().on_shutdown(app)

    async def _start_ahead(self) -> Process:
        """One tab's program started before its visitor (the browser's size comes later):
        forked from the zygote, or started as a program of its own when that fails."""
        if self.zygote is not None:
            try:
                return cast(Process, await self.zygote.fork())
            except OSError:
                log.exception("web: no program from the zygote; one is started instead")
        return await start_program(self.command, self._tab_environment())

    def _tab_environment(self) -> dict[str, str]:
        """The environment textual-serve gives a tab's program."""
        service = AppService(self.command, write_bytes=_nowhere, write_str=_nowhere,
                             close=_nothing, download_manager=self.download_manager)
        return service._build_environment()

    def _address(self, request: web.Request) -> str:
        return visitor_address(request.remote or "", request.headers.get("X-Forwarded-For", ""),
                               self.policy.trusted_proxies)

    def _refuse(self, request: web.Request) -> str:
        """The visitor's address; raises the Russian page when a new session is refused."""
        address = self._address(request)
        reason = self.limits.refusal(address)
        if reason is not None:
            log.warning("web: refused (%s) %s %s, %d open", reason, address, request.path,
                        self.limits.open_sessions)
            raise refusal(reason)
        return address

    async def handle_index(self, request: web.Request) -> Any:
        """The page that opens the program, or the Russian refusal when a limit is reached."""
        self._refuse(request)
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab's program, counted against the cap and the visitor's minute."""
        address = self._refuse(request)
        self.limits.opened(address)
        log.info("web: session opened from %s, %d open", address, self.limits.open_sessions)
        return await self._serve_tab(request, address)

    async def _serve_tab(self, request: web.Request, address: str) -> web.WebSocketResponse:
        """The tab's websocket carries its program's screen and the person's keys until either
        ends (textual-serve's own handler, with the program taken from those started ahead).
        The session stops counting when the tab is gone; its program then quits."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _cells(request.query.get("width"), 80)
        height = _cells(request.query.get("height"), 24)
        program: TabProgram | None = None
        try:
            await websocket.prepare(request)
            program = TabProgram(self.programs, self.command, write_bytes=websocket.send_bytes,
                                 write_str=websocket.send_str, close=websocket.close,
                                 download_manager=self.download_manager, debug=self.debug)
            await program.start(width, height)
            await self._process_messages(websocket, program)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("web: a tab's program failed")
        finally:
            self.limits.closed()
            log.info("web: session from %s closed, %d open", address, self.limits.open_sessions)
            if program is not None:
                await program.stop()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService) -> None:
        activity = Activity()
        watchdog = asyncio.create_task(self._close_when_idle(websocket, activity))
        try:
            # textual-serve only iterates the socket and answers pings with send_json.
            watched = cast(web.WebSocketResponse, _WatchedSocket(websocket, activity))
            await super()._process_messages(watched, app_service)
        finally:
            watchdog.cancel()

    async def _close_when_idle(self, websocket: web.WebSocketResponse, activity: Activity) -> None:
        """Close the tab (and so its program) once nobody typed in it for ``idle_minutes``."""
        limit = self.policy.idle_minutes * 60.0
        if not limit:
            return
        while activity.idle_s() < limit:
            await asyncio.sleep(max(0.1, limit - activity.idle_s()))
        log.info("web: session closed after %.0f s without input", activity.idle_s())
        await websocket.close(message=b"idle")


def _cells(text: str | None, default: int) -> int:
    """A screen size from the websocket's address (the default when missing or not a number)."""
    try:
        return max(1, int(text or default))
    except ValueError:
        return default


async def _nowhere(data: object) -> None:
    """Where a program started ahead writes until a tab takes it (nothing is read yet)."""


async def _nothing() -> None:
    """A program started ahead has no websocket to close."""
