"""Performance and attendance figures (R8)."""

from __future__ import annotations

from decimal import Decimal

from core.grading.performance import (
    Absence,
    MissedHours,
    attendance_summary,
    format_percent,
    performance,
    share,
)
from kernel.marks import Attendance, MarkValue, StatementValue

M = MarkValue


def test_format_percent() -> None:
    assert format_percent(Decimal("0.875")) == "87,5 %"
    assert format_percent(Decimal(1)) == "100,0 %"
    assert format_percent(Decimal(2) / Decimal(3)) == "66,7 %"
    assert format_percent(None) == "—"


def test_share() -> None:
    assert share(1, 4) == Decimal("0.25")
    assert share(1, 0) is None


def test_group_with_a_failing_student() -> None:
    figures = performance({
        1: [M.FIVE, M.FOUR, M.PASS],
        2: [M.FOUR, M.FOUR],
        3: [M.THREE, M.FIVE],
        4: [M.TWO, M.FIVE],
        5: [None],
    })
    assert figures.students_total == 5
    assert figures.students_with_marks == 4
    assert figures.students_passing == 3
    assert figures.students_quality == 2
    assert figures.failing == (4,)
    assert figures.absolute_text == "75,0 %"
    assert figures.quality_text == "50,0 %"
    assert figures.average == Decimal(4)
    assert figures.average_text == "4,00"
    assert figures.counts == {"5": 3, "4": 3, "3": 1, "2": 1, "зачёт": 1}


def test_failing_kinds_include_fail_and_no_show() -> None:
    figures = performance({
        "a": [StatementValue.ABSENT],
        "b": [M.FAIL],
        "c": [M.PASS],
        "d": [StatementValue.FIVE],
    })
    assert figures.students_passing == 2
    assert figures.absolute == Decimal("0.5")
    assert figures.quality == Decimal("0.5")
    assert set(figures.failing) == {"a", "b"}
    assert figures.counts["неявка"] == 1


def test_one_discipline_eight_students() -> None:
    figures = performance({i: [M(c)] for i, c in enumerate("55443332")})
    assert figures.absolute_text == "87,5 %"
    assert figures.quality_text == "50,0 %"
    assert figures.average_text == "3,63"


def test_no_marks_at_all() -> None:
    figures = performance({1: [], 2: [None]})
    assert figures.absolute is None and figures.quality is None and figures.average is None
    assert figures.absolute_text == "—" and figures.average_text == "—"
    assert performance({}).students_total == 0


def test_attendance_summary_splits_reasons() -> None:
    summary = attendance_summary(
        [
            Absence(1, Attendance.UNEXCUSED),
            Absence(1, Attendance.EXCUSED),
            Absence(1, Attendance.UNEXCUSED, hours=1),
            Absence(2, Attendance.EXCUSED, hours=3),
            Absence(2, Attendance.PRESENT),
        ],
        students=[1, 2, 3],
    )
    assert summary.by_student[1] == MissedHours(excused=2, unexcused=3)
    assert summary.by_student[2] == MissedHours(excused=3)
    assert summary.by_student[3] == MissedHours()
    assert summary.total == MissedHours(excused=5, unexcused=3)
    assert summary.total.total == 8
    assert summary.average_per_student() == Decimal(8) / Decimal(3)


def test_missed_hours_text_and_share() -> None:
    missed = MissedHours(excused=4, unexcused=10)
    assert missed.text == "пропущено 14 ч (НУ 4 ч, НН 10 ч)"
    assert format_percent(missed.share_of(56)) == "25,0 %"
    assert missed.share_of(0) is None


def test_attendance_summary_unknown_student_is_added() -> None:
    summary = attendance_summary([Absence("x", Attendance.UNEXCUSED)])
    assert summary.by_student == {"x": MissedHours(unexcused=2)}
    assert attendance_summary([]).average_per_student() is None
