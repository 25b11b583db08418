"""Reports for parents (R20) for one student or a whole group in one step, by names — the
curator for their group, the office for any; each student's «Сведения» is its own PDF (one
per family), printed through the print jobs with the person's own rights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg

from core.printouts import jobs as print_jobs
from core.printouts.jobs import PrintedFile, PrintKind, PrintRequest
from core.reports.table import Builder, ReportTable
from kernel.errors import ValidationError

STUDENTS = """
SELECT s.person_id, g.name,
       p.surname || ' ' || p.name || CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic
                                          ELSE '' END
  FROM journal.student s
  JOIN journal.person p ON p.id = s.person_id
  JOIN journal.study_group g ON g.id = s.group_id
 WHERE s.status = 'обучается' AND g.graduated_at IS NULL
   AND (%(group)s = '' OR upper(replace(g.name, ' ', '')) = %(group)s)
   AND (%(curated)s = false OR g.curator_id = (SELECT journal.my_person_id()))
 ORDER BY g.name, p.surname, p.name, p.patronymic, s.person_id
"""


@dataclass(frozen=True)
class Pupil:
    """A student a parent report can be printed for."""

    student_id: int
    group: str
    name: str


def pupils(conn: psycopg.Connection, group: str = "", name: str = "", *,
           curated_only: bool = False) -> list[Pupil]:
    """Students of the group (all visible ones when empty) named ``name``: the surname, or
    surname and name, or with initials («Родионов М.»); case ignored, empty: everyone."""
    rows = conn.execute(STUDENTS, {"group": group.replace(" ", "").upper(),
                                   "curated": curated_only}).fetchall()
    return [Pupil(int(i), g, n) for i, g, n in rows if name_matches(name, n)]


def name_matches(typed: str, full: str) -> bool:
    """Every typed word is the whole word of the full name at its place, or its initial."""
    words, names = typed.lower().replace(".", ". ").split(), full.lower().split()
    if len(words) > len(names):
        return False
    return all(w == n or (w.endswith(".") and n.startswith(w[:-1]))
               for w, n in zip(words, names, strict=False))


def pupils_table(found: list[Pupil], subtitle: str) -> ReportTable:
    """The students listed on the screen (Enter prints one, F10 all of them)."""
    out = Builder()
    for p in found:
        out.add((p.group, p.name))
    return out.table("Сведения для родителей", subtitle, ("Группа", "Студент"),
                     notes=("Enter — сведения выбранному студенту; F10 — всем в списке.",))


def print_for(conn: psycopg.Connection, found: list[Pupil], out_dir: Path | str, *,
              first: date | None = None, last: date | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> list[PrintedFile]:
    """One «Сведения об успеваемости и посещаемости» PDF per student listed."""
    if not found:
        raise ValidationError("Нет студентов для печати сведений.", title="Некого печатать")
    files: list[PrintedFile] = []
    for number, pupil in enumerate(found, start=1):
        if progress is not None:
            progress(number - 1, len(found), pupil.name)
        request = PrintRequest(PrintKind.STUDENT, student_id=pupil.student_id, date_from=first,
                               date_to=last)
        files += print_jobs.print_job(conn, request, out_dir)
    return files
