"""The sample college of docs/samples/ imports whole into an empty migrated database, twice
without a change; the samples are what the demo builder writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from core.catalogue.importer import import_file, import_folder
from core.catalogue.registry import find_list
from demo.samples import write_samples

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
COUNTS = {"study_group": 4, "student": 100, "guardian": 200, "subgroup": 8, "timetable_slot": 32}


def _counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM journal.{t}").fetchone()[0] for t in COUNTS}


def _content(path: Path) -> object:
    if path.suffix == ".xlsx":
        return list(openpyxl.load_workbook(path).active.values)
    return path.read_bytes()


def test_the_builder_writes_the_committed_samples(tmp_path) -> None:
    written = write_samples(tmp_path)
    assert sorted(p.relative_to(tmp_path) for p in written) == sorted(
        p.relative_to(SAMPLES) for p in SAMPLES.rglob("*") if p.is_file())
    for path in written:
        assert _content(path) == _content(SAMPLES / path.relative_to(tmp_path)), path.name


def test_the_samples_set_up_an_empty_college(fresh_db) -> None:
    with fresh_db.connect() as conn:
        done = import_folder(conn, SAMPLES)
        assert len(done) == 15
        assert all(r.written and r.preview.ok for _, r in done), [
            (p.name, [str(x) for x in r.preview.problems[:3]]) for p, r in done]
        assert _counts(conn) == COUNTS
        assert conn.execute("SELECT count(*) FROM journal.person p JOIN journal.person_role r "
                            "ON r.person_id = p.id AND r.role = 'teacher'").fetchone()[0] == 13
        history = conn.execute("SELECT count(*) FROM journal.change_log").fetchone()[0]
        again = import_folder(conn, SAMPLES)
        assert all((r.inserted, r.updated) == (0, 0) for _, r in again)
        assert conn.execute("SELECT count(*) FROM journal.change_log").fetchone()[0] == history

        teacher_file = next((SAMPLES / "преподаватель").iterdir())
        topics = import_file(conn, find_list("ктп"), teacher_file, defaults={
            "year": "2026/2027", "semester": "1", "group": "ИС-26-1",
            "discipline": "Русский язык"})
        assert topics.written and topics.inserted == 0 and topics.updated == len(
            topics.preview.rows) > 10
        assert conn.execute("SELECT count(*) FROM journal.change_log WHERE table_name = "
                            "'ktp_topic'").fetchone()[0] == topics.updated
