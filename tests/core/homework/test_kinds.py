"""The kind of a homework file comes from its content, not its name (pure rules)."""

from __future__ import annotations

import pytest

from core.homework.kinds import MEGABYTE, check_content, clean_name, detect_kind, size_text
from kernel.errors import ValidationError
from tests.core.homework.sample import EXE, PDF, PNG, docx, plain_zip


@pytest.mark.parametrize(("content", "name", "kind"), [
    (PDF, "задание.pdf", "pdf"), (PDF, "задание.txt", "pdf"), (PNG, "схема.png", "png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 10, "фото.jpg", "jpeg"), (b"GIF89a" + b"\x00" * 10, "a.gif", "gif"),
    (docx(), "Лабораторная.DOCX", "docx"),
    (EXE, "задание.pdf", None), (plain_zip(), "задание.docx", None), (docx(), "задание.zip", None),
    (b"PK\x03\x04broken", "задание.docx", None), (b"", "пусто.pdf", None),
])
def test_kind_by_content(content: bytes, name: str, kind: str | None) -> None:
    assert detect_kind(content, name) == kind


def test_disguised_program_is_refused_in_russian() -> None:
    with pytest.raises(ValidationError) as caught:
        check_content(EXE, "задание.pdf", 10)
    assert "только PDF, DOCX или картинку" in caught.value.message
    assert "по содержимому" in caught.value.message


def test_too_big_and_empty_are_refused_in_russian() -> None:
    with pytest.raises(ValidationError, match="можно не больше 1 МБ"):
        check_content(PDF + b"0" * MEGABYTE, "большой.pdf", 1)
    with pytest.raises(ValidationError, match="пустой"):
        check_content(b"", "пусто.pdf", 1)
    assert check_content(PDF, "задание.pdf", 1) == "pdf"


def test_names_lose_folders_and_control_signs() -> None:
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\Учитель\\задача 1.pdf") == "задача 1.pdf"
    assert clean_name("a\nb.pdf") == "a_b.pdf"
    assert clean_name("...") == "файл"
    long = clean_name("я" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


def test_sizes_read_in_russian() -> None:
    assert [size_text(n) for n in (900, 14_000, 2_400_000)] == ["900 Б", "14 КБ", "2,3 МБ"]
