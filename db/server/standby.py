"""A streaming standby of an embedded server, for reports (docs/scaling.md).

``pg_basebackup -R`` copies the primary's cluster and writes ``standby.signal`` and
``primary_conninfo``; the standby then replays the primary's WAL as it comes and answers
read-only queries (``hot_standby``). The copy is made, and the standby runs, as the primary's
server account; the superuser's password travels in a ``passfile`` (mode 0600, that account's)
kept in the standby's data folder for reconnecting, never on a command line.
"""

from __future__ import annotations

import shutil
import time

from db.server import init
from db.server.account import hand_over, run_as
from db.server.files import SUPERUSER, Layout
from db.server.launcher import EmbeddedServer
from kernel.errors import ServerError
from kernel.settings import Settings


def make_standby(primary: EmbeddedServer, settings: Settings, **server_options: object
                 ) -> EmbeddedServer:
    """Copy the running ``primary`` into ``settings.data_dir`` and start it as its standby.

    Args:
        primary: A running embedded server.
        settings: The standby's ``data_dir`` (new or empty) and ``port``.
        server_options: Passed to :class:`EmbeddedServer` (``durable``, ``conf``…).

    Raises:
        ServerError: the copy failed (details in the standby's launcher log).
    """
    standby = EmbeddedServer(settings, **server_options)  # type: ignore[arg-type]
    layout: Layout = standby.layout
    if not init.cluster_exists(layout):
        init.prepare_data_dir(layout)
        account = primary._owner()
        init.prepare_subdirs(layout, account)
        passfile = layout.data_dir / "replication.pass"
        state = primary.status()
        passfile.write_text(f"*:*:*:{SUPERUSER}:{primary.superuser_password()}\n", encoding="utf-8")
        hand_over(passfile, account, 0o600)
        conninfo = (f"host={state.socket_dir} port={state.port} user={SUPERUSER} "
                    f"passfile={passfile} application_name=ejournal_standby")
        done = run_as([primary.bin_path("pg_basebackup"), "-D", layout.cluster_dir, "-R",
                       "-X", "stream", "-c", "fast", "-d", conninfo], account, standby.log,
                      timeout=600)
        if done.returncode != 0 or not (layout.cluster_dir / "standby.signal").exists():
            raise ServerError(f"Не удалось скопировать базу для резервного сервера; "
                              f"подробности в файле {standby.log.path}.")
        shutil.copy2(primary.layout.password_file, layout.password_file)
    standby.start()
    return standby


def wait_caught_up(primary: EmbeddedServer, standby: EmbeddedServer, timeout: float = 30) -> None:
    """Wait until the standby has replayed everything the primary has written so far (also
    commits not yet flushed, with ``synchronous_commit = off``: the insert position)."""
    with primary.connect_superuser() as conn:
        target = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]  # type: ignore[index]
    deadline = time.monotonic() + timeout
    with standby.connect_superuser() as conn:
        while True:
            row = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)).fetchone()
            if row and row[0]:
                return
            if time.monotonic() > deadline:
                raise ServerError("Резервный сервер не догнал основной за отведённое время.")
            time.sleep(0.1)
