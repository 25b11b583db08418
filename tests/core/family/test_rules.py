"""Pure rules behind statements, the office's moves, the family view and messages."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.family.service import Child, Period, build_view, default_period, week_of
from core.journal.moves import DISCIPLINES, GROUPS, Place, in_group, neighbour
from core.messages.service import check_body
from core.statements.sheet import (
    MarkChange,
    SheetLine,
    StatementInfo,
    StatementSheet,
    match_person,
    merge_changes,
    parse_day,
    parse_statement_key,
)
from kernel.errors import ValidationError
from kernel.marks import MarkValue, StatementValue

PLACES = [
    Place(1, 7, "СЭЗ-24-1", "", 10, "Математика"),
    Place(2, 7, "СЭЗ-24-2", "", 10, "Математика"),
    Place(3, 7, "ИС-24-1", "", 10, "Математика"),
    Place(4, 7, "СЭЗ-24-1", "", 11, "Физика"),
    Place(5, 7, "СЭЗ-24-1", "", 12, "Химия"),
    Place(6, 8, "СЭЗ-24-2", "", 10, "Математика"),
]


def test_neighbour_goes_to_the_same_discipline_in_the_next_group() -> None:
    assert neighbour(PLACES, 3, 1) == 1
    assert neighbour(PLACES, 1, 1) == 2
    assert neighbour(PLACES, 1, -1) == 3
    assert neighbour(PLACES, 3, -1) is None   # ИС-24-1 is the first group
    assert neighbour(PLACES, 2, 1) is None    # СЭЗ-24-2 is the last one in period 7
    assert neighbour(PLACES, 99, 1) is None


def test_neighbour_across_the_disciplines_of_a_group() -> None:
    assert neighbour(PLACES, 1, 1, DISCIPLINES) == 4
    assert neighbour(PLACES, 4, 1, DISCIPLINES) == 5
    assert neighbour(PLACES, 5, -1, DISCIPLINES) == 4
    assert neighbour(PLACES, 5, 1, DISCIPLINES) is None


def test_every_move_is_undone_by_the_opposite_one() -> None:
    for across in (GROUPS, DISCIPLINES):
        for place in PLACES:
            forward = neighbour(PLACES, place.item_id, 1, across)
            if forward is not None:
                assert neighbour(PLACES, forward, -1, across) == place.item_id


def test_in_group_finds_by_typed_name_regardless_of_case_and_dashes() -> None:
    assert in_group(PLACES, 1, "сэз242") == 2
    assert in_group(PLACES, 2, "ис") == 3
    assert in_group(PLACES, 1, "сэз-24") == 1
    assert in_group(PLACES, 1, "нет такой") is None
    assert in_group(PLACES, 1, "") is None


def test_statement_keys_follow_the_form() -> None:
    assert parse_statement_key("5", "экзамен") is StatementValue.FIVE
    assert parse_statement_key("н", "экзамен") is StatementValue.ABSENT
    assert parse_statement_key("N", "зачёт") is StatementValue.ABSENT
    assert parse_statement_key("z", "зачёт") is StatementValue.PASS
    assert parse_statement_key("-", "зачёт") is StatementValue.FAIL
    with pytest.raises(ValidationError):
        parse_statement_key("з", "экзамен")
    with pytest.raises(ValidationError):
        parse_statement_key("4", "зачёт")
    with pytest.raises(ValidationError):
        parse_statement_key("7", "экзамен")


def test_changes_merge_per_student() -> None:
    five, four = StatementValue.FIVE, StatementValue.FOUR
    merged = merge_changes([MarkChange(1, None, five), MarkChange(2, None, four),
                            MarkChange(1, five, four)])
    assert merged == [MarkChange(1, None, four), MarkChange(2, None, four)]


def test_sheet_final_is_the_statement_mark_else_the_mean() -> None:
    info = StatementInfo(1, "СЭЗ-24-1", "", "Математика", "I семестр", "экзамен", 1, "", None, None,
                         "", None, "", 0, 2, True, True)
    marks = (MarkValue.FIVE, MarkValue.FOUR, MarkValue.FOUR)
    sheet = StatementSheet(info, [SheetLine(1, "А", "1", None, marks),
                                  SheetLine(2, "Б", "2", StatementValue.THREE, marks)], may_edit=True)
    assert sheet.final(sheet.lines[0]).text == "4"
    assert sheet.final(sheet.lines[1]).text == "3"
    assert sheet.by_mean(sheet.lines[1]).text == "4"
    assert [line.name for line in sheet.empty_lines()] == ["А"]
    sheet.set_value(1, StatementValue.ABSENT)
    assert sheet.final(sheet.lines[0]).text == "неявка"


def test_examiner_and_date_typed() -> None:
    people = [(1, "Иванов И. П."), (2, "Иванова М. С."), (3, "Петров П. П.")]
    assert match_person(people, "петров") == (3, "Петров П. П.")
    assert match_person(people, "иванов и") == (1, "Иванов И. П.")
    assert match_person(people, "иванов") is None
    assert match_person(people, "Иванов И. П.") == (1, "Иванов И. П.")
    assert parse_day("20.12.2026") == date(2026, 12, 20)
    assert parse_day("20.12", today=date(2026, 11, 1)) == date(2026, 12, 20)
    assert parse_day("") is None
    with pytest.raises(ValidationError):
        parse_day("32.13")


def test_message_body_checked() -> None:
    assert check_body("  привет ") == "привет"
    with pytest.raises(ValidationError):
        check_body("   ")
    with pytest.raises(ValidationError):
        check_body("я" * 4001)


def test_default_period_and_week() -> None:
    autumn = Period(1, "I семестр", date(2026, 9, 1), date(2026, 12, 28))
    spring = Period(2, "II семестр", date(2027, 1, 12), date(2027, 6, 30))
    assert default_period([spring, autumn], date(2026, 11, 28)) == autumn
    assert default_period([spring, autumn], date(2027, 1, 5)) == autumn
    assert default_period([spring, autumn], date(2026, 8, 1)) == autumn
    assert week_of(date(2026, 11, 28)) == date(2026, 11, 23)   # a Saturday: its own week
    assert week_of(date(2026, 11, 29)) == date(2026, 11, 30)   # a Sunday: the coming week


def test_family_view_from_rows() -> None:
    child = Child(5, "Петров Иван", "СЭЗ-24-1")
    period = Period(1, "I семестр 2026/2027", date(2026, 9, 1), date(2026, 12, 28))
    loads = [(10, "Математика", "Иванов И. П.", False), (11, "Физика", "Сидоров С. С.", False)]
    rows = {
        "marks": [(10, date(2026, 11, 2), "5", "УО"), (10, date(2026, 11, 9), "4", "КР"),
                  (11, date(2026, 11, 3), "3", "УО")],
        "absences": [(10, date(2026, 11, 16), 1, "НН", 2), (11, date(2026, 11, 17), 2, "НУ", 2)],
        "statements": [(11, "экзамен", "5", date(2026, 12, 20), True)],
        "fixed": [],
        # Математика on Mondays (every week) and Thursdays (числитель), Физика on Tuesdays.
        "slots": [(10, 1, 1, "all", "101"), (10, 4, 2, "odd", "101"), (11, 2, 2, "all", "202")],
        "calendar": [(1, time(8, 30), None, None, ""), (2, time(10, 10), None, None, "")],
        "homework": [(10, date(2026, 11, 23), "§ 12; № 5–8"), (11, date(2026, 11, 3), "старое")],
        "lessons": [(10, date(2026, 11, 23), 1, "Производная")],
    }
    view = build_view(child, period, loads, rows, today=date(2026, 11, 25), week=date(2026, 11, 23))
    maths, physics = view.disciplines
    assert maths.marks_text == "5 4" and maths.final_text == "5" and maths.final.source == "mean"
    assert physics.final_text == "5" and physics.statement_text == "экзамен: 5"
    assert (maths.missed.unexcused, physics.missed.excused, view.missed.total) == (2, 2, 4)
    assert [(h.discipline, h.due_on) for h in view.homework] == [("Математика", date(2026, 11, 26))]
    days = [(lesson.day, lesson.pair_no, lesson.discipline) for lesson in view.week]
    assert days[0] == (date(2026, 11, 23), 1, "Математика")
    assert (date(2026, 11, 24), 2, "Физика") in days
    assert view.week[0].topic == "Производная" and view.week[0].starts_at == time(8, 30)


@pytest.mark.parametrize(("pages", "tasks", "shown"), [
    ("с. 100–101", "№ 15, 16", "Читать; стр. 100–101; № 15, 16"),
    ("стр. 12", "№№ 3", "Читать; стр. 12; № 3"),
    ("12–15", "3, 5", "Читать; стр. 12–15; № 3, 5"),
    ("§ 12", "", "Читать; § 12"),
])
def test_homework_pages_and_tasks_have_one_sign(pages: str, tasks: str, shown: str) -> None:
    from core.journal.lesson_record import homework_text

    assert homework_text("Читать", pages, tasks, "") == shown


def test_a_load_whose_hours_are_given_leaves_the_week() -> None:
    child = Child(5, "Петров Иван", "СЭЗ-24-1")
    period = Period(1, "I семестр 2026/2027", date(2026, 9, 1), date(2026, 12, 28))
    loads = [(10, "Математика", "Иванов И. П.", False), (11, "Экология", "Козлова Л. Е.", False),
             (12, "Физика", "Сидоров С. С.", False)]
    rows: dict[str, list[tuple[object, ...]]] = {
        "marks": [], "absences": [], "statements": [], "fixed": [], "homework": [], "lessons": [],
        "calendar": [(1, time(8, 30), None, None, "")],
        # First пара: Математика Mon+Thu, Экология Tue+Fri, Физика Wed.
        "slots": [(10, 1, 1, "all", "101"), (11, 2, 1, "all", "Лаб. 4"), (12, 3, 1, "all", "202"),
                  (10, 4, 1, "all", "101"), (11, 5, 1, "all", "Лаб. 4")],
        # Экология: 32 hours planned, all given by 26.10; Физика: one lesson (2 h) left.
        "given": [(10, 120, 40, date(2026, 11, 26)), (11, 32, 32, date(2026, 10, 26)),
                  (12, 26, 24, date(2026, 11, 25))],
    }
    view = build_view(child, period, loads, rows, today=date(2026, 11, 29),  # type: ignore[arg-type]
                      week=date(2026, 11, 30))
    shown = [(lesson.day, lesson.discipline) for lesson in view.week]
    assert not [d for d in shown if d[1] == "Экология"]
    assert [d for d in shown if d[1] == "Физика"] == [(date(2026, 12, 2), "Физика")]
    assert len([d for d in shown if d[1] == "Математика"]) == 2
