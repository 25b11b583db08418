"""Lists of the teaching: the load (group × discipline × period, subgroup-aware), its КТП (the
XLSX teachers already write: №, тема, часы, тип занятия, домашнее задание) and the
timetable (числитель/знаменатель)."""

from __future__ import annotations

from typing import Any

from core.catalogue import cells
from core.catalogue.cells import CellError
from core.catalogue.lists_study import DISCIPLINES_SQL, GROUPS_SQL, group_name, people_with_role
from core.catalogue.lists_year import year_title
from core.catalogue.models import KtpTopic, TeachingLoad, TimetableSlot
from core.catalogue.spec import CatalogueList, Column, Lookups, Row, RowError, need
from core.catalogue.write import generic_writer

PERIODS_SQL = ("SELECT y.title, p.number, p.id FROM journal.period p "
               "JOIN journal.academic_year y ON y.id = p.year_id")
SUBGROUPS_SQL = "SELECT group_id, name, id FROM journal.subgroup"
LOADS_SQL = ("SELECT period_id, group_id, coalesce(subgroup_id, 0), discipline_id, id "
             "FROM journal.teaching_load")
WHERE = (Column("year", "Учебный год", year_title, aliases=("Год",)),
         Column("semester", "Семестр", cells.integer(1, 4), aliases=("Период",)),
         Column("group", "Группа", group_name),
         Column("subgroup", "Подгруппа", required=False),
         Column("discipline", "Дисциплина", aliases=("Предмет", "МДК")))
LOAD_LOOKUPS = {"period": PERIODS_SQL, "group": GROUPS_SQL, "subgroup": SUBGROUPS_SQL,
                "discipline": DISCIPLINES_SQL}
LOAD_TAIL = ("JOIN journal.period pr ON pr.id = t.period_id "
             "JOIN journal.academic_year y ON y.id = pr.year_id "
             "JOIN journal.study_group g ON g.id = t.group_id "
             "LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id "
             "JOIN journal.discipline d ON d.id = t.discipline_id ")
LOAD_JOIN = "FROM journal.teaching_load t " + LOAD_TAIL
LOAD_ORDER = "y.starts_on, pr.number, g.name, d.title, sg.name NULLS FIRST"
LOAD_COLS = "y.title, pr.number, g.name, sg.name, d.title"


def group_and_subgroup(row: Row, lookups: Lookups) -> tuple[int, int | None]:
    """The row's group and (when given) its subgroup, as ids."""
    group = need(row, "group", lookups, "group", "группы")
    if not row.get("subgroup"):
        return group, None
    try:
        return group, lookups.find("subgroup", (group, row["subgroup"]), "")
    except CellError:
        raise RowError("subgroup", f"{row['subgroup']} — такой подгруппы в группе "
                                   f"{row['group']} нет") from None


def _where(row: Row, lookups: Lookups) -> dict[str, Any]:
    """Period, group, subgroup and discipline of a row, as ids."""
    try:
        period = lookups.find("period", (row["year"], row["semester"]), "")
    except CellError:
        raise RowError("semester", f"{row['semester']} — такого семестра в {row['year']} учебном "
                                   "году нет") from None
    group, subgroup = group_and_subgroup(row, lookups)
    return {"period_id": period, "group_id": group, "subgroup_id": subgroup,
            "discipline_id": need(row, "discipline", lookups, "discipline", "дисциплины")}


def _build_load(row: Row, lookups: Lookups) -> Row:
    return {**_where(row, lookups),
            "teacher_id": need(row, "teacher", lookups, "teacher", "преподавателя"),
            "planned_hours": row["planned_hours"], "pass_fail": bool(row.get("pass_fail"))}


LOAD = CatalogueList(
    name="нагрузка", alias="load", title="Педагогическая нагрузка",
    columns=(*WHERE, Column("teacher", "Преподаватель", aliases=("ФИО преподавателя",)),
             Column("planned_hours", "Часы", cells.integer(1, 2000),
                    aliases=("Часов", "Всего часов")),
             Column("pass_fail", "Зачёт/незачёт", cells.yes_no, required=False)),
    key=("year", "semester", "group", "subgroup", "discipline"),
    lookups={**LOAD_LOOKUPS, "teacher": people_with_role("teacher")},
    build=_build_load, write=generic_writer,
    export_sql=f"SELECT {LOAD_COLS}, btrim(p.surname || ' ' || p.name || ' ' || p.patronymic), "
               f"t.planned_hours, t.pass_fail {LOAD_JOIN} "
               "JOIN journal.person p ON p.id = t.teacher_id "
               f"ORDER BY {LOAD_ORDER}",
    models=(TeachingLoad,), conflict=("period_id", "group_id", "subgroup_id", "discipline_id"))


def _load_id(row: Row, lookups: Lookups) -> int:
    where = _where(row, lookups)
    try:
        return int(lookups.find("load", (where["period_id"], where["group_id"],
                                         where["subgroup_id"] or 0, where["discipline_id"]), ""))
    except CellError:
        raise RowError("discipline", f"{row['discipline']} — у группы {row['group']} нет такой "
                                     "нагрузки в этом семестре; загрузите сначала нагрузку") from None


