"""Folders, the first ``initdb`` and the configuration files of the embedded server."""

from __future__ import annotations

import locale
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from db.server.account import Account, first_blocked, hand_over, run_as
from db.server.files import (
    CONF_NAME,
    INCLUDE_LINE,
    SUPERUSER,
    LaunchLog,
    Layout,
    hba_conf,
    server_conf,
)
from kernel.errors import ServerError


def make_dirs(path: Path) -> None:
    """Create ``path`` and missing parents; the folders created here get mode 0755."""
    missing: list[Path] = []
    folder = path.absolute()
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        created.mkdir(exist_ok=True)
        created.chmod(0o755)


def prepare_data_dir(layout: Layout) -> None:
    """Make sure the data directory exists and the program may write in it."""
    try:
        make_dirs(layout.data_dir)
    except OSError as exc:
        raise not_writable(layout.data_dir) from exc
    if not os.access(layout.data_dir, os.W_OK | os.X_OK):
        raise not_writable(layout.data_dir)


def not_writable(folder: Path) -> ServerError:
    """The error of a data directory the program may not write in."""
    return ServerError(
        f"Нет прав на запись в каталог данных {folder}; "
        "укажите другой каталог в параметре EJOURNAL_DATA_DIR."
    )


def prepare_subdirs(layout: Layout, account: Account) -> None:
    """Cluster (0700), socket (0755) and log (0700) folders, owned by the server's account."""
    blocked = first_blocked(layout.data_dir, account)
    if blocked is not None:
        raise ServerError(
            f"Учётная запись {account.name}, от имени которой работает сервер PostgreSQL, "
            f"не может войти в каталог {blocked}; укажите каталог данных вне его "
            "в параметре EJOURNAL_DATA_DIR (например, /var/lib/ejournal)."
        )
    if layout.data_dir.stat().st_uid == os.geteuid():
        layout.data_dir.chmod(0o755)
    for folder, mode in ((layout.socket_dir, 0o755), (layout.log_dir, 0o700)):
        folder.mkdir(exist_ok=True)
        hand_over(folder, account, mode)
    if not layout.cluster_dir.exists():
        layout.cluster_dir.mkdir()
        hand_over(layout.cluster_dir, account, 0o700)


def cluster_exists(layout: Layout) -> bool:
    """True when ``initdb`` has completed in the cluster folder."""
    return (layout.cluster_dir / "PG_VERSION").is_file()


def cluster_major(layout: Layout) -> str | None:
    """The major version that created the cluster, or None before ``initdb``."""
    try:
        return (layout.cluster_dir / "PG_VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only the program's own OS user can read (0600)."""
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.unlink(missing_ok=True)
    handle = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    staging.replace(path)


def _has_c_utf8() -> bool:
    try:
        previous = locale.setlocale(locale.LC_CTYPE)
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
        locale.setlocale(locale.LC_CTYPE, previous)
    except locale.Error:
        return False
    return True


def _locale_args(major: str) -> list[str]:
    args = ["--encoding=UTF8", f"--locale={'C.UTF-8' if _has_c_utf8() else 'C'}"]
    if major.isdigit() and int(major) >= 17:
        args += ["--locale-provider=builtin", "--builtin-locale=C.UTF-8"]
    return args


def init_cluster(
    layout: Layout, bin_dir: Path, major: str, account: Account, log: LaunchLog, *,
    durable: bool,
) -> None:
    """Run ``initdb`` once: SCRAM everywhere, UTF-8, superuser ``ejournal_su``."""
    if cluster_exists(layout):
        return
    if any(layout.cluster_dir.iterdir()):
        raise ServerError(
            f"Каталог {layout.cluster_dir} не пуст, но не содержит базы данных; "
            "освободите его или укажите другой каталог данных."
        )
    password = secrets.token_urlsafe(32)
    write_private(layout.password_file, password + "\n")
    pwfile = layout.log_dir / ".initdb-password"
    pwfile.write_text(password + "\n", encoding="utf-8")
    hand_over(pwfile, account, 0o600)
    command: list[str | Path] = [
        bin_dir / "initdb", "-D", layout.cluster_dir, f"--username={SUPERUSER}",
        f"--pwfile={pwfile}", "--auth=scram-sha-256", "--no-instructions",
        *_locale_args(major), *([] if durable else ["--no-sync"]),
    ]
    try:
        result = run_as(command, account, log, timeout=300)
    finally:
        pwfile.unlink(missing_ok=True)
    if result.returncode != 0:
        raise ServerError(
            f"Не удалось создать базу данных сервера (initdb); подробности в файле {log.path}."
        )
    with (layout.cluster_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(INCLUDE_LINE)


def _write_owned(path: Path, text: str, account: Account) -> None:
    path.write_text(text, encoding="utf-8")
    hand_over(path, account, 0o600)


def write_conf(layout: Layout, port: int, account: Account, overrides: Mapping[str, str]) -> None:
    """Rewrite ``ejournal.conf`` (port, socket, logging, memory) before each start."""
    _write_owned(layout.cluster_dir / CONF_NAME, server_conf(layout, port, overrides), account)


def write_hba(layout: Layout, account: Account, person_databases: Sequence[str]) -> None:
    """Rewrite ``pg_hba.conf`` (before each start, or before a reload)."""
    _write_owned(layout.cluster_dir / "pg_hba.conf", hba_conf(person_databases), account)
