"""Start ``ejournal web`` as a separate process on a free port (tests and their helpers)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cli.web.zygote import NAME as ZYGOTE
from tests.conftest import free_port


class WebServer:
    """A running ``ejournal web`` and its log file."""

    def __init__(self, url: str, log: Path, pid: int) -> None:
        self.url = url
        self.log = log
        self.pid = pid
        """The web server's process."""

    def programs(self) -> list[int]:
        """The tabs' programs running under the server (started ahead or in use): forked
        from its zygote, or started by the server itself; the zygote is not one of them."""
        found = []
        for child in children(self.pid):
            found += children(child) if _name(child) == ZYGOTE else [child]
        return [pid for pid in found if _name(pid) not in ("", ZYGOTE)]

    def zygotes(self) -> list[int]:
        """The server's zygotes (``cli.web.zygote``): one, or none before it started."""
        return [pid for pid in children(self.pid) if _name(pid) == ZYGOTE]

    def ws_url(self) -> str:
        """The websocket that starts one tab's program."""
        return self.url.replace("http:", "ws:") + "/ws?width=80&height=24"


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == pid]


def _name(pid: int) -> str:
    """The process's short name; '' when it has ended (or waits to be collected)."""
    try:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return ""
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _wait_for_port(port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def running_web(dbname: str, log: Path, web_env: dict[str, str]) -> Iterator[WebServer]:
    """``ejournal web`` on the test server's database ``dbname`` with ``EJOURNAL_WEB_*``
    settings ``web_env``, stopped afterwards."""
    port = free_port()
    env = {**os.environ, "EJOURNAL_DBNAME": dbname, "EJOURNAL_LOG": str(log), **web_env}
    process = subprocess.Popen([sys.executable, "-m", "cli", "web", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "Журнал открыт для браузеров" in first, first
        _wait_for_port(port)   # the line is printed just before the socket listens
        yield WebServer(f"http://127.0.0.1:{port}", log, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
