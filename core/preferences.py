"""Per-person preferences kept on the client machine (the last page opened)."""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs


def _path(login: str) -> Path:
    return Path(platformdirs.user_state_dir("ejournal")) / f"prefs-{login}.json"


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
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    except OSError:
        pass
