"""Lists of what is studied: specialties, disciplines, curricula (учебный план), groups and
subgroups (the office's and the admin's)."""

from __future__ import annotations

import re

import psycopg

from core.catalogue import cells
from core.catalogue.cells import CellError
from core.catalogue.models import CurriculumItem, Discipline, Specialty, StudyGroup, Subgroup
from core.catalogue.spec import CatalogueList, Column, Lookups, Row, RowError, need
from core.catalogue.write import generic_writer, upsert

SPECIALTIES_SQL = "SELECT code, id FROM journal.specialty"
DISCIPLINES_SQL = ("SELECT title, id FROM journal.discipline UNION ALL "
                   "SELECT code, id FROM journal.discipline WHERE code <> ''")
GROUPS_SQL = "SELECT name, id FROM journal.study_group"
CURRICULA_SQL = "SELECT specialty_id, admission_year, id FROM journal.curriculum"
PERSON_NAME = "btrim(p.surname || ' ' || p.name || ' ' || p.patronymic)"
SHORT_NAME = ("p.surname || ' ' || left(p.name, 1) || '.' || "
              "CASE WHEN p.patronymic <> '' THEN ' ' || left(p.patronymic, 1) || '.' ELSE '' END")


def people_with_role(role: str) -> str:
    """(full name, id) and («Фамилия И. О.», id) of people holding ``role``."""
    base = (f"FROM journal.person p JOIN journal.person_role r ON r.person_id = p.id "
            f"AND r.role = '{role}'")
    return f"SELECT {PERSON_NAME}, p.id {base} UNION ALL SELECT {SHORT_NAME}, p.id {base}"


def specialty_code(value: object) -> str:
    """08.02.01."""
    raw = cells.text(value)
    if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", raw):
        raise CellError(f"{raw} — код специальности пишется как 09.02.07")
    return raw


def group_name(value: object) -> str:
    """ИС-24-1."""
    raw = cells.text(value).upper()
    if not re.fullmatch(r"[А-ЯЁA-Z]{1,6}-\d{2}-\d{1,2}[А-ЯЁ]?", raw):
        raise CellError(f"{cells.text(value)} — имя группы пишется как ИС-24-1")
    return raw[:-1] + raw[-1].lower() if raw[-1].isalpha() else raw


ADMISSION = Column("admission_year", "Год набора", cells.integer(2000, 2100),
                   aliases=("Год поступления",))


def _build_specialty(row: Row, lookups: Lookups) -> Row:
    return {"code": row["code"], "title": row["title"],
            "qualification": row.get("qualification") or "",
            "group_prefix": row["group_prefix"]}


SPECIALTIES = CatalogueList(
    name="специальности", alias="specialties", title="Специальности",
    columns=(Column("code", "Код", specialty_code, aliases=("Код специальности",)),
             Column("title", "Наименование", aliases=("Специальность", "Название")),
             Column("qualification", "Квалификация", required=False),
             Column("group_prefix", "Префикс групп", aliases=("Префикс",))),
    key=("code",), lookups={}, build=_build_specialty, write=generic_writer,
    export_sql="SELECT code, title, qualification, group_prefix FROM journal.specialty "
               "ORDER BY code",
    models=(Specialty,), conflict=("code",))


def _build_discipline(row: Row, lookups: Lookups) -> Row:
    return {"code": row.get("code") or "", "title": row["title"],
            "short_title": row.get("short_title") or row["title"][:12]}


DISCIPLINES = CatalogueList(
    name="дисциплины", alias="disciplines", title="Дисциплины",
    columns=(Column("code", "Индекс", required=False, aliases=("Код",)),
             Column("title", "Наименование", aliases=("Дисциплина", "Название")),
             Column("short_title", "Сокращение", required=False,
                    aliases=("Краткое наименование",))),
    key=("title",), lookups={}, build=_build_discipline, write=generic_writer,
    export_sql="SELECT code, title, short_title FROM journal.discipline ORDER BY code, title",
    models=(Discipline,), conflict=("title",))

ATTESTATION = {a: a for a in ("экзамен", "дифференцированный зачёт", "зачёт", "курсовая работа",
                              "другая форма", "нет")} | {"дифзачёт": "дифференцированный зачёт",
                                                        "дз": "дифференцированный зачёт",
                                                        "э": "экзамен", "з": "зачёт",
                                                        "": "нет"}


def _build_item(row: Row, lookups: Lookups) -> Row:
    practical, lab = row.get("hours_practical") or 0, row.get("hours_lab") or 0
    if practical + lab > row["hours_total"]:
        raise RowError("hours_total", f"{row['hours_total']} — меньше, чем практических и "
                                      f"лабораторных вместе ({practical + lab})")
    return {"specialty_id": need(row, "specialty", lookups, "specialty", "специальности"),
            "admission_year": row["admission_year"],
            "discipline_id": need(row, "discipline", lookups, "discipline", "дисциплины"),
            "semester_no": row["semester_no"], "hours_total": row["hours_total"],
            "hours_practical": practical, "hours_lab": lab,
            "attestation": row.get("attestation") or "нет",
            "pass_fail": bool(row.get("pass_fail"))}


