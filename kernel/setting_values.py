"""A setting's value as typed in the settings file or a variable, checked and converted, and
the error for a name the program does not know (``kernel.settings`` reads them)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable

from kernel.errors import ConfigError

_RANGES = {"port": (1, 65535), "report_port": (0, 65535), "idle_lock_minutes": (0, 24 * 60)}
_CHOICES = {"sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")}


def nearest(name: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name closest to a mistyped one (difflib), or None when none is close."""
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=cutoff)
    return found[0] if found else None


def unknown_key_error(key: str, known: Iterable[str], where: str) -> ConfigError:
    """The error for a key of the settings file the program does not know.

    Args:
        key: The key as written in the file.
        known: The keys allowed at that place.
        where: «в файле …» or «в разделе [backup] файла …».
    """
    known = sorted(known)
    guess = nearest(key, known)
    hint = f": может быть, «{guess}»?" if guess else f" (известные: {', '.join(known)})."
    return ConfigError(f"Неизвестная настройка «{key}» {where}{hint}")


def _fraction(raw: object, wrong: str) -> float:
    """A non-negative number that may have a fraction (``0.5`` minutes)."""
    try:
        if isinstance(raw, bool):
            raise ValueError(raw)
        number = float(str(raw).strip().replace(",", "."))
    except ValueError as exc:
        raise ConfigError(f"{wrong} должно быть числом, а задано «{raw}».") from exc
    if number < 0:
        raise ConfigError(f"{wrong} должно быть не меньше 0, а задано «{raw}».")
    return number


def coerce(name: str, raw: object, default: object, source: str) -> object:
    """The value of setting ``name`` as typed in ``source`` (a variable or a file), checked."""
    wrong = f"Значение «{name}» {source}"
    if isinstance(default, bool):
        return str(raw).lower() in ("1", "true", "yes", "да")
    if isinstance(default, float):
        return _fraction(raw, wrong)
    if isinstance(default, int):
        try:
            if isinstance(raw, (bool, float)):
                raise ValueError(raw)
            value = int(str(raw).strip())
        except ValueError as exc:
            raise ConfigError(f"{wrong} должно быть целым числом, а задано «{raw}».") from exc
        low, high = _RANGES.get(name, (0, None))
        if value < low or (high is not None and value > high):
            limits = f"от {low} до {high}" if high is not None else f"не меньше {low}"
            raise ConfigError(f"{wrong} должно быть числом {limits}, а задано «{raw}».")
        return value
    if isinstance(default, tuple):
        items = raw if isinstance(raw, list) else str(raw).split(os.pathsep)
        return tuple(str(item) for item in items if str(item))
    if isinstance(raw, (dict, list)):
        raise ConfigError(f"{wrong} должно быть строкой, а задано «{raw}».")
    value_text = str(raw)
    choices = _CHOICES.get(name)
    if choices and value_text not in choices:
        raise ConfigError(f"{wrong} должно быть одним из: {', '.join(choices)}, "
                          f"а задано «{value_text}».")
    return value_text
