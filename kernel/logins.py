"""Login names: Latin transliteration of a Russian name (ГОСТ 52535.1-2006 style)."""

from __future__ import annotations

import random
import re
import secrets

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
LOGIN_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{2,62}$")


def transliterate(text: str) -> str:
    """Lower-case Latin spelling of a Russian word."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def propose_login(surname: str, name: str, patronymic: str = "") -> str:
    """``ivanova.ma`` for Иванова Мария Алексеевна."""
    initials = transliterate(name[:1]) + transliterate(patronymic[:1])
    base = f"{transliterate(surname)}.{initials}".strip(".")
    cleaned = re.sub(r"[^a-z0-9_.-]", "", base)
    return cleaned if LOGIN_PATTERN.match(cleaned) else f"user.{cleaned}"[:63]


def is_valid_login(login: str) -> bool:
    """A login is a PostgreSQL role name we allow: Latin lower case, digits, . _ -."""
    return bool(LOGIN_PATTERN.match(login))


OPAQUE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
OPAQUE_PREFIX = {"student": "st", "parent": "rd"}


def opaque_login(kind: str, chooser: random.Random | None = None) -> str:
    """A login with no name in it, for students (``st-k7m2qp``) and parents (``rd-…``).

    Every connected session can list PostgreSQL role names, and the database cannot hide
    them; a login spelled from a student's name would show every student the names of all
    the others (R13). Staff logins may carry names: staff names are no secret.

    Args:
        kind: ``student`` or ``parent``.
        chooser: A seeded generator (the demo); by default a cryptographic one.
    """
    pick = chooser or secrets.SystemRandom()
    tail = "".join(pick.choice(OPAQUE_ALPHABET) for _ in range(6))
    return f"{OPAQUE_PREFIX[kind]}-{tail}"