def _write_plan(conn: psycopg.Connection, spec: CatalogueList,
                rows: list[Row]) -> tuple[int, int]:
    """Curricula a row names are created (one per specialty and admission year), then items."""
    wanted = {(r["specialty_id"], r["admission_year"]) for r in rows}
    conn.execute("INSERT INTO journal.curriculum (specialty_id, admission_year, title) "
                 "SELECT s, y, 'Учебный план набора ' || y || ' года' "
                 "FROM unnest(%s::int[], %s::int[]) AS w(s, y) ON CONFLICT DO NOTHING",
                 ([s for s, _ in sorted(wanted)], [y for _, y in sorted(wanted)]))
    ids = {(s, y): i for s, y, i in conn.execute(CURRICULA_SQL).fetchall()}
    items = [{"curriculum_id": ids[(r["specialty_id"], r["admission_year"])],
              **{k: v for k, v in r.items() if k not in ("specialty_id", "admission_year")}}
             for r in rows]
    inserted, updated, _ = upsert(conn, CurriculumItem,
                                  ("curriculum_id", "discipline_id", "semester_no"), items)
    return inserted, updated


PLAN = CatalogueList(
    name="учебный-план", alias="curricula", title="Учебные планы",
    columns=(Column("specialty", "Специальность", specialty_code, aliases=("Код специальности",)),
             ADMISSION,
             Column("discipline", "Дисциплина", aliases=("Наименование",)),
             Column("semester_no", "Семестр", cells.integer(1, 8)),
             Column("hours_total", "Всего часов", cells.integer(1, 2000), aliases=("Часы",)),
             Column("hours_practical", "Практические", cells.integer(0, 2000), required=False,
                    aliases=("Практических часов",)),
             Column("hours_lab", "Лабораторные", cells.integer(0, 2000), required=False,
                    aliases=("Лабораторных часов",)),
             Column("attestation", "Форма аттестации",
                    cells.choice(ATTESTATION, "форма аттестации"), required=False),
             Column("pass_fail", "Зачёт/незачёт", cells.yes_no, required=False)),
    key=("specialty", "admission_year", "discipline", "semester_no"),
    lookups={"specialty": SPECIALTIES_SQL, "discipline": DISCIPLINES_SQL},
    build=_build_item, write=_write_plan,
    export_sql="SELECT s.code, c.admission_year, d.title, i.semester_no, i.hours_total, "
               "i.hours_practical, i.hours_lab, i.attestation, i.pass_fail "
               "FROM journal.curriculum_item i JOIN journal.curriculum c ON c.id = i.curriculum_id "
               "JOIN journal.specialty s ON s.id = c.specialty_id "
               "JOIN journal.discipline d ON d.id = i.discipline_id "
               "ORDER BY s.code, c.admission_year, i.semester_no, d.title",
    models=(CurriculumItem,))


def _build_group(row: Row, lookups: Lookups) -> Row:
    specialty = need(row, "specialty", lookups, "specialty", "специальности")
    try:
        curriculum = lookups.find("curriculum", (specialty, row["admission_year"]), "")
    except CellError:
        raise RowError("admission_year", f"{row['admission_year']} — учебного плана специальности "
                                         f"{row['specialty']} этого набора нет; загрузите сначала "
                                         "учебный план") from None
    curator = need(row, "curator", lookups, "curator", "куратора") if row.get("curator") else None
    return {"name": row["name"], "specialty_id": specialty, "curriculum_id": curriculum,
            "admission_year": row["admission_year"], "curator_id": curator}


GROUPS = CatalogueList(
    name="группы", alias="groups", title="Группы",
    columns=(Column("name", "Группа", group_name, aliases=("Наименование", "Название")),
             Column("specialty", "Специальность", specialty_code, aliases=("Код специальности",)),
             ADMISSION,
             Column("curator", "Куратор", required=False, aliases=("Классный руководитель",))),
    key=("name",),
    lookups={"specialty": SPECIALTIES_SQL, "curriculum": CURRICULA_SQL,
             "curator": people_with_role("curator")},
    build=_build_group, write=generic_writer,
    export_sql=f"SELECT g.name, s.code, g.admission_year, {PERSON_NAME} "
               "FROM journal.study_group g JOIN journal.specialty s ON s.id = g.specialty_id "
               "LEFT JOIN journal.person p ON p.id = g.curator_id ORDER BY g.name",
    models=(StudyGroup,), conflict=("name",))


def _build_subgroup(row: Row, lookups: Lookups) -> Row:
    return {"group_id": need(row, "group", lookups, "group", "группы"), "name": row["name"]}


SUBGROUPS = CatalogueList(
    name="подгруппы", alias="subgroups", title="Подгруппы",
    columns=(Column("group", "Группа", group_name),
             Column("name", "Подгруппа", aliases=("Наименование", "Название"))),
    key=("group", "name"), lookups={"group": GROUPS_SQL}, build=_build_subgroup,
    write=generic_writer,
    export_sql="SELECT g.name, s.name FROM journal.subgroup s "
               "JOIN journal.study_group g ON g.id = s.group_id ORDER BY g.name, s.name",
    models=(Subgroup,), conflict=("group_id", "name"))
