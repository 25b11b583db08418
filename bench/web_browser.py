"""Drive ``ejournal web`` in headless Chromium (Debian's ``chromium``) and read its screen.

The page draws the terminal on a canvas, so the text is not in the page. An init script
records what the page's websocket receives (the program's terminal output) and the sizes it
sends; :class:`BrowserScreen` replays that into a ``pyte`` terminal of the same size, which
gives the same text a person sees. Used by tests/cli/test_web_browser.py and bench/web.py.
"""

from __future__ import annotations

import json
import shutil
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyte

CHROMIUM_NAMES = ("chromium", "chromium-browser")
POLL_S = 0.02
"""How often the screen is read while waiting (the figures are no finer than this)."""

RECORDER = """
(() => {
  window.__ej = [];
  const Native = window.WebSocket;
  function Recorded(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    window.__ej.push(["url", String(url)]);
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      const bytes = new Uint8Array(event.data);
      let text = "";
      for (let i = 0; i < bytes.length; i += 8192) {
        text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
      }
      window.__ej.push(["in", text]);
    });
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      if (typeof data === "string" && data.startsWith('["resize"')) window.__ej.push(["out", data]);
      send(data);
    };
    return socket;
  }
  Recorded.prototype = Native.prototype;
  Object.assign(Recorded, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Recorded;
})();
"""


def chromium_path() -> str | None:
    """The system's Chromium, or None when it is not installed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserScreen:
    """What one page's program shows, rebuilt from the recorded websocket traffic."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.taken = 0

    def _resize(self, columns: int, lines: int) -> None:
        if (columns, lines) != (self.screen.columns, self.screen.lines):
            self.screen.resize(lines, columns)

    def text(self) -> str:
        """The screen's text now, lines joined with newlines."""
        events = self.page.evaluate("(n) => window.__ej.slice(n)", self.taken)
        self.taken += len(events)
        for kind, data in events:
            if kind == "url":
                query = parse_qs(urlparse(data).query)
                self._resize(int(query.get("width", ["80"])[0]), int(query.get("height", ["24"])[0]))
            elif kind == "out":
                size = json.loads(data)[1]
                self._resize(int(size["width"]), int(size["height"]))
            else:
                self.stream.feed(data.encode("latin-1"))
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout_s: float = 30.0, gone: tuple[str, ...] = ()) -> str:
        """The screen's text once it shows ``needle`` (and none of ``gone`` any more).

        Raises:
            TimeoutError: with the last screen, when it did not appear in time.
        """
        return self.wait_for_any((needle,), timeout_s, gone)[1]

    def wait_for_any(self, needles: tuple[str, ...], timeout_s: float = 30.0,
                     gone: tuple[str, ...] = ()) -> tuple[str, str]:
        """The first of ``needles`` the screen shows (with none of ``gone``), and its text.

        Raises:
            TimeoutError: with the last screen, when none appeared in time.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            shown = self.text()
            found = next((n for n in needles if n in shown), None)
            if found is not None and not any(g in shown for g in gone):
                return found, shown
            if time.monotonic() > deadline:
                raise TimeoutError(f"{needles!r} not on the screen:\n{shown}")
            time.sleep(POLL_S)


def new_tab(browser: Any, width: int = 1100, height: int = 700) -> tuple[Any, BrowserScreen]:
    """An empty page of a new visitor (a fresh browser context: no cache, no cookies) with the
    websocket recorder; its screen reader."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(RECORDER)
    return page, BrowserScreen(page)


def open_journal(browser: Any, url: str, width: int = 1100, height: int = 700) -> tuple[Any, BrowserScreen]:
    """A new visitor's page on the journal (``new_tab``, then the address)."""
    page, screen = new_tab(browser, width, height)
    page.goto(url)
    return page, screen


def log_in(page: Any, screen: BrowserScreen, login: str, password: str, timeout_s: float = 60.0,
           paste: bool = False) -> None:
    """Type the login, Enter, the password and Enter on the login screen, 10 ms a key and no
    pause for the focus: the program takes keys typed ahead of it. ``paste``: the login and
    the password each arrive as one piece of text, as from a password manager."""
    screen.wait_for("Пароль", timeout_s)
    page.locator(".xterm-helper-textarea").focus()
    for text in (login, password):
        if paste:
            page.keyboard.insert_text(text)
        else:
            page.keyboard.type(text, delay=10)
        page.keyboard.press("Enter")


PICK_CHILD = "Выберите обучающегося"
"""The question a parent of several children answers first."""
WEEK_SHOWN = "Посещ."
"""A column of the week's table: the child's week is on the screen…"""
LOADING = "Загрузка…"
"""… once this is gone from it: the week is read and drawn (the table's head comes first)."""


def reach_child(screen: BrowserScreen, timeout_s: float = 60.0) -> bool:
    """After a parent's login: wait for the screen a parent lands on, the child's week, or
    the question which child (a parent of several). True when the question is asked."""
    found, _shown = screen.wait_for_any((PICK_CHILD, WEEK_SHOWN), timeout_s)
    return found == PICK_CHILD


def open_week(page: Any, screen: BrowserScreen, asked: bool, timeout_s: float = 60.0) -> str:
    """The first child's week (Enter, when asked which child). Its text once read and drawn."""
    if asked:
        page.keyboard.press("Enter")
    return screen.wait_for(WEEK_SHOWN, timeout_s, gone=(PICK_CHILD, LOADING))


def launch(playwright: Any, executable: str) -> Any:
    """Headless Chromium from the system (no browser download)."""
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=["--no-sandbox", "--disable-dev-shm-usage"])
