"""Parents' reports by names (R20): the curator's own group, the office any, one or all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.reports import service
from core.reports.parents import name_matches
from kernel.errors import ValidationError


def test_names_match_whole_words_or_initials() -> None:
    full = "Родионов Матвей Сергеевич"
    assert name_matches("родионов", full) and name_matches("Родионов М.", full)
    assert name_matches("Родионов М. С.", full) and name_matches("", full)
    assert not name_matches("родионов", "Родионова Дарья Ивановна")
    assert not name_matches("Родионов Д.", full)


def test_curator_prints_one_student_and_the_whole_group(demo_db: Any, tmp_path: Path) -> None:
    from printing.registry import install_renderers

    install_renderers()
    curator = demo_db.log_in("куратор")
    listed = service.parents_list(curator)
    groups = {row[0] for row in listed.rows}
    assert len(groups) == 1  # only the curator's own group
    group = groups.pop()
    surname = str(listed.rows[0][1]).split()[0]
    one = service.print_parents(curator, group, str(listed.rows[0][1]), tmp_path / "one")
    assert len(one) == 1 and one[0].path.exists() and surname in one[0].path.name
    everyone = service.print_parents(curator, group, "", tmp_path / "all")
    assert len(everyone) == len(listed.rows)
    other = next(g for g in ("СЭЗ-24-1", "ЭО-24-1", "МВС-24-1") if g != group)
    with pytest.raises(ValidationError):
        service.print_parents(curator, other, "", tmp_path / "other")


def test_office_lists_any_group(demo_db: Any) -> None:
    office = demo_db.log_in("работник учебной части")
    assert len({row[0] for row in service.parents_list(office).rows}) > 3
    assert {row[0] for row in service.parents_list(office, "сэз-25-1").rows} == {"СЭЗ-25-1"}
