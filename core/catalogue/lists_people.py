"""Lists of people: staff with positions and roles (the admin's), students with their
enrolment and parents with their links (the office's and the admin's).

People have no natural key in the tables: a student is found by the record book number, a
parent by their name among the student's guardians (or, for a sibling, by name and phone
among parents), a staff member by their full name among staff.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from core.catalogue import cells
from core.catalogue.cells import CellError
from core.catalogue.lists_study import GROUPS_SQL, PERSON_NAME, group_name
from core.catalogue.lists_teaching import SUBGROUPS_SQL, group_and_subgroup
from core.catalogue.models import Guardian, Person, Staff, Student
from core.catalogue.spec import CatalogueList, Column, Lookups, Row, RowError, fold, need
from core.catalogue.write import payload, sql_types, update_changed, upsert
from kernel.errors import ConflictError

NAME_COLUMNS = (Column("surname", "Фамилия"), Column("name", "Имя"),
                Column("patronymic", "Отчество", required=False))
CONTACTS = (Column("phone", "Телефон", cells.phone, required=False,
                   aliases=("Мобильный телефон", "Тел.")),
            Column("email", "Email", cells.email, required=False,
                   aliases=("Электронная почта", "E-mail", "Почта")))
BIRTH = Column("birth_date", "Дата рождения", cells.day, required=False)
PERSON_FIELDS = ("surname", "name", "patronymic", "birth_date", "phone", "email")
ROLE_TITLES = {"преподаватель": "teacher", "мастер п/о": "teacher", "куратор": "curator",
               "классный руководитель": "curator", "учебная часть": "office",
               "методист": "methodologist", "заведующий учебной частью": "admin",
               "администратор": "admin", "директор": "director",
               "заместитель директора": "deputy", "специалист сопровождения": "support",
               "социальный педагог": "support", "педагог-психолог": "support",
               "психолог": "support"}
RELATIONS = {r: r for r in ("мать", "отец", "опекун", "попечитель",
                            "другой законный представитель")} | {"мама": "мать", "папа": "отец"}


def _person(row: Row) -> Row:
    return {f: (row[f] or "") if f == "patronymic" else row[f] for f in PERSON_FIELDS
            if f in row}


def _new_people(conn: psycopg.Connection, people: list[Row], role: str | None) -> list[int]:
    """Insert people (in order), with ``role`` if given; their ids in the same order.

    One statement for all of them (a statement each cost ~1.5 ms, seconds for a college's
    3,000 parents). The rows enter in the file's order, so their identity values rise in that
    order; the returned rows are checked against the input before the ids are trusted.
    """
    if not people:
        return []
    cols = list(people[0])
    names = sql.SQL(", ").join(map(sql.Identifier, cols))
    query = sql.SQL("INSERT INTO journal.person ({cols}) SELECT {cols} FROM jsonb_to_recordset("
                    "%s::jsonb) AS r({types}, n int) ORDER BY n RETURNING id, surname, name"
                    ).format(cols=names, types=sql_types(Person, cols))
    got = sorted(conn.execute(query, (payload([{**p, "n": n} for n, p in enumerate(people)]),)
                              ).fetchall())
    if [r[1:] for r in got] != [(p["surname"], p["name"]) for p in people]:
        raise ConflictError("Новые люди записаны не по порядку строк файла; ничего не "
                            "сохранено — повторите импорт.")
    ids = [r[0] for r in got]
    if role:
        conn.execute("INSERT INTO journal.person_role (person_id, role) "
                     "SELECT unnest(%s::bigint[]), %s ON CONFLICT DO NOTHING", (ids, role))
    return ids


def roles(value: object) -> list[str]:
    """«преподаватель, куратор» → role codes."""
    found = []
    for part in cells.text(value).replace(";", ",").split(","):
        title = part.strip().casefold()
        if not title:
            continue
        if title not in ROLE_TITLES:
            raise CellError(f"{part.strip()} — не роль; допустимо: " + ", ".join(ROLE_TITLES))
        found.append(ROLE_TITLES[title])
    if not found:
        raise CellError("укажите хотя бы одну роль")
    return sorted(set(found))


def _build_staff(row: Row, lookups: Lookups) -> Row:
    key = " ".join(row[f] for f in ("surname", "name", "patronymic") if row.get(f))
    try:
        person_id = lookups.find("staff", key, "")
    except CellError as exc:
        if "несколько" in str(exc):
            raise RowError("surname", f"{key} — таких сотрудников несколько; исправьте в "
                                      "программе вручную") from None
        person_id = None
    return {"person_id": person_id, **_person(row), "position": row["position"],
            "part_time": bool(row.get("part_time")), "roles": row["roles"]}


def _write_staff(conn: psycopg.Connection, spec: CatalogueList,
                 rows: list[Row]) -> tuple[int, int]:
    new = [r for r in rows if r["person_id"] is None]
    for r, ident in zip(new, _new_people(conn, [_person(r) for r in new], None), strict=True):
        r["person_id"] = ident
    changed = update_changed(conn, Person, ("id",), [{"id": r["person_id"], **_person(r)}
                                                     for r in rows if r not in new])
    conn.execute("INSERT INTO journal.person_role (person_id, role) SELECT * FROM "
                 "jsonb_to_recordset(%s::jsonb) AS r(person_id bigint, role text) "
                 "ON CONFLICT DO NOTHING",
                 (payload([{"person_id": r["person_id"], "role": role}
                           for r in rows for role in r["roles"]]),))
    _, positions, _ = upsert(conn, Staff, ("person_id",), [
        {"person_id": r["person_id"], "position": r["position"], "part_time": r["part_time"]}
        for r in rows])
    return len(new), changed + positions


STAFF_SQL = (f"SELECT {PERSON_NAME}, p.id FROM journal.person p WHERE p.id IN "
             "(SELECT person_id FROM journal.staff UNION SELECT person_id FROM "
             "journal.person_role WHERE role NOT IN ('student', 'parent'))")

STAFF = CatalogueList(
    name="сотрудники", alias="staff", title="Сотрудники",
    columns=(*NAME_COLUMNS, BIRTH, *CONTACTS, Column("position", "Должность"),
             Column("roles", "Роли", roles, aliases=("Роль",)),
             Column("part_time", "Совместитель", cells.yes_no, required=False)),
    key=("surname", "name", "patronymic"), lookups={"staff": STAFF_SQL},
    build=_build_staff, write=_write_staff,
    export_sql="SELECT p.surname, p.name, p.patronymic, p.birth_date, p.phone, p.email, "
               "coalesce(s.position, ''), (SELECT string_agg(CASE r.role "
               "WHEN 'teacher' THEN 'преподаватель' WHEN 'curator' THEN 'куратор' "
               "WHEN 'office' THEN 'учебная часть' WHEN 'methodologist' THEN 'методист' "
               "WHEN 'admin' THEN 'заведующий учебной частью' WHEN 'director' THEN 'директор' "
               "WHEN 'deputy' THEN 'заместитель директора' "
               "WHEN 'support' THEN 'специалист сопровождения' END, ', ' ORDER BY r.role) "
               "FROM journal.person_role r WHERE r.person_id = p.id "
               "AND r.role NOT IN ('student', 'parent')), coalesce(s.part_time, false) "
               f"FROM journal.person p LEFT JOIN journal.staff s ON s.person_id = p.id "
               f"WHERE p.id IN ({STAFF_SQL.split('WHERE p.id IN ', 1)[1]}) "
               "ORDER BY p.surname, p.name, p.patronymic",
    models=(Person, Staff), writers="admin")


def _build_student(row: Row, lookups: Lookups) -> Row:
    group, subgroup = group_and_subgroup(row, lookups)
    return {**_person(row), "group_id": group, "subgroup_id": subgroup,
            "record_book_no": row["record_book_no"], "enrolled_on": row["enrolled_on"]}


def _write_students(conn: psycopg.Connection, spec: CatalogueList,
                    rows: list[Row]) -> tuple[int, int]:
    known = dict(conn.execute("SELECT record_book_no, person_id FROM journal.student "
                              "WHERE record_book_no = ANY(%s)",
                              ([r["record_book_no"] for r in rows],)).fetchall())
    new = [r for r in rows if r["record_book_no"] not in known]
    ids = _new_people(conn, [_person(r) for r in new], "student")
    known.update({r["record_book_no"]: i for r, i in zip(new, ids, strict=True)})
    changed = update_changed(conn, Person, ("id",), [
        {"id": known[r["record_book_no"]], **_person(r)} for r in rows if r not in new])
    _, moved, _ = upsert(conn, Student, ("record_book_no",), [
        {"person_id": known[r["record_book_no"]], "group_id": r["group_id"],
         "subgroup_id": r["subgroup_id"], "record_book_no": r["record_book_no"],
         "enrolled_on": r["enrolled_on"]} for r in rows])
    return len(new), changed + moved


STUDENTS = CatalogueList(
    name="студенты", alias="students", title="Обучающиеся",
    columns=(*NAME_COLUMNS, BIRTH, *CONTACTS, Column("group", "Группа", group_name),
             Column("subgroup", "Подгруппа", required=False),
             Column("record_book_no", "Номер зачётной книжки",
                    aliases=("№ зачётной книжки", "Зачётная книжка", "Номер зачетной книжки")),
             Column("enrolled_on", "Дата зачисления", cells.day, aliases=("Зачислен",))),
    key=("record_book_no",), lookups={"group": GROUPS_SQL, "subgroup": SUBGROUPS_SQL},
    build=_build_student, write=_write_students,
    export_sql="SELECT p.surname, p.name, p.patronymic, p.birth_date, p.phone, p.email, g.name, "
               "sg.name, s.record_book_no, s.enrolled_on FROM journal.student s "
               "JOIN journal.person p ON p.id = s.person_id "
               "JOIN journal.study_group g ON g.id = s.group_id "
               "LEFT JOIN journal.subgroup sg ON sg.id = s.subgroup_id "
               "ORDER BY g.name, p.surname, p.name",
    models=(Person, Student))


def _build_parent(row: Row, lookups: Lookups) -> Row:
    return {**_person(row), "student_id": need(row, "student", lookups, "student",
                                                "обучающегося с таким номером зачётной книжки"),
            "relation": row.get("relation") or "другой законный представитель"}


def _full(r: Row) -> Any:
    return fold(" ".join(r[f] for f in ("surname", "name", "patronymic") if r.get(f)))


def _write_parents(conn: psycopg.Connection, spec: CatalogueList,
                   rows: list[Row]) -> tuple[int, int]:
    linked = {(s, fold(n)): p for s, n, p in conn.execute(
        f"SELECT g.student_id, {PERSON_NAME}, g.parent_id FROM journal.guardian g "
        "JOIN journal.person p ON p.id = g.parent_id").fetchall()}
    by_phone = {(fold(n), ph): p for n, ph, p in conn.execute(
        f"SELECT {PERSON_NAME}, p.phone, p.id FROM journal.person p JOIN journal.person_role r "
        "ON r.person_id = p.id AND r.role = 'parent' WHERE p.phone IS NOT NULL").fetchall()}
    new_keys: dict[Any, list[Row]] = {}
    for r in rows:
        r["parent_id"] = linked.get((r["student_id"], _full(r)))
        if r["parent_id"] is None and r.get("phone"):
            r["parent_id"] = by_phone.get((_full(r), r["phone"]))
        if r["parent_id"] is None:
            key = (_full(r), r.get("phone")) if r.get("phone") else (_full(r), r["student_id"])
            new_keys.setdefault(key, []).append(r)
    firsts = [group[0] for group in new_keys.values()]
    for group, ident in zip(new_keys.values(),
                            _new_people(conn, [_person(r) for r in firsts], "parent"), strict=True):
        for r in group:
            r["parent_id"] = ident
    new = {id(r) for group in new_keys.values() for r in group}
    contacts = {r["parent_id"]: {"id": r["parent_id"], "phone": r.get("phone"),
                                 "email": r.get("email")} for r in rows if id(r) not in new}
    changed = update_changed(conn, Person, ("id",), list(contacts.values()))
    inserted, relinked, _ = upsert(conn, Guardian, ("parent_id", "student_id"), [
        {"parent_id": r["parent_id"], "student_id": r["student_id"], "relation": r["relation"]}
        for r in rows])
    return inserted, changed + relinked


PARENTS = CatalogueList(
    name="родители", alias="parents", title="Родители (представители)",
    columns=(*NAME_COLUMNS, *CONTACTS,
             Column("student", "Номер зачётной книжки студента",
                    aliases=("Студент", "Обучающийся", "Номер зачётной книжки",
                             "№ зачётной книжки")),
             Column("relation", "Кем приходится", cells.choice(RELATIONS, "степень родства"),
                    required=False, aliases=("Родство", "Степень родства"))),
    key=("student", "surname", "name", "patronymic"),
    lookups={"student": "SELECT record_book_no, person_id FROM journal.student"},
    build=_build_parent, write=_write_parents,
    export_sql="SELECT p.surname, p.name, p.patronymic, p.phone, p.email, s.record_book_no, "
               "g.relation FROM journal.guardian g JOIN journal.person p ON p.id = g.parent_id "
               "JOIN journal.student s ON s.person_id = g.student_id "
               "ORDER BY s.record_book_no, p.surname",
    models=(Person, Guardian))
