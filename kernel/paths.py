"""Folders the program writes to on this computer, kept private to the person.

Outboxes hold student ids and marks; printouts and slips hold personal data and passwords.
Everything the program writes lives in folders of mode 0700, in files of mode 0600, so other
accounts of a shared server (teachers over SSH) read nothing of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ejournal"


def state_folder() -> Path:
    """The user's state folder for ejournal (outboxes, preferences)."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def private_folder(folder: Path) -> Path:
    """Create ``folder`` (and parents) if needed and make it 0700 when it is ours.

    Raises:
        OSError: the folder cannot be created.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.stat().st_uid == os.geteuid() and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder
