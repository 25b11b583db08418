"""Every list exported from the demo college and imported back changes nothing: the export's
headers and values are what the import reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.catalogue.importer import export_file, import_file
from core.catalogue.registry import LISTS


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(demo_db: Any, tmp_path: Path, suffix: str) -> None:
    admin = demo_db.log_in("заведующий учебной частью")
    try:
        history = admin.conn.execute("SELECT count(*) FROM journal.change_log").fetchone()
        for spec in LISTS:
            path = tmp_path / f"{spec.alias}{suffix}"
            count = export_file(admin.conn, spec, path)
            assert count > 0, spec.name
            result = import_file(admin.conn, spec, path)
            assert result.preview.ok, (spec.name, [str(p) for p in result.preview.problems[:3]])
            assert (result.inserted, result.updated) == (0, 0), spec.name
        added = admin.conn.execute("SELECT table_name, action, row_key::text, reason "
                                   "FROM journal.change_log ORDER BY id OFFSET %s",
                                   history).fetchall()
        assert added == []
    finally:
        admin.close()
