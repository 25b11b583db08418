"""Where tracebacks go: a log file in the user's state directory, never the screen."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from kernel.paths import private_dir, private_log_file


def log_path() -> str:
    """The log file path (``EJOURNAL_LOG`` overrides), created 0600 in a 0700 folder: the log
    holds tracebacks with the person's data in them."""
    explicit = os.environ.get("EJOURNAL_LOG")
    path = Path(explicit) if explicit else Path(platformdirs.user_log_dir("ejournal")) / "ejournal.log"
    private_dir(path.parent, own=not explicit)
    return private_log_file(path)
