"""Values a journal cell can hold: marks (R4) and attendance codes (R2).

Stored values are the Russian words of the paper journal, so a raw SQL reader sees Russian:
marks ``'5' '4' '3' '2' 'зачёт' 'незачёт'``, attendance ``'П'`` (present), ``'НУ'`` (absent for
a valid reason), ``'НН'`` (absent for another reason). A lesson with no attendance rows has
not had attendance taken yet (the monitoring of R8 counts those).
"""

from __future__ import annotations

from enum import StrEnum

from kernel.errors import ValidationError


class MarkValue(StrEnum):
    """A current or statement mark."""

    FIVE = "5"
    FOUR = "4"
    THREE = "3"
    TWO = "2"
    PASS = "зачёт"
    FAIL = "незачёт"

    @property
    def points(self) -> int | None:
        """The number for means, or None for зачёт/незачёт."""
        return int(self.value) if self.value.isdigit() else None

    @property
    def is_failing(self) -> bool:
        """A 2 or a незачёт (counts against абсолютная успеваемость)."""
        return self in (MarkValue.TWO, MarkValue.FAIL)

    @property
    def short(self) -> str:
        """How the mark is drawn in a grid cell."""
        return {MarkValue.PASS: "з", MarkValue.FAIL: "нз"}.get(self, self.value)


class Attendance(StrEnum):
    """Attendance of one student at one lesson."""

    PRESENT = "П"
    EXCUSED = "НУ"
    UNEXCUSED = "НН"

    @property
    def is_absent(self) -> bool:
        """Either kind of absence."""
        return self is not Attendance.PRESENT


class StatementValue(StrEnum):
    """A mark in an attestation statement (ведомость): the marks of :class:`MarkValue`, spelled
    the same, and неявка for a no-show."""

    FIVE = MarkValue.FIVE.value
    FOUR = MarkValue.FOUR.value
    THREE = MarkValue.THREE.value
    TWO = MarkValue.TWO.value
    PASS = MarkValue.PASS.value
    FAIL = MarkValue.FAIL.value
    ABSENT = "неявка"


MARK_KEYS: dict[str, MarkValue] = {
    "5": MarkValue.FIVE,
    "4": MarkValue.FOUR,
    "3": MarkValue.THREE,
    "2": MarkValue.TWO,
    "з": MarkValue.PASS,
    "z": MarkValue.PASS,
    "-": MarkValue.FAIL,
}

ATTENDANCE_KEYS: dict[str, Attendance] = {
    "н": Attendance.UNEXCUSED,
    "n": Attendance.UNEXCUSED,
    "у": Attendance.EXCUSED,
    "u": Attendance.EXCUSED,
    "п": Attendance.PRESENT,
    "p": Attendance.PRESENT,
}


def parse_mark(text: str, *, pass_fail_allowed: bool = True) -> MarkValue:
    """Read a mark typed or imported as text ('5', 'з', 'зачёт', '-', 'незачёт').

    Raises:
        ValidationError: the text is not a mark, or pass/fail where the discipline has none.
    """
    token = text.strip().lower().replace("ё", "е")
    aliases = {"зачет": MarkValue.PASS, "зач": MarkValue.PASS, "незачет": MarkValue.FAIL,
               "нз": MarkValue.FAIL}
    value = MARK_KEYS.get(token) or aliases.get(token)
    if value is None:
        raise ValidationError(f"«{text}» — не отметка: допустимы 2, 3, 4, 5, з (зачёт), - (незачёт).")
    if value.points is None and not pass_fail_allowed:
        raise ValidationError("По этой дисциплине зачёт/незачёт в текущих отметках не ставится.")
    return value


def parse_attendance(text: str) -> Attendance:
    """Read an attendance code ('н', 'НН', 'у', 'НУ', 'п').

    Raises:
        ValidationError: the text is not an attendance code.
    """
    token = text.strip().lower()
    by_code = {a.value.lower(): a for a in Attendance}
    value = ATTENDANCE_KEYS.get(token) or by_code.get(token)
    if value is None:
        raise ValidationError(f"«{text}» — не отметка посещаемости: допустимы н (НН), у (НУ), п.")
    return value
