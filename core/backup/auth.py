"""How the backup role ``ej_backup`` logs in, and the maintenance (superuser) connection.

``ej_backup`` is the only login besides the server's superuser that bypasses row-level
security; it only reads. Nobody is a member of it, so an administrator's own login never
carries its rights. The program logs in as ``ej_backup`` in one of two ways:

- ``auth = "password"`` (default, and the only way on the embedded server): a random
  password set by :func:`setup_credentials` (run by whoever holds the maintenance access:
  the server's OS account or root) and kept in ``<home>/ej_backup.pass``, mode 0640, group of
  the administrators (``[backup] group``). An administrator whose OS account is in that group
  may start a backup from the program; anyone else cannot read the password.
- ``auth = "peer"`` (a college server where the program runs on the database host): no
  password; ``pg_hba.conf`` has ``local <db> ej_backup peer map=ejournal_backup`` and
  ``pg_ident.conf`` maps the administrators' OS accounts to ``ej_backup``.
"""

from __future__ import annotations

import contextlib
import grp
import os
import secrets
from pathlib import Path

from core.backup.config import BackupSetup
from db.dump import PgTarget
from kernel.errors import ConfigError, ServerError

BACKUP_ROLE = "ej_backup"


def _server_keywords(setup: BackupSetup, dbname: str) -> dict[str, str]:
    from db.connect import server_params

    return {**server_params(setup.settings), "dbname": dbname, "user": BACKUP_ROLE}


def read_password(setup: BackupSetup) -> str:
    """The backup role's password from the credentials file.

    Raises:
        ConfigError: the file is missing or this OS account may not read it.
    """
    path = setup.credentials_file
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError(
            f"Не настроен вход роли резервного копирования: нет файла {path}. Выполните "
            "«ejournal backup setup» от имени администратора сервера.", title="Резервное копирование",
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"Нет доступа к файлу {path} с паролем роли резервного копирования: ваша учётная "
            f"запись ОС должна входить в группу «{setup.policy.group}».", title="Резервное копирование",
        ) from exc
    password = next((ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")), "")
    if not password:
        raise ConfigError(f"Файл {path} пуст; выполните «ejournal backup setup» заново.")
    return password


def backup_target(setup: BackupSetup, dbname: str | None = None) -> PgTarget:
    """Where and how pg_dump connects as ``ej_backup`` (password read from the file)."""
    params = _server_keywords(setup, dbname or setup.settings.dbname)
    if setup.policy.auth == "password":
        params["password"] = read_password(setup)
    return PgTarget(params)


def maintenance_target(setup: BackupSetup, dbname: str) -> PgTarget:
    """The superuser's connection (restore needs it): the embedded server's own, or
    ``EJOURNAL_ADMIN_DSN``. Raises :class:`ServerError` when this account has no such access."""
    from db.bootstrap import admin_conninfo

    return PgTarget.from_conninfo(admin_conninfo(setup.settings, dbname))


def _admin_gid(group: str) -> int | None:
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        return None


def secure_folder(folder: Path, setup: BackupSetup, *, group_writes: bool = False) -> None:
    """Create ``folder`` (if missing) for the owner and the administrators' group.

    With the group: 0750, or 02770 when the group writes there too (the backup home, where an
    administrator's run leaves its state and lock). Without it: 0700.
    """
    folder.mkdir(parents=True, exist_ok=True)
    gid = _admin_gid(setup.policy.group)
    if gid is not None:
        with contextlib.suppress(PermissionError):
            os.chown(folder, -1, gid)
    mode = 0o700 if gid is None else (0o2770 if group_writes else 0o750)
    with contextlib.suppress(PermissionError):
        folder.chmod(mode)


def write_private(path: Path, text: str, setup: BackupSetup) -> None:
    """Write ``text`` to ``path`` atomically: 0640 with the administrators' group, else 0600."""
    gid = _admin_gid(setup.policy.group)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if gid is not None:
            os.chown(tmp, -1, gid)
            tmp.chmod(0o640)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def setup_credentials(setup: BackupSetup) -> tuple[Path, bool]:
    """Give ``ej_backup`` a new random password and store it in the credentials file.

    Needs the maintenance (superuser) access. The password travels to the server only as a
    SCRAM verifier computed here. Returns the file and whether the administrators' group
    could be given read access (False: only this OS account may read it).

    Raises:
        ServerError: no maintenance access, or the role is missing (schema not upgraded).
    """
    from psycopg import sql

    from db.bootstrap import connect_admin

    password = secrets.token_urlsafe(32)
    with connect_admin(setup.settings) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (BACKUP_ROLE,)).fetchone() is None:
            raise ServerError(f"В базе нет роли {BACKUP_ROLE}: обновите схему (ejournal db upgrade).")
        verifier = conn.pgconn.encrypt_password(password.encode(), BACKUP_ROLE.encode(),
                                                b"scram-sha-256").decode()
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(BACKUP_ROLE), sql.Literal(verifier)))
    secure_folder(setup.home, setup, group_writes=True)
    body = ("# Пароль роли резервного копирования ej_backup (ejournal backup setup).\n"
            "# Файл читают только root, его владелец и группа администраторов.\n"
            f"{password}\n")
    write_private(setup.credentials_file, body, setup)
    return setup.credentials_file, _admin_gid(setup.policy.group) is not None
