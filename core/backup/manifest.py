"""What a copy holds and how to tell it is intact: the manifest and the table checksums.

A copy is a folder ``ejournal-<db>-<YYYY-MM-DD_HHMMSS>-<kind>/`` in each destination::

    journal.dump       pg_dump custom format, made by ej_backup (every row)
    roles.sql          pg_dumpall --roles-only --no-role-passwords
    printouts/…        the year's printouts (only in a year-closing copy)
    manifest.json      sizes and sha256 of the files, server and schema versions, per-table
                       row counts and content checksums, the database's grants
    manifest.sha256    sha256 of manifest.json itself

Table checksums are order-independent sums of a 60-bit prefix of ``md5(row::text)``, taken
in the dump's own snapshot with the session's text formats pinned (UTC, ISO dates, exact
floats), so a restored copy gives the same numbers on any server.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from kernel.errors import ValidationError

FORMAT = 1
DUMP_FILE = "journal.dump"
ROLES_FILE = "roles.sql"
MANIFEST_FILE = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
PRINTOUTS_DIR = "printouts"
CHUNK = 1 << 20

PIN_FORMATS = (
    "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; "
    "SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3; "
    "SET LOCAL bytea_output = 'hex'"
)
TABLES_SQL = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\\_%'
 ORDER BY 1, 2
"""
STAT_SQL = ("SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)"
            "::text FROM ONLY {} AS t")
ACL_SQL = """
SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, a.privilege_type
  FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database() ORDER BY 1, 2
"""


@dataclass(frozen=True)
class FileEntry:
    """Size and sha256 of one file of a copy."""

    size: int
    sha256: str


@dataclass(frozen=True)
class TableStat:
    """Row count and content checksum of one table."""

    rows: int
    checksum: str


@dataclass(frozen=True)
class Manifest:
    """The description of one copy (``manifest.json``)."""

    created_at: datetime
    kind: str
    database: str
    server_version: str
    schema_version: str
    dump_version: str
    files: dict[str, FileEntry]
    tables: dict[str, TableStat]
    database_acl: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    format: int = FORMAT

    @property
    def total_rows(self) -> int:
        """Rows in every table together."""
        return sum(t.rows for t in self.tables.values())

    @property
    def size(self) -> int:
        """Bytes of every file together."""
        return sum(f.size for f in self.files.values())

    def to_json(self) -> str:
        """The manifest as pretty JSON."""
        data: dict[str, Any] = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse ``manifest.json``.

        Raises:
            ValidationError: the text is not a manifest of a known format.
        """
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')}")
            return cls(
                created_at=datetime.fromisoformat(data["created_at"]), kind=data["kind"],
                database=data["database"], server_version=data["server_version"],
                schema_version=data["schema_version"], dump_version=data["dump_version"],
                files={k: FileEntry(**v) for k, v in data["files"].items()},
                tables={k: TableStat(**v) for k, v in data["tables"].items()},
                database_acl=[(g, p) for g, p in data.get("database_acl", [])],
                note=data.get("note", ""),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError(f"Описание копии (manifest.json) повреждено: {exc}.") from exc


def sha256_of(path: Path) -> str:
    """sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path) -> FileEntry:
    """Size and sha256 of ``path``."""
    return FileEntry(path.stat().st_size, sha256_of(path))


def fsync_path(path: Path) -> None:
    """Flush a file or a folder to its medium."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write ``manifest.json`` and its checksum into ``folder``, flushed to the medium."""
    text = manifest.to_json().encode("utf-8")
    for name, body in ((MANIFEST_FILE, text),
                       (MANIFEST_SUM, f"{hashlib.sha256(text).hexdigest()}  {MANIFEST_FILE}\n".encode())):
        path = folder / name
        with path.open("wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())


def read_manifest(folder: Path) -> Manifest:
    """Read a copy's manifest, checking it against ``manifest.sha256``.

    Raises:
        ValidationError: the manifest is missing, altered or unreadable.
    """
    try:
        body = (folder / MANIFEST_FILE).read_bytes()
        recorded = (folder / MANIFEST_SUM).read_text("utf-8").split()[0]
    except (OSError, IndexError) as exc:
        raise ValidationError(f"В папке {folder} нет описания копии (manifest.json).") from exc
    if hashlib.sha256(body).hexdigest() != recorded:
        raise ValidationError(f"Описание копии {folder.name} изменено или повреждено "
                              "(не совпадает контрольная сумма manifest.json).")
    return Manifest.from_json(body.decode("utf-8", errors="replace"))


def pin_formats(conn: psycopg.Connection) -> None:
    """Fix the text formats of values for this transaction (checksums depend on them)."""
    conn.execute(PIN_FORMATS)


def table_stats(conn: psycopg.Connection) -> dict[str, TableStat]:
    """Row count and checksum of every table, inside the caller's transaction.

    The caller pins the formats (:func:`pin_formats`) and, for a backup, runs this in the
    snapshot the dump uses.
    """
    stats: dict[str, TableStat] = {}
    for schema, table in conn.execute(TABLES_SQL).fetchall():
        query = sql.SQL(STAT_SQL).format(sql.Identifier(schema, table))
        row = conn.execute(query).fetchone()
        assert row is not None
        stats[f"{schema}.{table}"] = TableStat(int(row[0]), str(row[1]))
    return stats


def database_acl(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Grants on the current database (``(grantee, privilege)``), which pg_dump leaves out."""
    return [(str(g), str(p)) for g, p in conn.execute(ACL_SQL).fetchall()]


def compare_stats(expected: dict[str, TableStat], actual: dict[str, TableStat]) -> list[str]:
    """Russian descriptions of every difference between two sets of table statistics."""
    problems: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        want, have = expected.get(name), actual.get(name)
        if have is None:
            problems.append(f"таблица {name} отсутствует после восстановления")
        elif want is None:
            problems.append(f"лишняя таблица {name} после восстановления")
        elif want.rows != have.rows:
            problems.append(f"таблица {name}: строк {have.rows} вместо {want.rows}")
        elif want.checksum != have.checksum:
            problems.append(f"таблица {name}: содержимое отличается (контрольная сумма)")
    return problems
