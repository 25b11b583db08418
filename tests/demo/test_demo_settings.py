"""`ejournal demo` gives the demo two backup destinations unless the user configured some."""

from __future__ import annotations

from pathlib import Path

from demo.setup import demo_settings
from kernel.settings import Settings


def test_demo_gets_two_backup_folders(tmp_path: Path) -> None:
    settings = demo_settings(Settings(data_dir=str(tmp_path)))
    assert len(settings.backup_dirs) == 2
    assert all(Path(d).is_dir() and str(tmp_path) in d for d in settings.backup_dirs)


def test_configured_destinations_are_kept(tmp_path: Path) -> None:
    own = Settings(data_dir=str(tmp_path), backup_dirs=("/mnt/a", "/mnt/b"))
    assert demo_settings(own) == own
