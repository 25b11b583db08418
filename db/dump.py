"""pg_dump, pg_dumpall and pg_restore: where the programs are and how they are run.

The programs come from the embedded server's copy of the binaries when the program runs
its own server, else from ``Settings.pg_bin`` or ``PATH`` (a college server's client
package, whose major version must be at least the server's).

Connection details go to the programs through ``PG*`` environment variables, never on the
command line (``ps`` shows command lines to every account on the machine), and the
caller's own ``PG*`` variables are dropped so that nothing unexpected is inherited.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kernel.errors import ServerError
from kernel.settings import Settings

DUMP_TIMEOUT_S = 6 * 3600
_ENV_OF = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "user": "PGUSER",
    "password": "PGPASSWORD", "dbname": "PGDATABASE", "sslmode": "PGSSLMODE",
    "channel_binding": "PGCHANNELBINDING", "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME",
    "passfile": "PGPASSFILE", "options": "PGOPTIONS", "service": "PGSERVICE",
    "require_auth": "PGREQUIREAUTH", "gssencmode": "PGGSSENCMODE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
_NO_SPACE = re.compile(r"No space left on device|could not (write|extend).*space", re.IGNORECASE)
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\S+)")


class DumpFailed(ServerError):
    """A PostgreSQL program failed; ``no_space`` tells a full disk from other failures."""

    title = "Резервное копирование"

    def __init__(self, message: str, *, detail: str = "", no_space: bool = False) -> None:
        super().__init__(message)
        self.detail = detail
        self.no_space = no_space


@dataclass(frozen=True)
class PgTarget:
    """Where a PostgreSQL program connects and as whom, as libpq keywords.

    Attributes:
        params: libpq keywords (``host``, ``port``, ``user``, ``dbname``, …), password included.
    """

    params: Mapping[str, str]

    @classmethod
    def from_conninfo(cls, conninfo: str) -> PgTarget:
        """The target described by a libpq conninfo string or URI."""
        from psycopg.conninfo import conninfo_to_dict

        return cls({k: str(v) for k, v in conninfo_to_dict(conninfo).items() if v is not None})

    @property
    def dbname(self) -> str:
        """The database this target names."""
        return self.params.get("dbname", "")

    @property
    def user(self) -> str:
        """The login this target connects as."""
        return self.params.get("user", "")

    def conninfo(self) -> str:
        """A libpq conninfo string (for psycopg; never put it on a command line)."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo("", **dict(self.params))

    def env(self) -> dict[str, str]:
        """The process environment for a PostgreSQL program connecting to this target."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for key, value in self.params.items():
            name = _ENV_OF.get(key)
            if name is None:
                raise ServerError(f"Параметр подключения «{key}» не поддерживается программами "
                                  "резервного копирования.")
            env[name] = value
        env.setdefault("PGCONNECT_TIMEOUT", "10")
        env["PGAPPNAME"] = "ejournal-backup"
        env["LC_MESSAGES"] = "C"
        return env


def program(settings: Settings, name: str) -> Path:
    """Path of ``pg_dump``, ``pg_dumpall`` or ``pg_restore`` for this installation."""
    if settings.embedded:
        from db.server.launcher import EmbeddedServer

        return EmbeddedServer(settings).bin_path(name)
    if settings.pg_bin:
        path = Path(settings.pg_bin) / name
        if os.access(path, os.X_OK):
            return path
        raise ServerError(f"Не найдена программа {name} в каталоге {settings.pg_bin} (pg_bin).")
    found = shutil.which(name)
    if found is None:
        raise ServerError(
            f"Не найдена программа {name}: установите клиентские программы PostgreSQL "
            "или укажите их каталог в параметре pg_bin."
        )
    return Path(found)


def program_version(path: Path) -> str:
    """The version a PostgreSQL program reports, e.g. ``18.6``."""
    try:
        result = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerError(f"Не запускается программа {path}.") from exc
    found = _VERSION.search(result.stdout)
    return found.group(1) if found else ""


def _failure(what: str, stderr: str) -> DumpFailed:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    detail = "\n".join(lines[-8:])
    last = lines[-1] if lines else "нет сообщения"
    if _NO_SPACE.search(stderr):
        return DumpFailed(f"{what}: на диске нет места.", detail=detail, no_space=True)
    return DumpFailed(f"{what}: {last}", detail=detail)


def run(command: Sequence[str | Path], target: PgTarget, what: str,
        *, timeout: float = DUMP_TIMEOUT_S) -> str:
    """Run a PostgreSQL program against ``target``; return its standard output.

    Raises:
        DumpFailed: the program exited with an error (its last message is in the text).
    """
    args = [str(part) for part in command]
    try:
        result = subprocess.run(args, capture_output=True, text=True, env=target.env(),
                                timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DumpFailed(f"{what}: не удалось выполнить {Path(args[0]).name} ({exc}).") from exc
    if result.returncode != 0:
        raise _failure(what, result.stderr)
    return result.stdout


def start_dump(settings: Settings, target: PgTarget, out: Path, *, snapshot: str = "",
               compress: str = "1") -> subprocess.Popen[bytes]:
    """Start ``pg_dump`` (custom format) of ``target``'s database into ``out``.

    Returns the running process; :func:`finish` waits for it. With ``snapshot`` the dump
    sees exactly the data of that exported snapshot. ``compress`` is gzip's level (fast 1 by
    default; a plain number is understood by pg_dump 15 and newer alike). Large objects are
    left out (``--no-blobs``, pg_dump 10 and newer): the journal keeps none, and one the backup
    role may not read would make the whole dump fail.
    """
    args = [str(program(settings, "pg_dump")), "--format=custom", "--no-password", "--no-blobs",
            f"--compress={compress}", f"--file={out}"]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    try:
        return subprocess.Popen(args, env=target.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        raise DumpFailed(f"Не удалось запустить pg_dump ({exc}).") from exc


def finish(process: subprocess.Popen[bytes], what: str, *, timeout: float = DUMP_TIMEOUT_S) -> None:
    """Wait for a program started by :func:`start_dump`; raise :class:`DumpFailed` if it failed."""
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise DumpFailed(f"{what}: не завершилась за {int(timeout)} с.") from exc
    if process.returncode != 0:
        raise _failure(what, err.decode("utf-8", errors="replace"))


def dump_roles(settings: Settings, target: PgTarget) -> str:
    """The cluster's roles and memberships as SQL (``pg_dumpall --roles-only``), no passwords.

    Passwords are left out: only a superuser may read them, and the backup role is not one.
    """
    args: list[str | Path] = [program(settings, "pg_dumpall"), "--roles-only", "--no-role-passwords",
            "--no-password", f"--database={target.dbname}"]
    return run(args, target, "Выгрузка ролей (pg_dumpall)")


def restore(settings: Settings, target: PgTarget, archive: Path, *, jobs: int = 2) -> None:
    """Restore a custom-format archive into ``target``'s (existing, empty) database."""
    args: list[str | Path] = [program(settings, "pg_restore"), "--exit-on-error", "--no-password",
            f"--jobs={max(1, jobs)}", f"--dbname={target.dbname}", str(archive)]
    run(args, target, "Восстановление (pg_restore)")
