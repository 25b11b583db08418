"""What every printout shares, as plain data (R6, R13, R20, R22), and the credential slips.

Shared: the college, a student, the words and numbers as written on paper. Each printout's own
data has its module: ``form_journal`` (the group's journal), ``form_summary`` (the summary
statement), ``form_statement`` (an attestation statement), ``form_report`` (a student's report
for parents); the credential slips (R13) are small and stay here.

The database layer fills these dataclasses; ``printing/`` draws them as PDF pages or as text
tables. Nothing here computes a rule of the regulation: averages, абсолютная успеваемость and
качество arrive as numbers computed by ``core.grading.performance`` (``GroupFigures.of`` takes its
``Performance``); shares are Decimal fractions 0…1 as there. The helpers only count, sum and
word what they are given, the same way on paper and on the screen.

Students are keyed by ``Student.id`` (any key unique within one printout, the database id is
the natural choice); cells of a journal grid refer to a student by that key.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.grading.finals import format_decimal
from core.grading.performance import format_percent

MONTHS = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
          "Сентябрь", "Октябрь", "Ноябрь", "Декабрь")


@dataclass(frozen=True)
class College:
    """Who issues the printout and who certifies it (R22).

    Attributes:
        name: Full name, printed at the top of every page.
        director: The director as «И. О. Фамилия» for the certification block; empty leaves a
            blank line to write the name by hand.
    """

    name: str
    director: str = ""


@dataclass(frozen=True)
class Student:
    """A student as a row of a printout.

    Attributes:
        id: Key unique within the printout (the database id).
        name: «Фамилия Имя Отчество».
        record_book: Number of the record book (зачётная книжка), for statements.
    """

    id: int
    name: str
    record_book: str = ""


# --- Credentials slips (R13) -----------------------------------------------------------


@dataclass(frozen=True)
class CredentialSlip:
    """One person's first login, cut out and handed over.

    Attributes:
        person: «Фамилия Имя Отчество» of the account holder.
        role: «студент», «родитель», «преподаватель», …
        login: The login.
        password: The one-time password.
        note: A line of context: the group, or whose parent («обучающийся: Иванов Иван, СЭЗ-21»).
    """

    person: str
    role: str
    login: str
    password: str
    note: str = ""


@dataclass(frozen=True)
class CredentialSlips:
    """A sheet of credential slips.

    Attributes:
        college: Issuer and certifier.
        slips: One per account.
        how_to_connect: How to start the program («ssh ejournal@10.0.0.5, затем ejournal»).
    """

    college: College
    slips: tuple[CredentialSlip, ...]
    how_to_connect: str = ""


# --- Words and numbers as written on paper ---------------------------------------------


def month_title(year: int, month: int) -> str:
    """«Сентябрь 2024»."""
    return f"{MONTHS[month - 1]} {year}"


def decimal_text(value: Decimal | None, places: int = 2) -> str:
    """A number with a decimal comma («4,25»); a dash for None."""
    return "—" if value is None else format_decimal(value, places)


def percent_number(fraction: Decimal | None) -> str:
    """A share 0…1 as a percent number without the sign («87,5»); a dash for None."""
    return "—" if fraction is None else format_decimal(fraction * 100, 1)


def percent_text(fraction: Decimal | None) -> str:
    """A share 0…1 as «87,5 %»; a dash for None."""
    return format_percent(fraction)


def short_final(text: str) -> str:
    """A final mark short enough for a narrow grid column («зач.», «незач.», «н/я»)."""
    return {"зачёт": "зач.", "зачтено": "зач.", "незачёт": "незач.", "не зачтено": "незач.",
            "неявка": "н/я"}.get(text, text)
