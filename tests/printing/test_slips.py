"""Credentials slips: several a page, each with login, password and the first-login rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.printouts.forms import CredentialSlips
from printing.slips import render_slips, slips_page_count
from tests.printing.conftest import slips_data


def test_slips_carry_credentials_and_instructions(
        slips: CredentialSlips, tmp_path: Path, pdf_text: Callable[[Path], str]) -> None:
    path = tmp_path / "slips.pdf"
    pages = render_slips(slips, path)
    assert pages == slips_page_count(slips) == 2
    text = pdf_text(path)
    for expected in ("Белов Артём Сергеевич", "студент", "родитель", "st0001", "Kx7-1pq",
                     "rd0002", "Mv4-2za", "обучающийся: Белов Артём Сергеевич",
                     "ssh ejournal@10.10.0.5", "М. П.", "Стр. 2 из 2"):
        assert expected in text, expected
    rule = "При первом входе программа попросит сменить пароль"
    assert text.count(rule) == len(slips.slips)


def test_eight_slips_and_the_certification_fit_one_page() -> None:
    assert slips_page_count(slips_data(count=8)) == 1
    assert slips_page_count(slips_data(count=9)) == 2
