"""Starting the postmaster, waiting for it, and cleaning up after a crashed earlier run."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from db.server.account import (
    Account,
    cluster_processes,
    pid_alive,
    port_in_use,
    quit_processes,
    run_as,
)
from db.server.files import SOCKET_PATH_MAX, LaunchLog, Layout, read_pidfile
from kernel.errors import ServerError

ORPHAN_GRACE_S = 5.0


def postmaster_alive(layout: Layout, pid: int) -> bool:
    """True when ``pid`` is a live PostgreSQL process working in this cluster."""
    if not layout.cluster_dir.exists():
        return False
    found = cluster_processes(layout.cluster_dir, layout.cluster_dir.stat().st_uid)
    return pid_alive(pid) if found is None else pid in found


def _wait_gone(layout: Layout, account: Account, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while True:
        left = cluster_processes(layout.cluster_dir, account.uid) or []
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def clear_stale(layout: Layout, account: Account, log: LaunchLog) -> None:
    """Remove what a killed server left: its pid file, orphan backends, the socket lock.

    Called only when the pid file's postmaster is not alive. Orphaned backends still attached
    to the old shared memory get a few seconds to notice the postmaster's death, then SIGQUIT.
    """
    info = read_pidfile(layout.pid_file)
    if info is not None:
        orphans = _wait_gone(layout, account, ORPHAN_GRACE_S)
        if orphans:
            log.write(f"orphan server processes {orphans}: sending SIGQUIT")
            quit_processes(orphans)
            if _wait_gone(layout, account, ORPHAN_GRACE_S):
                raise ServerError(
                    "Процессы прежнего сервера PostgreSQL не завершаются; "
                    f"подробности в файле {log.path}."
                )
        log.write(f"removing stale {layout.pid_file} of dead pid {info.pid}")
        layout.pid_file.unlink(missing_ok=True)
    for lock in layout.socket_dir.glob(".s.PGSQL.*.lock"):
        _clear_socket_lock(lock, log)


def _clear_socket_lock(lock: Path, log: LaunchLog) -> None:
    info = read_pidfile(lock)
    if info is not None and pid_alive(info.pid):
        return
    log.write(f"removing stale socket lock {lock}")
    lock.unlink(missing_ok=True)
    lock.with_suffix("").unlink(missing_ok=True)


def check_can_listen(layout: Layout, port: int) -> None:
    """Refuse early, in plain words, when the port is taken or the socket path is too long."""
    socket_file = layout.socket_file(port)
    if len(str(socket_file).encode()) > SOCKET_PATH_MAX:
        raise ServerError(
            f"Слишком длинный путь к сокету сервера ({socket_file}); "
            "укажите более короткий каталог данных в параметре EJOURNAL_DATA_DIR."
        )
    if port_in_use(port) or socket_file.with_name(socket_file.name + ".lock").exists():
        raise ServerError(
            f"Порт {port} уже занят другой программой; освободите его или укажите "
            "другой порт в параметре EJOURNAL_PORT."
        )


def launch(layout: Layout, bin_dir: Path, account: Account, log: LaunchLog, timeout: float) -> None:
    """``pg_ctl start`` in its own session, so that the server outlives this program."""
    command: list[str | Path] = [
        bin_dir / "pg_ctl", "start", "-D", layout.cluster_dir, "-w", "-t", str(int(timeout)),
        "-l", layout.startup_log, "-s",
    ]
    result = run_as(command, account, log, timeout=timeout + 30, detach=True)
    if result.returncode == 0:
        return
    log.tail_of(layout.startup_log)
    server_logs = sorted(layout.log_dir.glob("postgresql-*.log"), key=lambda p: p.stat().st_mtime)
    if server_logs:
        log.tail_of(server_logs[-1])
    raise ServerError(
        f"Не удалось запустить сервер PostgreSQL; подробности в файле {log.path}."
    )


def wait_ready(
    conninfo: Callable[[], str], alive: Callable[[], bool], log: LaunchLog, timeout: float,
) -> None:
    """Poll until the superuser can connect; fail fast when the server died or refused us."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(conninfo(), connect_timeout=5).close()
            return
        except psycopg.OperationalError as exc:
            last = str(exc).strip()
        if "password authentication failed" in last:
            log.write(f"superuser refused: {last}")
            raise ServerError(
                "Сервер PostgreSQL отклонил пароль суперпользователя из файла superuser.pass; "
                f"подробности в файле {log.path}."
            )
        if not alive() or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    log.write(f"server not accepting connections: {last}")
    raise ServerError(
        f"Сервер PostgreSQL не принимает подключения; подробности в файле {log.path}."
    )
