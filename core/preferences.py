"""Per-person preferences kept on the client machine (the last page opened), readable by
the person alone (0600 in a 0700 folder)."""

from __future__ import annotations

import json
from pathlib import Path

from kernel.paths import private_folder, state_folder, write_private_text


def _path(login: str) -> Path:
    return state_folder() / f"prefs-{login}.json"


def read_pref(login: str, key: str) -> object:
    """A remembered value, or None."""
    try:
        return json.loads(_path(login).read_text("utf-8")).get(key)
    except (OSError, ValueError):
        return None


def write_pref(login: str, key: str, value: object) -> None:
    """Remember a value for this person on this machine (best effort)."""
    path = _path(login)
    try:
        data = json.loads(path.read_text("utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        data = {}
    data[key] = value
    try:
        private_folder(path.parent)
        write_private_text(path, json.dumps(data, ensure_ascii=False))
    except OSError:
        pass
