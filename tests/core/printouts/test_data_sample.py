"""Loaders on a tiny college with known marks (``sample.py``): exact finals, hours, figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.printouts.data import (
    credential_slips,
    find_groups,
    load_journal,
    load_statement,
    load_student_report,
    load_summaries,
    resolve_period,
)
from kernel.errors import AccessDenied, ValidationError
from kernel.marks import Attendance, MarkValue, StatementValue
from tests.core.printouts.sample import YEAR, Sample, fill_sample


@pytest.fixture
def sample(fresh_db: Any) -> Any:
    """(superuser connection, sample ids)."""
    with fresh_db.connect() as conn:
        yield conn, fill_sample(conn)


def test_period_choice_words(sample: tuple[Any, Sample]) -> None:
    conn, _ = sample
    year = resolve_period(conn, YEAR)
    first = resolve_period(conn, YEAR, 1)
    assert (year.label, year.is_year, len(year.period_ids)) == ("2025/2026 учебный год", True, 2)
    assert first.label == "1 семестр 2025/2026 учебного года"
    assert first.slug == "2025-2026_1 семестр" and year.slug == "2025-2026_год"
    with pytest.raises(ValidationError, match="нет периода 3"):
        resolve_period(conn, YEAR, 3)
    with pytest.raises(ValidationError, match="2031/2032"):
        resolve_period(conn, "2031/2032")


def test_groups_found_by_name_in_any_case(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    assert [g.id for g in find_groups(conn, ["сэз-24-2", "СЭЗ-24-1"])] == [
        s.groups["СЭЗ-24-2"], s.groups["СЭЗ-24-1"]]
    with pytest.raises(ValidationError, match="«НЕТ-1-1» не найдена"):
        find_groups(conn, ["нет-1-1"])


def test_journal_lessons_cells_substitute_and_finals(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    journal = load_journal(conn, s.groups["СЭЗ-24-1"], resolve_period(conn, YEAR, 1))
    assert journal.curator == "Кузнецова М. И."
    assert journal.specialty == "08.02.01 Строительство и эксплуатация зданий и сооружений"
    titles = [d.discipline for d in journal.disciplines]
    assert titles == ["ОГСЭ.03 Иностранный язык (1 подгруппа)", "ОГСЭ.03 Иностранный язык (2 подгруппа)",
                      "ОГСЭ.04 Физическая культура", "ОУД.04 Математика"]
    lang_a = journal.disciplines[0]
    assert [st.name.split()[0] for st in lang_a.students] == ["Абрамов", "Борисова"]
    math = journal.disciplines[3]
    assert (math.teacher, math.hours, len(math.lessons)) == ("Петрова А. В.", 6, 3)
    first, second, _third = math.lessons
    assert first.homework == "Повторить конспект; стр. 12–15; № 3, 5"
    assert (first.teacher, first.substitute_for) == ("Петрова А. В.", "")
    assert (second.teacher, second.substitute_for) == ("Сергеева О. Н.", "Петрова А. В.")
    abramov, borisova = s.people["abramov"], s.people["borisova"]
    assert first.cell(abramov).attendance is Attendance.UNEXCUSED
    assert first.cell(abramov).marks == (MarkValue.FIVE,)
    assert first.cell(abramov).text == "НН 5"
    assert _third.cell(borisova).text == "НУ"
    # R7: the exam mark wins (5 over the mean 4,33); 3,5 → 4 and 2,5 → 3 half up; no marks: none.
    names = {st.id: st.name.split()[0] for st in math.students}
    assert {names[k]: v for k, v in math.finals.items()} == {
        "Абрамов": "5", "Борисова": "4", "Волков": "3", "Дьяков": "5"}
    pe = journal.disciplines[2]
    assert pe.finals[s.people["volkov"]] == "незачёт" and pe.finals[abramov] == "зачёт"


def test_rounding_rule_setting_changes_the_derived_final(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    conn.execute("UPDATE journal.setting SET value = '\"half_down\"' WHERE key = 'rounding_rule'")
    journal = load_journal(conn, s.groups["СЭЗ-24-1"], resolve_period(conn, YEAR, 1))
    math = journal.disciplines[3]
    assert math.finals[s.people["borisova"]] == "3" and math.finals[s.people["volkov"]] == "2"


def test_a_fixed_final_counts_unless_a_statement_decides(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    conn.execute("INSERT INTO journal.final_mark (load_id, student_id, value, source) VALUES "
                 "(%s, %s, 'н/а', 'вручную'), (%s, %s, '2', 'вручную')",
                 (s.loads["math1"], s.people["gromova"], s.loads["math1"], s.people["abramov"]))
    journal = load_journal(conn, s.groups["СЭЗ-24-1"], resolve_period(conn, YEAR, 1))
    math = journal.disciplines[3]
    assert math.finals[s.people["gromova"]] == "н/а"
    assert math.finals[s.people["abramov"]] == "5"


def test_summary_of_the_year(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    g1, g2 = s.groups["СЭЗ-24-1"], s.groups["СЭЗ-24-2"]
    summaries = load_summaries(conn, [g1, g2], resolve_period(conn, YEAR))
    one = summaries[g1]
    assert [c.title for c in one.columns] == ["Ин. яз., 1 сем.", "Физ-ра, 1 сем.", "Матем., 1 сем.",
                                              "Матем., 2 сем."]
    rows = {r.student.name.split()[0]: r for r in one.rows}
    abramov = rows["Абрамов"]
    assert [abramov.finals[c.key] for c in one.columns] == ["5", "зачёт", "5", "4"]
    assert (abramov.missed_excused, abramov.missed_unexcused) == (0, 2)
    assert abramov.average == Decimal(14) / 3
    assert (rows["Борисова"].missed_excused, rows["Борисова"].missed_unexcused) == (2, 0)
    assert "Ин. яз., 1 сем." in [c.title for c in one.columns]
    assert rows["Волков"].finals[one.columns[0].key] == "3"  # subgroup 2 shares the column
    # Four of five with marks pass (Волков: незачёт) and are 4/5/зачёт only.
    assert (one.figures.absolute, one.figures.quality) == (Decimal("0.8"), Decimal("0.8"))
    math = one.columns[2].figures
    assert (math.average, math.absolute, math.quality) == (Decimal("4.25"), 1, Decimal("0.75"))
    two = summaries[g2]
    assert [r.student.name for r in two.rows] == ["Егоров Иван Иванович", "Жукова Зоя Павловна"]
    assert (two.figures.absolute, two.figures.quality) == (Decimal("0.5"), Decimal("0.5"))
    assert (one.curator, two.curator) == ("Кузнецова М. И.", "")


def test_statement_lists_every_student_of_the_load(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    statement = load_statement(conn, s.statement_id)
    assert (statement.number, statement.form.value, statement.examiner) == ("17", "экзамен", "Петрова А. В.")
    assert statement.semester == "1 семестр 2025/2026 учебного года"
    assert [(x.student.record_book, x.value) for x in statement.lines] == [
        ("24-001", StatementValue.FIVE), ("24-002", None), ("24-003", None), ("24-004", None),
        ("24-005", None)]
    with pytest.raises(AccessDenied):
        load_statement(conn, 999_999)


def test_student_report_for_parents(sample: tuple[Any, Sample]) -> None:
    conn, s = sample
    report = load_student_report(conn, s.people["abramov"], resolve_period(conn, YEAR, 1))
    assert (report.curator, report.curator_contact) == ("Кузнецова Мария Ивановна", "+7 (905) 123-45-67")
    math = next(d for d in report.disciplines if "Математика" in d.name)
    assert math.marks == (MarkValue.FIVE, MarkValue.FOUR, MarkValue.FOUR)
    assert (math.final, math.missed_unexcused, math.mean) == ("5", 2, Decimal(13) / 3)
    part = load_student_report(conn, s.people["borisova"], resolve_period(conn, YEAR, 1),
                               date_from=resolve_period(conn, YEAR, 1).starts_on,
                               date_to=resolve_period(conn, YEAR, 1).starts_on.replace(month=9, day=30))
    math = next(d for d in part.disciplines if "Математика" in d.name)
    assert part.period == "с 01.09.2025 по 30.09.2025"
    assert (math.marks, math.final, math.missed_excused) == ((MarkValue.THREE, MarkValue.FOUR), "", 0)


def test_slips_take_passwords_from_the_caller(sample: tuple[Any, Sample]) -> None:
    conn, _ = sample
    slips = credential_slips(conn, [("Абрамов Алексей Петрович", "обучающийся", "abramov.ap",
                                     "Kx7-pq2", "СЭЗ-24-1")], "ssh ejournal@college")
    assert slips.slips[0].password == "Kx7-pq2" and slips.how_to_connect == "ssh ejournal@college"
    assert slips.college.name.startswith("ГПОУ")
