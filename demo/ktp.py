"""Calendar-thematic plans (КТП) of the demo: as many lines as a load has lessons.

A discipline's topic block (:mod:`demo.topics`) is stretched or thinned to the load's
number of lessons: a short load keeps evenly spaced topics, a long one gives a topic several
lessons (the lecture, its continuation, a practical lesson on it). Each section ends with a
контрольная работа; practical and laboratory works are numbered through the plan; a load
with an attestation ends with a revision lesson. Every line carries its homework.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from demo.catalog import Discipline
from demo.topics import TOPICS

WORK_KIND = {"theory": "oral", "practical": "practical", "lab": "lab", "seminar": "oral",
             "control": "control", "consultation": "oral"}
_TYPE_MARK = {"П": "practical", "Л": "lab", "С": "seminar"}
_TASK_POOLS = frozenset({"math", "draw", "elec", "acc", "econ", "sci", "san"})
_THEORY_HOMEWORK = (
    "Изучить конспект лекции, ответить на контрольные вопросы",
    "Проработать материал учебника, составить опорный конспект",
    "Выучить основные понятия и определения по теме",
    "Ответить на вопросы для самоконтроля",
    "Подготовить сообщение по теме «{t}»",
    "Составить схему-конспект по теме",
)
_PE_HOMEWORK = (
    "Выполнить комплекс упражнений на развитие гибкости",
    "Утренняя гимнастика, комплекс общеразвивающих упражнений",
    "Упражнения на развитие силы: отжимания, приседания",
    "Бег в медленном темпе 15–20 минут",
)
_LANG_HOMEWORK = (
    "Выучить новые слова по теме",
    "Выполнить упражнения по грамматике",
    "Прочитать и перевести текст",
    "Составить монологическое высказывание по теме (10–12 предложений)",
)


@dataclass(frozen=True)
class KtpLine:
    """One line of a КТП: one lesson's topic, its type and homework.

    Attributes:
        title: Topic as written in the journal.
        lesson_type: Code of ``journal.lesson_type``.
        homework: What to do at home.
        pages: Textbook pages (``с. 34–41``), or empty.
        tasks: Task numbers, or empty.
        practical: Practical or laboratory work to finish, or empty.
    """

    title: str
    lesson_type: str
    homework: str
    pages: str = ""
    tasks: str = ""
    practical: str = ""

    @property
    def work_kind(self) -> str:
        """The kind of work most marks of such a lesson are for."""
        return WORK_KIND[self.lesson_type]


def _sections(discipline: Discipline) -> list[tuple[str, list[tuple[str, str]]]]:
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for raw in TOPICS[discipline.title].strip().splitlines():
        line = raw.strip()
        if line.startswith("# "):
            sections.append((line[2:], []))
        elif line:
            kind = _TYPE_MARK.get(line[:1], "theory") if line[1:3] == ": " else "theory"
            title = line[3:] if kind != "theory" else line
            if not sections:
                sections.append((discipline.title, []))
            sections[-1][1].append((kind, title))
    return sections


def _base_sequence(discipline: Discipline) -> list[tuple[str, str]]:
    sequence: list[tuple[str, str]] = []
    for section, items in _sections(discipline):
        sequence.extend(items)
        sequence.append(("control", section))
    return sequence


def _spread(base: list[tuple[str, str]], count: int) -> list[tuple[str, str, int]]:
    """Fit the base sequence to ``count`` lessons: (kind, title, repeat number)."""
    if count <= len(base):
        picked = sorted({(i * len(base)) // count for i in range(count)})
        return [(base[i][0], base[i][1], 0) for i in picked]
    eligible = [i for i, (kind, _) in enumerate(base) if kind != "control"]
    extra = count - len(base)
    rounds, rest = divmod(extra, len(eligible))
    repeats = [1] * len(base)
    for i in eligible:
        repeats[i] += rounds
    for n in range(rest):
        repeats[eligible[(n * len(eligible)) // rest]] += 1
    return [(kind, title, r) for (kind, title), times in zip(base, repeats, strict=True)
            for r in range(times)]


class KtpWriter:
    """Writes the КТП of one load, numbering works and advancing textbook pages."""

    def __init__(self, discipline: Discipline, rng: random.Random) -> None:
        self.discipline = discipline
        self.rng = rng
        self.page = rng.randint(5, 15)
        self.practical_no = 0
        self.lab_no = 0
        self.control_no = 0

    def lines(self, count: int, attestation: str) -> list[KtpLine]:
        """The plan of ``count`` lessons."""
        revision = attestation != "нет" and count >= 6
        body = _spread(_base_sequence(self.discipline), count - (1 if revision else 0))
        result = [self._line(kind, title, repeat) for kind, title, repeat in body]
        if revision and self.discipline.pool == "pe":
            result.append(KtpLine("Зачётное занятие. Сдача контрольных нормативов", "control",
                                  self.rng.choice(_PE_HOMEWORK)))
        elif revision:
            result.append(KtpLine(
                "Обобщение и систематизация знаний. Подготовка к промежуточной аттестации",
                "consultation", "Повторить материал курса по вопросам к аттестации"))
        return result

    def _line(self, kind: str, title: str, repeat: int) -> KtpLine:
        if kind == "control":
            self.control_no += 1
            if self.discipline.pool == "pe":
                return KtpLine(f"Контрольное занятие: сдача нормативов по разделу «{title}»",
                               "control", self.rng.choice(_PE_HOMEWORK))
            return KtpLine(f"Контрольная работа № {self.control_no} по разделу «{title}»",
                           "control", "Выполнить работу над ошибками")
        if repeat and kind == "theory":
            return self._theory_repeat(title, repeat)
        if kind == "practical":
            return self._practical(title, repeat)
        if kind == "lab":
            return self._lab(title, repeat)
        if kind == "seminar":
            return KtpLine(f"Семинар: {title}", "seminar", "Подготовить выступление к семинару",
                           self._pages(4))
        return self._theory(title)

    def _theory_repeat(self, title: str, repeat: int) -> KtpLine:
        roll = self.rng.random()
        if roll < self.discipline.lab and self.discipline.lab:
            return self._lab(title, 0, prefix="Исследование по теме")
        if roll < self.discipline.lab + self.discipline.practical and self.discipline.pool not in (
                "pe", "lang"):
            if self.discipline.pool in _TASK_POOLS:
                return KtpLine(f"Решение задач по теме «{title}»", "practical",
                               "Решить задачи по образцу", "", self._tasks())
            return KtpLine(f"Практическое занятие по теме «{title}»", "practical",
                           "Подготовить ответы на вопросы по теме", self._pages(4))
        return self._theory(title + _continued(repeat), title)

    def _theory(self, title: str, subject: str = "") -> KtpLine:
        pool = self.discipline.pool
        if pool == "pe":
            return KtpLine(title, "practical", self.rng.choice(_PE_HOMEWORK))
        if pool == "lang":
            return KtpLine(title, "practical", self.rng.choice(_LANG_HOMEWORK), self._pages(3),
                           self._tasks())
        homework = self.rng.choice(_THEORY_HOMEWORK).format(t=subject or title)
        tasks = self._tasks() if pool in _TASK_POOLS and self.rng.random() < 0.5 else ""
        return KtpLine(title, "theory", homework, self._pages(8), tasks)

    def _practical(self, title: str, repeat: int) -> KtpLine:
        pool = self.discipline.pool
        if pool == "pe":
            suffix = "" if not repeat else " (совершенствование)" if repeat == 1 else (
                f" (занятие {repeat + 1})")
            return KtpLine(title + suffix, "practical", self.rng.choice(_PE_HOMEWORK))
        if pool == "lang":
            return KtpLine(title + _continued(repeat), "practical", self.rng.choice(_LANG_HOMEWORK),
                           self._pages(3), self._tasks())
        if repeat:
            return KtpLine(title + _continued(repeat), "practical",
                           "Завершить выполнение работы", "",
                           practical=f"Практическая работа № {self.practical_no}: "
                                     "подготовить к защите")
        own_number = title.startswith(("Графическая работа", "Курсовой проект"))
        if not own_number:
            self.practical_no += 1
            title = f"Практическая работа № {self.practical_no}. {title}"
            work = f"Практическая работа № {self.practical_no}: оформить отчёт"
        else:
            work = f"{title.split('.')[0]}: завершить оформление"
        tasks = self._tasks() if pool in _TASK_POOLS and self.rng.random() < 0.4 else ""
        return KtpLine(title, "practical", "Оформить отчёт по работе", "", tasks, work)

    def _lab(self, title: str, repeat: int, *, prefix: str = "") -> KtpLine:
        if repeat:
            return KtpLine(f"Лабораторная работа № {self.lab_no}{_continued(repeat)}", "lab",
                           "Оформить отчёт, ответить на контрольные вопросы",
                           practical=f"Лабораторная работа № {self.lab_no}: защита отчёта")
        self.lab_no += 1
        text = f"{prefix} «{title}»" if prefix else title
        return KtpLine(f"Лабораторная работа № {self.lab_no}. {text}", "lab",
                       "Оформить отчёт, ответить на контрольные вопросы", "", "",
                       f"Лабораторная работа № {self.lab_no}: оформить отчёт")

    def _pages(self, span: int) -> str:
        first = self.page
        self.page += self.rng.randint(max(2, span - 3), span + 4)
        return f"с. {first}–{self.page - 1}"

    def _tasks(self) -> str:
        start = self.rng.randint(1, 20)
        numbers = sorted({start + self.rng.randint(0, 9) for _ in range(3)})
        return "№ " + ", ".join(str(n) for n in numbers)


def _continued(repeat: int) -> str:
    """Suffix of the n-th lesson on one topic: none, «(продолжение)», «(занятие 3)»…"""
    if repeat == 0:
        return ""
    return " (продолжение)" if repeat == 1 else f" (занятие {repeat + 1})"


def build_ktp(discipline: Discipline, count: int, attestation: str,
              rng: random.Random) -> list[KtpLine]:
    """The КТП of one load of ``count`` lessons."""
    return KtpWriter(discipline, rng).lines(count, attestation)
