"""Days off for F6 (issue 11): Sunday, a public holiday, a break of the college's calendar."""

from __future__ import annotations

from datetime import date

from core.journal.day_off import day_off_reason


def test_days_off() -> None:
    assert day_off_reason(date(2026, 12, 6)) == "воскресенье"
    assert day_off_reason(date(2026, 12, 7)) is None                  # a Monday
    assert day_off_reason(date(2026, 12, 5)) is None                  # Saturday: a study day
    assert (day_off_reason(date(2027, 1, 1)) or "").startswith("праздник: ")
    assert day_off_reason(date(2026, 12, 30), [("Зимние каникулы", "каникулы")]) == \
        "каникулы: Зимние каникулы"
