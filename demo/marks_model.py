"""How demo students study and attend: an ability, a liking per discipline, absences.

Marks are not noise: each student has an ability (a few strong ones around 4.7, a few weak
ones around 2.9, the rest between), a small liking or dislike per discipline, and each mark is
the ability plus that liking plus a little luck, rounded to 2…5. Attendance works by days:
an illness of several days is НУ on every lesson; a chronic absentee skips whole days (НН)
and first пары; anybody may miss a day or a single lesson now and then.

Which students get a mark on a lesson depends on its kind: a few oral answers on a lecture,
most of the group on a practical or laboratory lesson, everyone present on a контрольная; a
student not asked for a while is more likely to be asked.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass
class StudentProfile:
    """Study habits of one student.

    Attributes:
        kind: ``strong``, ``average`` or ``weak``.
        ability: The mark the student earns on average (2.6…4.9).
        lesson_absence: Chance to miss a single lesson.
        day_absence: Chance to miss a whole study day.
        excused_share: Share of occasional absences with a valid reason (НУ).
        chronic: A chronic absentee (skips days and first пары, НН).
        sick: Days of illness (every lesson НУ).
        likes: Liking per discipline id, added to the ability.
    """

    kind: str
    ability: float
    lesson_absence: float
    day_absence: float
    excused_share: float
    chronic: bool = False
    sick: set[date] = field(default_factory=set)
    likes: dict[int, float] = field(default_factory=dict)

    def liking(self, discipline_id: int, rng: random.Random, spread: float = 0.3) -> float:
        """The student's fixed liking of a discipline (drawn on first use)."""
        if discipline_id not in self.likes:
            self.likes[discipline_id] = rng.gauss(0.0, spread)
        return self.likes[discipline_id]


def make_profile(kind: str, rng: random.Random) -> StudentProfile:
    """A new student of a kind: ``strong``, ``average``, ``weak`` or ``chronic``."""
    if kind == "strong":
        return StudentProfile(kind, rng.uniform(4.6, 4.9), 0.004, 0.008, 0.7)
    if kind == "weak":
        return StudentProfile(kind, rng.uniform(2.75, 3.05), 0.02, 0.04, 0.3)
    if kind == "chronic":
        return StudentProfile("weak", rng.uniform(2.8, 3.3), 0.08, 0.22, 0.1, chronic=True)
    ability = min(4.45, max(3.25, rng.gauss(3.85, 0.35)))
    return StudentProfile(kind, ability, 0.012, 0.02, 0.45)


def group_kinds(size: int, rng: random.Random, *, chronic: int = 0) -> list[str]:
    """Kinds of the students of one group, shuffled: 2–3 strong, 2–3 weak, the rest average."""
    strong = 2 + (rng.random() < 0.5)
    weak = 2 + (rng.random() < 0.5)
    kinds = ["strong"] * strong + ["weak"] * weak + ["chronic"] * chronic
    kinds += ["average"] * max(0, size - len(kinds))
    rng.shuffle(kinds)
    return kinds[:size]


def add_illness(profile: StudentProfile, study_days: list[date], rng: random.Random,
                *, chance: float = 0.3) -> None:
    """Maybe make the student ill for 3–8 calendar days somewhere in the study days."""
    if not study_days or rng.random() >= chance:
        return
    first = rng.choice(study_days)
    length = rng.randint(3, 8)
    profile.sick.update(first + timedelta(days=n) for n in range(length))


def mark_value(score: float) -> str:
    """A numeric score rounded to a mark 2…5."""
    if score >= 4.5:
        return "5"
    if score >= 3.5:
        return "4"
    if score >= 2.5:
        return "3"
    return "2"


def current_mark(profile: StudentProfile, discipline_id: int, work_kind: str,
                 rng: random.Random, *, pass_fail: bool, pe: bool = False) -> str:
    """One current mark of a student for one kind of work."""
    shift = {"control": -0.15, "test": -0.1, "oral": 0.05, "practical": 0.1, "lab": 0.1,
             "report": 0.2, "homework": 0.1, "written": -0.05}.get(work_kind, 0.0)
    spread = 0.5 if pe else 0.3
    score = profile.ability + profile.liking(discipline_id, rng, spread) + shift
    if pe:
        score += 0.4
    score += rng.gauss(0.0, 0.35 if profile.kind == "strong" else 0.5)
    if pass_fail:
        return "зачёт" if score >= 2.8 else "незачёт"
    return mark_value(score)


def statement_mark(profile: StudentProfile, discipline_id: int, form: str,
                   rng: random.Random) -> str:
    """A student's mark in an attestation statement."""
    if profile.chronic and rng.random() < 0.3:
        return "неявка"
    score = profile.ability + profile.liking(discipline_id, rng) + rng.gauss(0.1, 0.4)
    if form == "зачёт":
        return "зачёт" if score >= 2.8 else "незачёт"
    return mark_value(score)


def pick(candidates: list[int], count: int, waited: dict[int, int],
         rng: random.Random) -> list[int]:
    """``count`` students, favouring those not marked for the longest (``waited`` lessons)."""
    if count >= len(candidates):
        return list(candidates)
    keyed = sorted(candidates,
                   key=lambda s: math.log(rng.random() + 1e-12) / (1 + waited.get(s, 8)),
                   reverse=True)
    return sorted(keyed[:count])


def lesson_marks(  # noqa: C901 (the demo model: a branch per lesson type and style)
        lesson_type: str, present: list[int], waited: dict[int, int],
        rng: random.Random, *, style: str = "") -> list[tuple[int, str]]:
    """Who gets a mark for which kind of work on one lesson: (student, work kind).

    ``style`` is ``pe`` for physical training, ``lang`` for languages (their practical
    lessons are marked like oral lessons), empty otherwise.
    """
    n = len(present)
    if n == 0:
        return []
    picks: list[tuple[int, str]] = []

    def some(low: float, high: float, kind: str) -> None:
        count = max(1, round(n * rng.uniform(low, high)))
        picks.extend((s, kind) for s in pick(present, count, waited, rng))

    def few(low: int, high: int, kind: str) -> None:
        picks.extend((s, kind) for s in pick(present, rng.randint(low, high), waited, rng))

    if lesson_type == "control":
        picks.extend((s, "control") for s in present if rng.random() < 0.96)
    elif lesson_type == "lab":
        some(0.35, 0.65, "lab")
    elif lesson_type == "practical" and style == "pe":
        some(0.15, 0.35, "practical")
    elif lesson_type == "practical" and style == "lang":
        few(3, 6, "oral")
        if rng.random() < 0.15:
            some(0.4, 0.7, "written")
    elif lesson_type == "practical":
        some(0.2, 0.45, "practical")
        if rng.random() < 0.3:
            few(1, 2, "oral")
    elif lesson_type == "seminar":
        few(2, 3, "report")
        few(2, 4, "oral")
    elif lesson_type == "theory":
        roll = rng.random()
        if roll < 0.08:
            some(0.5, 0.8, "test")
        elif roll < 0.13:
            some(0.3, 0.6, "independent")
        elif roll < 0.17:
            few(3, 5, "homework")
        few(1, 4, "oral")
    else:
        few(0, 2, "oral")
    return list(dict.fromkeys(picks))
