"""The web server's limits as rules: the visitor's address, the cap, the per-address minute."""

from __future__ import annotations

from cli.web.limits import SessionLimits, visitor_address
from core.web.config import WebPolicy

PROXY = ("127.0.0.1",)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    assert visitor_address("127.0.0.1", "198.51.100.7", PROXY) == "198.51.100.7"
    assert visitor_address("203.0.113.9", "198.51.100.7", PROXY) == "203.0.113.9"
    # A visitor's own header is at the left; the proxy appended the real address on the right.
    assert visitor_address("127.0.0.1", "10.0.0.1, 198.51.100.7", PROXY) == "198.51.100.7"
    assert visitor_address("127.0.0.1", "", PROXY) == "127.0.0.1"
    assert visitor_address("127.0.0.1", "198.51.100.7", ()) == "127.0.0.1"


def test_cap_and_minute_per_address() -> None:
    now = [1000.0]
    limits = SessionLimits(WebPolicy(max_sessions=3, new_per_minute=2), clock=lambda: now[0])
    for _ in range(2):
        assert limits.refusal("a") is None
        limits.opened("a")
    assert limits.refusal("a") == "too_many"
    assert limits.refusal("b") is None
    limits.opened("b")
    assert limits.refusal("c") == "full"
    limits.closed()
    limits.closed()
    limits.closed()
    assert limits.refusal("c") is None
    assert limits.refusal("a") == "too_many"
    now[0] += 60.0
    assert limits.refusal("a") is None


def test_zero_means_no_limit() -> None:
    limits = SessionLimits(WebPolicy(max_sessions=0, new_per_minute=0))
    for _ in range(100):
        limits.opened("a")
    assert limits.refusal("a") is None
