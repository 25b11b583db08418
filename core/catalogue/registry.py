"""Every catalogue list, in the order a new college is set up (each refers only to lists
before it)."""

from __future__ import annotations

from core.catalogue.lists_people import PARENTS, STAFF, STUDENTS
from core.catalogue.lists_study import DISCIPLINES, GROUPS, PLAN, SPECIALTIES, SUBGROUPS
from core.catalogue.lists_teaching import KTP, LOAD, TIMETABLE
from core.catalogue.lists_year import BELLS, HOLIDAYS, PERIODS, YEARS
from core.catalogue.spec import CatalogueList
from kernel.errors import ValidationError

LISTS: tuple[CatalogueList, ...] = (
    YEARS, PERIODS, HOLIDAYS, BELLS, SPECIALTIES, DISCIPLINES, PLAN, STAFF, GROUPS, SUBGROUPS,
    STUDENTS, PARENTS, LOAD, KTP, TIMETABLE)


def find_list(name: str) -> CatalogueList:
    """The list called ``name`` (Russian or English)."""
    wanted = name.strip().casefold()
    for spec in LISTS:
        if wanted in (spec.name, spec.alias, spec.title.casefold()):
            return spec
    raise ValidationError(f"Списка «{name}» нет. Есть: " + ", ".join(s.name for s in LISTS) + ".")
