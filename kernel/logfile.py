"""Where tracebacks go: a log file in the user's state directory, never the screen."""

from __future__ import annotations

from pathlib import Path

from kernel.paths import log_folder, private_dir, private_log_file
from kernel.settings import log_file_variable


def log_path() -> str:
    """The log file path (``EJOURNAL_LOG`` overrides), created 0600 in a 0700 folder: the log
    holds tracebacks with the person's data in them."""
    explicit = log_file_variable()
    path = Path(explicit) if explicit else log_folder() / "ejournal.log"
    private_dir(path.parent, own=not explicit)
    return private_log_file(path)
