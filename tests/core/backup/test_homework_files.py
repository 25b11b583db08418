"""Homework files live in the database, so every backup holds them: the copy lists the table
with its rows, and the trial restore gives the same content back."""

from __future__ import annotations

from core.backup.manifest import read_manifest
from core.backup.run import run_backup
from core.backup.verify import verify_copy
from core.homework.store import attach_bytes
from tests.core.homework.sample import PDF, docx


def test_backup_holds_homework_files(demo_backup) -> None:
    demo = demo_backup.demo
    with demo.connect() as conn:
        lesson = conn.execute("SELECT min(id) FROM journal.lesson").fetchone()[0]
    office = demo.log_in("учебной части")
    attach_bytes(office, lesson, "Задачи.pdf", PDF)
    attach_bytes(office, lesson, "Лабораторная.docx", docx())

    run = run_backup(demo_backup.settings, policy=demo_backup.policy)

    assert run.ok, run
    manifest = read_manifest(run.copies[0])
    assert manifest.tables["journal.homework_file"].rows == 2
    checked = verify_copy(demo_backup.settings, run.copies[0], policy=demo_backup.policy)
    assert checked.ok and checked.restored, checked.problems
