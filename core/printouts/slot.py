"""Where the interface hands in the printing layer's renderers (see :mod:`core.printouts.jobs`).

Kept apart from the print jobs and free of heavy imports: the program installs its renderers
at start, before its first frame, and importing the jobs (psycopg, the calendar, the data
readers) there cost the login screen a few hundred milliseconds — once for every browser tab
of ``ejournal web`` (issue 16, ``web_login_p95_s``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_factory: list[Callable[[], Any]] = []
_cache: dict[str, Any] = {}


def use_renderers(factory: Callable[[], Any]) -> None:
    """Install the printing layer's renderers (built by ``factory`` on first use)."""
    _factory[:] = [factory]
    _cache.clear()


def built() -> Any | None:
    """The installed renderers, built now if not yet; None when nothing installed them."""
    if "r" not in _cache:
        if not _factory:
            return None
        _cache["r"] = _factory[0]()
    return _cache["r"]
