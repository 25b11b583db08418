"""Where tracebacks go: a log file in the user's state directory, never the screen."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def log_path() -> str:
    """The log file path (``EJOURNAL_LOG`` overrides); its folder is created."""
    explicit = os.environ.get("EJOURNAL_LOG")
    path = Path(explicit) if explicit else Path(platformdirs.user_log_dir("ejournal")) / "ejournal.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)
