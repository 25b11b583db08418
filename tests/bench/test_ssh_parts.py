"""The pure parts of bench/ssh_load.py on tiny data (the bench itself needs root, sshd and OS
users, and runs by hand: docs/performance.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from ssh_parts import (  # noqa: E402
    Column,
    Terminal,
    compare_marks,
    expected_marks,
    p95,
    pauses,
    processes,
    pss_mb,
    sshd_config,
    studying_rows,
    typing_plan,
)

from core.journal.page import (  # noqa: E402
    JournalPage,
    LessonColumn,
    StudentRow,
    apply_sequence,
    set_mark,
)
from kernel.errors import ValidationError  # noqa: E402
from kernel.marks import MarkValue  # noqa: E402


def test_p95_is_the_nearest_rank() -> None:
    assert p95([]) == 0.0
    assert p95(list(range(1, 101))) == 95
    assert p95([3.0]) == 3.0


def test_plan_is_reproducible_marks_only_and_some_f7() -> None:
    studying = {lesson: [0, 1, 2, 3, 4] for lesson in range(100, 140)}
    plan = typing_plan(list(range(100, 140)), studying, seed=7)
    assert plan == typing_plan(list(range(100, 140)), studying, seed=7)
    assert [c.lesson_id for c in plan] == list(range(100, 140))
    assert all(len(c.values) == 5 and set(c.values) <= {"2", "3", "4", "5"} for c in plan)
    assert 0 < sum(c.by_f7 for c in plan) < len(plan)


def _page_with_a_late_student() -> JournalPage:
    """Four students; the first was enrolled on 10 September and the third left on the 11th
    (greyed «н/з» / «отч.» as the program reads them from the database)."""
    students = tuple(StudentRow(sid, f"Студент{sid}", "Имя") for sid in (11, 12, 13, 14))
    lessons = tuple(LessonColumn(lid, date(2026, 9, day), 1, "лекция")
                    for lid, day in ((101, 8), (102, 10), (103, 12)))
    away = {(11, 101): "н/з", (13, 103): "отч."}
    return JournalPage("СЭЗ-25-1 · Прикладная математика", students, lessons, away=away)


def test_only_studying_rows_are_typed_and_the_program_takes_them() -> None:
    """The driver's F7 line has as many values as rows study that day, its single keys start
    at the first studying row; the program's own rules accept every one of them."""
    page = _page_with_a_late_student()
    students = [s.student_id for s in page.students]
    studying = studying_rows(page, [103, 102, 101])
    assert studying == {103: [0, 1, 3], 102: [0, 1, 2, 3], 101: [1, 2, 3]}
    plan = typing_plan([103, 102, 101], studying, seed=3, f7_share=1.0)
    assert [len(c.values) for c in plan] == [3, 4, 3] and [c.lead_in for c in plan] == [0, 0, 1]
    for column in plan:
        start = students[column.lead_in]
        changes = apply_sequence(page, column.lesson_id, start, " ".join(column.values))
        typed = expected_marks([column], students, {column.lesson_id: len(column.values)})
        assert {(c.student_id, c.lesson_id): str(c.new.value) for c in changes} == typed
        for row, value in zip(column.rows, column.values, strict=True):
            set_mark(page, students[row], column.lesson_id, MarkValue(value))
    with pytest.raises(ValidationError, match="Значений 4, а строк от курсора вниз 3"):
        apply_sequence(page, 101, 11, "5 5 5 5")   # what the old driver typed: refused
    with pytest.raises(ValidationError, match="не обучается"):
        set_mark(page, 11, 101, MarkValue.FIVE)


def test_a_column_where_nobody_studies_is_passed_over() -> None:
    plan = typing_plan([7], {7: []}, seed=1)
    assert plan[0].values == () and plan[0].rows == () and plan[0].lead_in == 0
    assert expected_marks(plan, [1, 2], {}) == {}


def test_pace_is_a_teachers() -> None:
    stream = pauses(3)
    values = [next(stream) for _ in range(200)]
    assert all(0.5 <= v <= 2.0 for v in values) and max(values) - min(values) > 1


def test_typed_marks_are_checked_against_the_database() -> None:
    plan = [Column(10, ("5", "4", "3"), False, (0, 1, 2)),
            Column(11, ("2", "2", "5"), True, (0, 1, 2))]
    expected = expected_marks(plan, [1, 2, 3], {10: 2, 11: 3})
    assert expected == {(1, 10): "5", (2, 10): "4", (1, 11): "2", (2, 11): "2", (3, 11): "5"}
    history = dict.fromkeys(expected, 1)
    assert compare_marks(expected, dict(expected), history) == []
    wrong = {**expected, (2, 10): "3", (3, 10): "4"}
    del wrong[(1, 11)]
    problems = compare_marks(expected, wrong, {**history, (3, 11): 2})
    assert problems == ["(1, 11): typed 2, database None", "(2, 10): typed 4, database 3",
                        "(3, 11): 2 history rows", "(3, 10): in the database, never typed"]


def test_sshd_config_carries_the_programs_snippet(tmp_path: Path) -> None:
    snippet = subprocess.run([sys.executable, "-m", "cli", "server", "ssh-config", "--group", "g1"],
                             capture_output=True, text=True, check=True, cwd=BENCH.parent).stdout
    text = sshd_config(tmp_path, 2222, snippet)
    assert "Port 2222\n" in text and f"HostKey {tmp_path}/host_ed25519" in text
    assert "PasswordAuthentication no" in text and "MaxStartups 200:30:400" in text
    assert text.endswith(snippet) and "Match Group g1" in text


def test_memory_of_this_process_is_counted() -> None:
    mine = processes(lambda uid, cmd: uid == os.geteuid() and "pytest" in cmd)
    assert os.getpid() in mine
    assert 5 < pss_mb([os.getpid()]) < 2000


def test_terminal_renders_a_program_and_times_its_answer() -> None:
    term = Terminal(["/bin/cat"], {"PATH": "/bin:/usr/bin", "TERM": "xterm"})
    try:
        before = term.position
        sent = term.send("журнал\r")
        shown = term.wait_for("журнал", "the echo", timeout=10, since=before)
        assert 0 <= shown - sent < 10 and term.seen("журнал", before)
        assert not term.seen("ведомость")
        assert term.text().splitlines()[0].startswith("журнал")
    finally:
        term.close()
    assert time.perf_counter() > sent


def test_closing_a_terminal_kills_a_child_that_ignores_the_hang_up() -> None:
    """An ssh that outlived its SIGHUP kept a 30-user run waiting for ever in waitpid."""
    term = Terminal(["sh", "-c", "trap '' HUP; echo ready; sleep 60"], {"PATH": os.environ["PATH"]})
    term.wait_for("ready", "the child", timeout=10)
    started = time.monotonic()
    term.close(grace_s=0.5)
    assert time.monotonic() - started < 5
    assert not Path(f"/proc/{term.pid}").exists()
