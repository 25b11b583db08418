"""The operating-system side of the embedded server: its account, commands and processes.

PostgreSQL refuses to run as root. When the program runs as root the server runs as the
system account :data:`SERVICE_USER` (created on first use); otherwise it runs as the
current user. Nothing here loosens the permissions of a folder the program did not create.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from db.server.files import LaunchLog
from kernel.errors import ServerError

SERVICE_USER = "ejournal-pg"
FALLBACK_USER = "nobody"
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Account:
    """An OS account: the one the PostgreSQL processes run as."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]

    @property
    def is_current(self) -> bool:
        """True when this is the account running the program itself."""
        return self.uid == os.geteuid()


def is_root() -> bool:
    """True when the program runs as root."""
    return os.geteuid() == 0


def account_by_name(name: str) -> Account | None:
    """The account called ``name``, or None when there is none."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    groups = tuple(os.getgrouplist(name, entry.pw_gid))
    return Account(name, entry.pw_uid, entry.pw_gid, groups)


def account_by_uid(uid: int) -> Account | None:
    """The account with the numeric id ``uid``, or None when it has no name."""
    try:
        return account_by_name(pwd.getpwuid(uid).pw_name)
    except KeyError:
        return None


def current_account() -> Account:
    """The account running the program."""
    found = account_by_uid(os.geteuid())
    if found is not None:
        return found
    return Account(str(os.geteuid()), os.geteuid(), os.getegid(), tuple(os.getgroups()))


def server_account(cluster_dir: Path, log: LaunchLog) -> Account:
    """The account the server runs as: the owner of an existing cluster, else a new one."""
    if not is_root():
        return current_account()
    if cluster_dir.exists():
        owner = account_by_uid(cluster_dir.stat().st_uid)
        if owner is not None and owner.uid != 0:
            return owner
    return ensure_service_user(log)


def ensure_service_user(log: LaunchLog) -> Account:
    """Find or create the system account :data:`SERVICE_USER` (root only)."""
    found = account_by_name(SERVICE_USER)
    if found is not None:
        return found
    command = [
        shutil.which("useradd") or "/usr/sbin/useradd", "--system", "--user-group",
        "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
        "--comment", "ejournal PostgreSQL server", SERVICE_USER,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        log.write(f"useradd {SERVICE_USER}: rc={result.returncode} {result.stderr.strip()}")
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.write(f"useradd {SERVICE_USER} failed: {exc}")
    found = account_by_name(SERVICE_USER)
    if found is not None:
        return found
    fallback = account_by_name(FALLBACK_USER)
    if fallback is not None:
        log.write(f"WARNING: running PostgreSQL as {FALLBACK_USER}: {SERVICE_USER} is missing")
        return fallback
    raise ServerError(
        f"Не удалось создать служебную учётную запись {SERVICE_USER} для сервера PostgreSQL; "
        f"создайте её командой «useradd --system {SERVICE_USER}»."
    )


def may_enter(path: Path, account: Account) -> bool:
    """True when ``account`` may pass through the existing folder ``path``."""
    info = path.stat()
    if account.uid == 0:
        return True
    if info.st_uid == account.uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid in account.groups:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def first_blocked(path: Path, account: Account) -> Path | None:
    """The first existing folder on the way to ``path`` that ``account`` cannot enter."""
    target = path.absolute()
    for folder in [*reversed(target.parents), target]:
        if folder.is_dir() and not may_enter(folder, account):
            return folder
    return None


def hand_over(path: Path, account: Account, mode: int) -> None:
    """Give ``path`` to ``account`` (when it is another account) with ``mode``."""
    if not account.is_current:
        os.chown(path, account.uid, account.gid)
    path.chmod(mode)


def _clean_env() -> dict[str, str]:
    env = {"PATH": SAFE_PATH, "LC_ALL": "C", "LANG": "C"}
    if "TZ" in os.environ:
        env["TZ"] = os.environ["TZ"]
    return env


def run_as(
    command: Sequence[str | Path], account: Account, log: LaunchLog, *,
    timeout: float = 120, detach: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program as ``account``; output goes to the launch log.

    Temporary files, not pipes, take the output: a server started by ``pg_ctl`` must not
    inherit a pipe we wait on.
    """
    args = [str(part) for part in command]
    extra: dict[str, object] = {}
    if not account.is_current:
        extra = {"user": account.uid, "group": account.gid, "extra_groups": []}
    with tempfile.TemporaryFile("w+") as out:
        try:
            result = subprocess.run(
                args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                text=True, timeout=timeout, cwd="/", env=_clean_env(), check=False,
                start_new_session=detach, **extra,  # type: ignore[call-overload]
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.write(f"$ {' '.join(args)}\n  failed: {exc}")
            raise ServerError(
                f"Не удалось выполнить {Path(args[0]).name}; подробности в файле {log.path}."
            ) from exc
        out.seek(0)
        output = out.read()
    log.write(f"$ {' '.join(args)}\n  rc={result.returncode}\n{output.rstrip()}")
    return subprocess.CompletedProcess(args, result.returncode, output, "")


def cluster_processes(cluster_dir: Path, uid: int) -> list[int] | None:
    """PIDs of ``postgres`` processes of the account ``uid`` working in ``cluster_dir``.

    Every PostgreSQL process changes into its data directory, so the working directory tells
    whose it is. None when ``/proc`` cannot be read.
    """
    target = str(cluster_dir.resolve())
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    found: list[int] = []
    for name in names:
        if not name.isdigit():
            continue
        base = f"/proc/{name}"
        try:
            if os.stat(base).st_uid != uid or os.readlink(f"{base}/cwd") != target:
                continue
            if Path(os.readlink(f"{base}/exe")).name.startswith("postgres"):
                found.append(int(name))
        except OSError:
            continue
    return found


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (of any user) and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    state = stat_line.rsplit(")", 1)[-1].split()[:1]
    return state not in (["Z"], ["X"])


def quit_processes(pids: Sequence[int]) -> None:
    """Ask leftover PostgreSQL processes to quit at once (SIGQUIT)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGQUIT)
        except OSError:
            continue


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when another program listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False
