"""Guides per role (R19's help inside the program): Russian markdown, on screen and in print.

The home screen's F2 shows them; ``ejournal print guide --role teacher`` prints one. Pure text,
no database: the same words on the screen and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.guides import family, staff


@dataclass(frozen=True)
class Guide:
    """One role's guide: the role's key, its Russian title and the markdown text."""

    role: str
    title: str
    text: str


GUIDES: dict[str, Guide] = {
    "teacher": Guide("teacher", "Преподавателю", staff.TEACHER),
    "curator": Guide("curator", "Куратору группы", staff.CURATOR),
    "office": Guide("office", "Учебной части", staff.OFFICE),
    "admin": Guide("admin", "Заведующему учебной частью", staff.ADMIN),
    "parent": Guide("parent", "Родителям", family.PARENT),
    "student": Guide("student", "Обучающимся", family.STUDENT),
}
"""The guides in the order they are offered."""

ROLE_GUIDE = {"teacher": "teacher", "curator": "curator", "office": "office", "admin": "admin",
              "director": "office", "deputy": "office", "methodologist": "office",
              "support": "office", "parent": "parent", "student": "student"}
"""Which guide a role reads (the reading roles share the office's)."""


def guides_for(roles: frozenset[str] | set[str]) -> list[Guide]:
    """The guides of a person's roles first, then the others, each once."""
    own = [GUIDES[ROLE_GUIDE[r]] for r in ROLE_GUIDE if r in roles]
    mine = list(dict.fromkeys(own))
    return mine + [g for g in GUIDES.values() if g not in mine]
