"""What a screen typed since a refresh began reading the database: the places the answer
must not redraw (the journal page, the curator's day, the statement sheet)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

Key = TypeVar("Key")


@dataclass(frozen=True)
class ReadStart(Generic[Key]):
    """What a screen knew when a refresh began reading the database."""

    count: int
    """Edits typed on the screen so far."""
    pending: frozenset[Key]
    """Places (cells, statement lines) not yet confirmed by the database."""


class TypedSince(Generic[Key]):
    """Which places a refresh must not redraw, because its answer may be older than them.

    A refresh reads the database in a worker while the person goes on typing. A value typed
    after the read began, or waiting for the database when it began, may be confirmed before
    the answer arrives: drawn from the answer, the screen would show the older value over a
    saved one (and the next key would be judged against it). Such places keep what the screen
    shows until their own save is confirmed, or comes back as a conflict when someone else
    changed them meanwhile.

    Args:
        pending: The places whose typed value is not confirmed yet (callable from a worker).
    """

    def __init__(self, pending: Callable[[], set[Key]]) -> None:
        self.pending = pending
        self._last: dict[Key, int] = {}
        self._count = 0

    def typed(self, keys: Iterable[Key]) -> None:
        """Note an edit of these places, once the outbox holds it."""
        self._count += 1
        self._last.update(dict.fromkeys(keys, self._count))

    def begins(self) -> ReadStart[Key]:
        """Note, before a refresh reads the database, what its answer may be older than."""
        count = self._count  # before the pending places: an edit between the two is in either
        return ReadStart(count, frozenset(self.pending()))

    def kept_from(self, start: ReadStart[Key]) -> set[Key]:
        """The places a read begun at ``start`` must not redraw."""
        since = {key for key, count in self._last.items() if count > start.count}
        return since | start.pending | self.pending()


CellRead = ReadStart[tuple[int, int]]
"""The start of a read of a page's cells (student, lesson)."""
