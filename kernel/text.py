"""Russian text helpers shared by every layer: people's names and word forms for counts."""

from __future__ import annotations


def full_name(surname: str | None, name: str | None, patronymic: str | None) -> str:
    """«Фамилия Имя Отчество»; empty when the person is not visible."""
    return " ".join(part for part in (surname, name, patronymic) if part)


def short_name(surname: str | None, name: str | None, patronymic: str | None, initials: int = 2) -> str:
    """«Фамилия И. О.» (``initials=1``: «Фамилия И.»); empty when the person is not visible."""
    if not surname:
        return ""
    parts = " ".join(f"{part[0]}." for part in (name, patronymic)[:initials] if part)
    return f"{surname} {parts}".strip()


def short_name_sql(alias: str, initials: int = 2) -> str:
    """SQL of «Фамилия И. О.» (``initials=1``: «Фамилия И.») of the journal.person row aliased
    ``alias``: the same text as :func:`short_name`, built in the query."""
    sql = f"{alias}.surname || ' ' || left({alias}.name, 1) || '.'"
    if initials > 1:
        sql += (f" || CASE WHEN {alias}.patronymic <> '' THEN ' ' || left({alias}.patronymic, 1)"
                " || '.' ELSE '' END")
    return sql


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian word form for a count: ``plural(2, "отметка", "отметки", "отметок")``."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
