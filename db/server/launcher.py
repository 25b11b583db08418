"""The embedded PostgreSQL server: start, stop, status and the superuser's connection.

Used for the demo, a one-machine install and the tests. See ``docs/server.md`` for the layout
on disk, the OS account used when running as root and the authentication rules.
"""

from __future__ import annotations

import fcntl
import os
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.server import bins, init
from db.server.account import Account, is_root, run_as, server_account
from db.server.files import SUPERUSER, LaunchLog, Layout, PidInfo, read_pidfile
from db.server.process import check_can_listen, clear_stale, launch, postmaster_alive, wait_ready
from kernel.errors import ServerError
from kernel.settings import Settings

if TYPE_CHECKING:
    import psycopg

ROOT_BIN_CACHE = Path("/var/lib/ejournal")
FAST_CONF = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@dataclass(frozen=True)
class ServerStatus:
    """State of the embedded server."""

    running: bool
    data_dir: Path
    socket_dir: Path
    port: int
    superuser: str
    pid: int | None
    version: str


class EmbeddedServer:
    """A PostgreSQL cluster in ``settings.data_dir``, run by this program.

    Args:
        settings: Installation settings (``data_dir``, ``port``, ``pg_bin``).
        bin_cache: Where to copy the binaries (default ``/var/lib/ejournal`` as root, else
            the data directory).
        durable: False for throwaway test clusters (no fsync).
        conf: Extra ``postgresql.conf`` settings.
        timeout: Seconds to wait for the server to start or stop.
        person_databases: The databases anyone but the superuser may connect to
            (``pg_hba.conf``); default: the journal's (``settings.dbname``). Test servers,
            whose databases come and go, pass ``("all",)``.
    """

    def __init__(
        self, settings: Settings, *, bin_cache: Path | str | None = None, durable: bool = True,
        conf: Mapping[str, str] | None = None, timeout: float = 60.0,
        person_databases: Sequence[str] | None = None,
    ) -> None:
        self.settings = settings
        self.layout = Layout.from_settings(self.settings)
        self.log = LaunchLog(self.layout.log_dir / "launcher.log")
        self._bin_cache = Path(bin_cache) if bin_cache else None
        self._conf = {**({} if durable else FAST_CONF), **(conf or {})}
        self._durable = durable
        self._timeout = timeout
        self._bin_dir: Path | None = None
        self._version = ""
        self.person_databases = tuple(person_databases or (settings.dbname,))

    @property
    def superuser(self) -> str:
        """Name of the bootstrap superuser."""
        return SUPERUSER

    def status(self) -> ServerStatus:
        """Whether the server runs, and where."""
        info = self._live()
        return ServerStatus(
            running=info is not None,
            data_dir=self.layout.data_dir,
            socket_dir=self.layout.socket_dir,
            port=self._port(info),
            superuser=SUPERUSER,
            pid=info.pid if info else None,
            version=self._version_text(),
        )

    def start(self) -> ServerStatus:
        """Start the server (creating it on first use); a running one is reused."""
        init.prepare_data_dir(self.layout)
        with self._locked(), self._explained("запустить"):
            current = self.status()
            if current.running:
                self.log.write(f"server already running, pid {current.pid}")
            else:
                account = self._prepare()
                clear_stale(self.layout, account, self.log)
                check_can_listen(self.layout, self.settings.port)
                launch(self.layout, self._binaries(account), account, self.log, self._timeout)
            wait_ready(self.superuser_conninfo, lambda: self._live() is not None, self.log,
                       self._timeout)
            return self.status()

    def stop(self, mode: str = "fast") -> ServerStatus:
        """Stop the server (``mode``: smart, fast or immediate); a stopped one stays so."""
        if self._live() is None:
            return self.status()
        with self._locked(), self._explained("остановить"):
            account = self._owner()
            command: list[str | Path] = [
                self._binaries(account) / "pg_ctl", "stop", "-D", self.layout.cluster_dir,
                "-m", mode, "-w", "-t", str(int(self._timeout)),
            ]
            run_as(command, account, self.log, timeout=self._timeout + 30)
            after = self.status()
            if after.running:
                raise ServerError(
                    f"Не удалось остановить сервер PostgreSQL; подробности в файле {self.log.path}."
                )
            return after

    def admit_persons(self, databases: Sequence[str]) -> None:
        """Let persons (anyone but the superuser) connect only to ``databases`` from now on:
        ``pg_hba.conf`` is rewritten and a running server reloads it."""
        self.person_databases = tuple(databases)
        with self._locked(), self._explained("перенастроить"):
            init.write_hba(self.layout, self._owner(), self.person_databases)
            if self.status().running:
                with self.connect_superuser() as conn:
                    conn.execute("SELECT pg_reload_conf()")

    def superuser_conninfo(self, dbname: str = "postgres") -> str:
        """libpq conninfo of the superuser over the Unix socket, with the password."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(
            "", host=str(self.layout.socket_dir), port=str(self._port(self._pidfile())),
            user=SUPERUSER, password=self.superuser_password(), dbname=dbname,
        )

    def connect_superuser(
        self, dbname: str = "postgres", *, autocommit: bool = True,
    ) -> psycopg.Connection:
        """A superuser connection to ``dbname`` over the Unix socket."""
        import psycopg

        try:
            return psycopg.connect(
                self.superuser_conninfo(dbname), autocommit=autocommit, connect_timeout=10,
            )
        except psycopg.OperationalError as exc:
            self.log.write(f"superuser connection to {dbname} failed: {exc}")
            raise ServerError(
                f"Не удалось подключиться к базе «{dbname}» встроенного сервера; "
                f"подробности в файле {self.log.path}."
            ) from exc

    def superuser_password(self) -> str:
        """The bootstrap superuser's password, from its 0600 file."""
        try:
            return self.layout.password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ServerError(
                f"Не удалось прочитать пароль суперпользователя из файла "
                f"{self.layout.password_file}; команду нужно выполнять от имени того же "
                "пользователя, который создал сервер."
            ) from exc

    def bin_path(self, name: str) -> Path:
        """Path of a PostgreSQL program (``pg_dump``, ``pg_restore``, ``psql``…)."""
        path = self._binaries(self._owner()) / name
        if not os.access(path, os.X_OK):
            raise ServerError(f"Не найдена программа PostgreSQL {path}.")
        return path

    # -- internals -------------------------------------------------------------------------

    def _pidfile(self) -> PidInfo | None:
        cluster = self.layout.cluster_dir
        if cluster.exists() and not os.access(cluster, os.R_OK | os.X_OK):
            raise ServerError(
                f"Нет доступа к каталогу {cluster}; команду нужно выполнять от имени "
                "пользователя, который создал сервер, или root."
            )
        return read_pidfile(self.layout.pid_file)

    def _live(self) -> PidInfo | None:
        """The pid file's content when its postmaster is alive, else None."""
        info = self._pidfile()
        if info is None or not postmaster_alive(self.layout, info.pid):
            return None
        return info

    def _port(self, info: PidInfo | None) -> int:
        return info.port if info is not None and info.port else self.settings.port

    def _owner(self) -> Account:
        """The account owning the cluster (the server's), creating it on first use."""
        return server_account(self.layout.cluster_dir, self.log)

    def _prepare(self) -> Account:
        account = self._owner()
        init.prepare_subdirs(self.layout, account)
        bin_dir = self._binaries(account)
        major = bins.major_of(self._version_text())
        init.init_cluster(self.layout, bin_dir, major, account, self.log, durable=self._durable)
        init.write_conf(self.layout, self.settings.port, account, self._conf)
        init.write_hba(self.layout, account, self.person_databases)
        return account

    def _cache(self) -> Path:
        if self._bin_cache is not None:
            return self._bin_cache
        if is_root():
            try:
                init.make_dirs(ROOT_BIN_CACHE)
                if os.access(ROOT_BIN_CACHE, os.W_OK):
                    return ROOT_BIN_CACHE
            except OSError:
                self.log.write(f"{ROOT_BIN_CACHE} is not writable; binaries go to the data dir")
        return self.layout.data_dir

    def _binaries(self, account: Account) -> Path:
        if self._bin_dir is None:
            cache = self._cache()
            found = bins.install_binaries(self.settings.pg_bin, cache, account, self.log)
            self._bin_dir = self._matching_major(found, cache)
            self._version = bins.version_of(self._bin_dir)
        return self._bin_dir

    def _matching_major(self, bin_dir: Path, cache: Path) -> Path:
        """Binaries of the cluster's major version (an upgrade keeps the old copy in use)."""
        wanted = init.cluster_major(self.layout)
        have = bins.major_of(bins.version_of(bin_dir))
        if wanted is None or wanted == have:
            return bin_dir
        older = bins.cached_for_major(cache, wanted)
        if older is None:
            raise ServerError(
                f"База данных создана PostgreSQL {wanted}, а в программе PostgreSQL {have}; "
                "перенесите данные через резервную копию (ejournal backup и restore)."
            )
        return older

    def _version_text(self) -> str:
        if not self._version:
            try:
                self._version = bins.version_of(
                    self._bin_dir or bins.source_bin_dir(self.settings.pg_bin))
            except ServerError:
                return ""
        return self._version

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Only one process starts or stops this data directory at a time."""
        try:
            handle = self.layout.lock_file.open("a")
            self.layout.lock_file.chmod(0o600)
        except OSError as exc:
            raise init.not_writable(self.layout.data_dir) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    @contextmanager
    def _explained(self, action: str) -> Iterator[None]:
        """Unexpected OS errors become one Russian sentence; the traceback goes to the log."""
        try:
            yield
        except OSError as exc:
            self.log.write(traceback.format_exc())
            raise ServerError(
                f"Не удалось {action} сервер PostgreSQL: {exc.strerror or exc} "
                f"({exc.filename or ''}); подробности в файле {self.log.path}."
            ) from exc
        except ServerError as exc:
            self.log.write(f"ServerError: {exc}")
            raise

