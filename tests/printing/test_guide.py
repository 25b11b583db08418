"""``ejournal print guide --role …``: a PDF whose text is the guide, in Cyrillic."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from core.guides import GUIDES
from printing.guide import blocks, inline


def test_markdown_blocks_and_inline_marks() -> None:
    found = blocks("# Заголовок\n\nАбзац\nпродолжение\n- пункт\n  дальше\n1. шаг\n---\n## Раздел")
    assert found == [("h1", "Заголовок"), ("p", "Абзац продолжение"), ("li", "- пункт дальше"),
                     ("li", "1. шаг"), ("hr", ""), ("h2", "Раздел")]
    assert inline("**F1** — `ejournal` \\* <") == \
        '<b>F1</b> — <font name="PTSans-Bold">ejournal</font> * &lt;'


@pytest.mark.parametrize("role", sorted(GUIDES))
def test_every_role_prints(role: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    assert main(["print", "guide", "--role", role, "--out", str(tmp_path)]) == 0
    path = tmp_path / f"руководство-{role}.pdf"
    assert str(path) in capsys.readouterr().out
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    title = GUIDES[role].text.strip().splitlines()[0].removeprefix("# ")
    assert title in text
    assert "F1" in text and "Ctrl+Q" in text
