"""Topics of the calendar-thematic plans (КТП) of the demo disciplines, kept as data.

``data/topics.txt`` holds one block per discipline after a ``=== Дисциплина`` line: ``# Раздел``
starts a section; a plain line is a theory lesson, ``П:`` a practical one, ``Л:`` a laboratory
one, ``С:`` a seminar. :mod:`demo.ktp` turns a block into as many КТП lines as the teaching load
has lessons.
"""

from __future__ import annotations

from importlib import resources


def _load() -> dict[str, str]:
    text = resources.files("demo").joinpath("data/topics.txt").read_text("utf-8")
    topics: dict[str, str] = {}
    for block in text.split("=== ")[1:]:
        title, _, body = block.partition("\n")
        topics[title] = "\n" + body
    return topics


TOPICS: dict[str, str] = _load()
