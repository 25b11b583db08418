"""The web server's limits as plain rules: who the visitor is, whether a new tab may open.

Kept apart from aiohttp so that the rules read (and are tested) on their own.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from core.web.config import WebPolicy

WINDOW_S = 60.0
"""The per-address limit counts the new sessions of the last minute."""


def visitor_address(peer: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The visitor's address: the peer's, or, when the peer is a trusted proxy, the nearest
    address of ``X-Forwarded-For`` that is not a trusted proxy itself (a visitor can put
    anything at the left end of that header, the proxies only append on the right)."""
    if peer not in trusted or not forwarded_for.strip():
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else peer


@dataclass
class SessionLimits:
    """Open sessions now and the recent starts per address, checked against the policy."""

    policy: WebPolicy
    clock: Callable[[], float] = time.monotonic
    open_sessions: int = 0
    starts: dict[str, deque[float]] = field(default_factory=dict)

    def full(self) -> bool:
        """True when the cap of open sessions is reached."""
        cap = self.policy.max_sessions
        return bool(cap) and self.open_sessions >= cap

    def too_many(self, address: str) -> bool:
        """True when ``address`` opened its allowance of sessions within the last minute."""
        allowed = self.policy.new_per_minute
        if not allowed:
            return False
        recent = self.starts.get(address)
        if recent is None:
            return False
        now = self.clock()
        while recent and now - recent[0] >= WINDOW_S:
            recent.popleft()
        if not recent:
            del self.starts[address]
            return False
        return len(recent) >= allowed

    def refusal(self, address: str) -> str | None:
        """Why a new session from ``address`` is refused now (``full``, ``too_many``), or None."""
        if self.full():
            return "full"
        if self.too_many(address):
            return "too_many"
        return None

    def opened(self, address: str) -> None:
        """Count a session that starts now."""
        self.open_sessions += 1
        self.starts.setdefault(address, deque()).append(self.clock())

    def closed(self) -> None:
        """Count a session that ended."""
        self.open_sessions = max(0, self.open_sessions - 1)
