"""What a homework file may be, told by its first bytes (pure; no database).

A teacher gives a PDF, a Word document (DOCX) or a picture (PNG, JPEG, GIF). The name's
extension is not trusted: a program renamed to «задание.pdf» is refused, because the file's
content does not start as a PDF does. The database checks the same (migration 0105).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ValidationError

KIND_TITLES = {"pdf": "PDF", "docx": "документ DOCX", "png": "картинка PNG",
               "jpeg": "картинка JPEG", "gif": "картинка GIF"}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "png": ".png", "jpeg": ".jpg", "gif": ".gif"}
ALLOWED = "PDF, DOCX или картинку (PNG, JPEG, GIF)"
DEFAULT_LIMIT_MB = 10
MEGABYTE = 1024 * 1024
NAME_LIMIT = 200
_SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"),
               (b"GIF87a", "gif"), (b"GIF89a", "gif"))
_UNSAFE = re.compile(r"[/\\\x00-\x1f]")


def detect_kind(content: bytes, name: str) -> str | None:
    """``pdf``, ``docx``, ``png``, ``jpeg``, ``gif`` by the content; None for anything else."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if content.startswith(b"PK\x03\x04") and name.lower().endswith(".docx"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def clean_name(name: str) -> str:
    """The file's own name, safe to store and to save under: no folders, no control signs."""
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if not base:
        base = "файл"
    if len(base) > NAME_LIMIT:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: NAME_LIMIT - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else base[:NAME_LIMIT]
    return base


def size_text(size: int) -> str:
    """«820 Б», «14 КБ», «2,3 МБ»."""
    if size < 1024:
        return f"{size} Б"
    if size < MEGABYTE:
        return f"{round(size / 1024)} КБ"
    return f"{size / MEGABYTE:.1f} МБ".replace(".", ",")


def check_size(size: int, limit_mb: int) -> None:
    """Refuse a file over the limit or an empty one.

    Raises:
        ValidationError: in Russian, with the limit.
    """
    if size <= 0:
        raise ValidationError("Файл пустой: прикреплять нечего.", field="path")
    if size > limit_mb * MEGABYTE:
        raise ValidationError(
            f"Файл занимает {size_text(size)}, а можно не больше {limit_mb} МБ. Уменьшите файл "
            "(например, сохраните PDF с меньшим качеством картинок) или разделите его на части.",
            field="path")


def check_content(content: bytes, name: str, limit_mb: int) -> str:
    """The kind of an allowed file.

    Raises:
        ValidationError: too big, empty, or not a PDF, DOCX or picture by its content.
    """
    check_size(len(content), limit_mb)
    kind = detect_kind(content, name)
    if kind is None:
        raise ValidationError(
            f"Можно прикрепить только {ALLOWED}. Файл «{clean_name(name)}» по содержимому не такой "
            "(имя и расширение не в счёт).", field="path")
    return kind


@dataclass(frozen=True)
class HomeworkFile:
    """One file attached to a lesson's homework (without its content)."""

    file_id: int
    lesson_id: int
    name: str
    kind: str
    size: int
    added_at: datetime
    added_by: str
    removed_at: datetime | None = None
    removed_by: str | None = None

    @property
    def removed(self) -> bool:
        """Taken away from the homework (kept on record)."""
        return self.removed_at is not None

    @property
    def label(self) -> str:
        """«Задачи.pdf (PDF, 120 КБ)»."""
        return f"{self.name} ({KIND_TITLES.get(self.kind, self.kind)}, {size_text(self.size)})"
