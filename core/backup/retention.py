"""Which copies a destination keeps: the last N daily and M monthly copies (pure rules).

- daily: the newest copy of each of the ``keep_daily`` latest days that have copies;
- monthly: the newest copy of each of the ``keep_monthly`` latest months that have copies;
- every copy made within a day of the newest one (a copy made by hand before a risky change
  is not lost to the next run of the same day);
- a year-closing copy (kind ``year``) is never deleted by the rotation;
- the copy just written is always kept.

Days with no copy (the server was off, a destination unplugged) do not count, so a gap never
makes the rotation delete more than it should.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

PROTECTED_KINDS = frozenset({"year"})
RECENT = timedelta(days=1)


@dataclass(frozen=True)
class Stamp:
    """A copy as the rotation sees it."""

    name: str
    created_at: datetime
    kind: str


def _newest_per(stamps: list[Stamp], period: Callable[[Stamp], Hashable], count: int) -> set[str]:
    newest: dict[Hashable, Stamp] = {}
    for stamp in stamps:
        key = period(stamp)
        if key not in newest or stamp.created_at > newest[key].created_at:
            newest[key] = stamp
    latest = sorted(newest.values(), key=lambda s: s.created_at, reverse=True)[:count]
    return {s.name for s in latest}


def to_keep(stamps: Iterable[Stamp], keep_daily: int, keep_monthly: int,
            always: Iterable[str] = ()) -> set[str]:
    """Names of the copies the rotation keeps."""
    listed = list(stamps)
    rotating = [s for s in listed if s.kind not in PROTECTED_KINDS]
    kept = {s.name for s in listed if s.kind in PROTECTED_KINDS}
    if rotating:
        newest = max(s.created_at for s in rotating)
        kept |= {s.name for s in rotating if newest - s.created_at < RECENT}
    kept |= _newest_per(rotating, lambda s: s.created_at.date(), keep_daily)
    kept |= _newest_per(rotating, lambda s: (s.created_at.year, s.created_at.month), keep_monthly)
    return kept | set(always)


def to_delete(stamps: Iterable[Stamp], keep_daily: int, keep_monthly: int,
              always: Iterable[str] = ()) -> list[str]:
    """Names of the copies the rotation deletes, oldest first."""
    listed = sorted(stamps, key=lambda s: s.created_at)
    kept = to_keep(listed, keep_daily, keep_monthly, always)
    return [s.name for s in listed if s.name not in kept]