LESSON_TYPES = {"теоретическое занятие": "theory", "теория": "theory", "т": "theory",
                "лекция": "theory", "урок": "theory",
                "практическое занятие": "practical", "практика": "practical", "п": "practical",
                "практическая работа": "practical",
                "лабораторное занятие": "lab", "лабораторная работа": "lab", "л": "lab",
                "семинар": "seminar", "с": "seminar",
                "контрольная работа": "control", "к": "control", "контрольная": "control",
                "консультация": "consultation", "кн": "consultation",
                "учебная практика": "training", "у": "training",
                "курсовое проектирование": "coursework", "кп": "coursework"}
LESSON_TITLES = {"theory": "Теоретическое занятие", "practical": "Практическое занятие",
                 "lab": "Лабораторное занятие", "seminar": "Семинар",
                 "control": "Контрольная работа", "consultation": "Консультация",
                 "training": "Учебная практика", "coursework": "Курсовое проектирование"}


def _build_topic(row: Row, lookups: Lookups) -> Row:
    return {"load_id": _load_id(row, lookups), "position": row["position"],
            "title": row["title"], "lesson_type": row.get("lesson_type") or "theory",
            "hours": row.get("hours") or 2, "homework": row.get("homework") or ""}


KTP = CatalogueList(
    name="ктп", alias="ktp", title="КТП",
    columns=(*WHERE, Column("position", "№", cells.integer(1, 999),
                            aliases=("№ п/п", "Номер", "№ урока", "№ занятия")),
             Column("title", "Тема", aliases=("Тема занятия", "Наименование темы")),
             Column("hours", "Часы", cells.integer(1, 8), required=False,
                    aliases=("Кол-во часов", "Количество часов")),
             Column("lesson_type", "Тип занятия", cells.choice(LESSON_TYPES, "тип занятия"),
                    required=False, aliases=("Вид занятия",)),
             Column("homework", "Домашнее задание", required=False, aliases=("Д/з", "ДЗ"))),
    key=("year", "semester", "group", "subgroup", "discipline", "position"),
    lookups={**LOAD_LOOKUPS, "load": LOADS_SQL}, build=_build_topic, write=generic_writer,
    export_sql=f"SELECT {LOAD_COLS}, k.position, k.title, k.hours, lt.title, k.homework "
               "FROM journal.ktp_topic k JOIN journal.teaching_load t ON t.id = k.load_id "
               f"{LOAD_TAIL} JOIN journal.lesson_type lt ON lt.code = k.lesson_type "
               f"ORDER BY {LOAD_ORDER}, k.position",
    models=(KtpTopic,), conflict=("load_id", "position"))

WEEKDAYS = {"пн": 1, "понедельник": 1, "1": 1, "вт": 2, "вторник": 2, "2": 2,
            "ср": 3, "среда": 3, "3": 3, "чт": 4, "четверг": 4, "4": 4,
            "пт": 5, "пятница": 5, "5": 5, "сб": 6, "суббота": 6, "6": 6}
PARITY = {"все": "all", "каждая": "all", "": "all", "числитель": "odd", "нечётная": "odd",
          "знаменатель": "even", "чётная": "even"}


def weekday(value: object) -> int:
    """Пн … Сб (or 1–6)."""
    raw = cells.text(value).casefold().rstrip(".")
    if raw not in WEEKDAYS:
        raise CellError(f"{cells.text(value)} — не день недели; пишите пн, вт, … сб")
    return WEEKDAYS[raw]


def _build_slot(row: Row, lookups: Lookups) -> Row:
    return {"load_id": _load_id(row, lookups), "weekday": row["weekday"],
            "pair_no": row["pair_no"], "week_parity": row.get("week_parity") or "all",
            "room": row.get("room") or ""}


TIMETABLE = CatalogueList(
    name="расписание", alias="timetable", title="Расписание занятий",
    columns=(*WHERE, Column("weekday", "День недели", weekday, aliases=("День",)),
             Column("pair_no", "Пара", cells.integer(1, 8), aliases=("№ пары",)),
             Column("week_parity", "Неделя", cells.choice(PARITY, "неделя"), required=False,
                    aliases=("Числитель/знаменатель",)),
             Column("room", "Аудитория", required=False, aliases=("Кабинет",))),
    key=("year", "semester", "group", "subgroup", "discipline", "weekday", "pair_no",
         "week_parity"),
    lookups={**LOAD_LOOKUPS, "load": LOADS_SQL}, build=_build_slot, write=generic_writer,
    export_sql=f"SELECT {LOAD_COLS}, (ARRAY['пн','вт','ср','чт','пт','сб'])[s.weekday], "
               "s.pair_no, CASE s.week_parity WHEN 'odd' THEN 'числитель' "
               "WHEN 'even' THEN 'знаменатель' ELSE 'все' END, s.room "
               "FROM journal.timetable_slot s JOIN journal.teaching_load t ON t.id = s.load_id "
               f"{LOAD_TAIL} ORDER BY {LOAD_ORDER}, s.weekday, s.pair_no, s.week_parity",
    models=(TimetableSlot,), conflict=("load_id", "weekday", "pair_no", "week_parity"))
