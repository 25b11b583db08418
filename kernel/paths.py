"""Folders and files the program writes on this computer, kept private to the person.

Teachers run the program over SSH on a shared server, so every other OS account there could
read a file created with the usual umask (0644 in 0755 folders): outboxes (student ids and
marks), printed journals and statements, login slips with a password, preferences, logs.
Files are created 0600 from the start (never widened and narrowed later: a reader could open
them in between), and the folders the program creates are 0700. A folder the person chose
that already exists keeps its mode (it may be their home); the program's own state and log
folders are made 0700.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "ejournal"


def state_folder() -> Path:
    """The user's state folder for ejournal (outboxes, preferences)."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def data_folder() -> Path:
    """The user's data folder for ejournal (the embedded server's cluster by default)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def config_folder() -> Path:
    """The user's config folder for ejournal (``ejournal.toml``)."""
    return Path(platformdirs.user_config_dir(APP_NAME))


def log_folder() -> Path:
    """The user's log folder for ejournal (``ejournal.log``)."""
    return Path(platformdirs.user_log_dir(APP_NAME))


def private_folder(folder: Path) -> Path:
    """The program's own folder (state, outboxes): created 0700, an existing one narrowed.

    Raises:
        OSError: the folder cannot be created.
    """
    return private_dir(folder, own=True)


FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path | str, *, own: bool = False) -> Path:
    """Create ``path`` and its missing parents with mode 0700; return it.

    Args:
        path: The folder.
        own: The folder belongs to the program (its state or log folder): an existing one
            is narrowed to 0700 as well.
    """
    folder = Path(path).expanduser()
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        created.mkdir(mode=DIR_MODE, exist_ok=True)
        created.chmod(DIR_MODE)           # mkdir's mode passes through the umask
    if own and not missing:
        with contextlib.suppress(OSError):
            folder.chmod(DIR_MODE)
    return folder


def create_private(path: Path | str) -> Path:
    """Create ``path`` as an empty 0600 file (an existing one is emptied and made 0600)."""
    target = Path(path)
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(handle, FILE_MODE)
    finally:
        os.close(handle)
    return target


def write_private_text(path: Path | str, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, as a 0600 file."""
    target = Path(path)
    staging = target.with_name(f".{target.name}.{os.getpid()}.part")
    staging.unlink(missing_ok=True)
    handle = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        staging.replace(target)
    finally:
        staging.unlink(missing_ok=True)


def private_log_file(path: Path | str) -> str:
    """Make sure the log file exists with mode 0600 (appending keeps the mode); its path."""
    target = Path(path)
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        with contextlib.suppress(PermissionError):   # a log someone else gave us to write
            os.fchmod(handle, FILE_MODE)
    finally:
        os.close(handle)
    return str(target)


def downloads_folder() -> Path:
    """The person's downloads folder (``~/Downloads`` or the desktop's own), for files they open."""
    return Path(platformdirs.user_downloads_dir())


def write_private_bytes(path: Path | str, content: bytes) -> None:
    """Write ``content`` into a new file ``path`` created 0600 (an existing file is refused).

    Raises:
        FileExistsError: ``path`` exists (the caller picks a free name).
    """
    handle = os.open(Path(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)
            out.write(content)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise

