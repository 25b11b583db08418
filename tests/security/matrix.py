"""The access matrix of docs/security.md as data, and the scopes it speaks of as SQL.

``read_matrix()`` parses the table between the ``matrix:begin``/``matrix:end`` markers.
``READS`` says, per row of the matrix, which tables it covers, how their rows are named and
which rows each read scope means; the expected rows are computed by a superuser from the
world's data, independently of the policies. ``WRITES`` lists, per row, write attempts and
the write scopes under which each must succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
NOTHING = "—"


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix: what ``role`` may read and write of ``area``."""

    area: str
    role: str
    read: frozenset[str]
    write: frozenset[str]

    @property
    def id(self) -> str:
        """Test id."""
        return f"{self.area}-{self.role}"


def _scopes(text: str) -> frozenset[str]:
    text = text.strip()
    return frozenset() if text == NOTHING else frozenset(t.strip() for t in text.split("+"))


def read_matrix(path: Path = DOC) -> list[Cell]:
    """Every cell of the matrix in the security document."""
    text = path.read_text(encoding="utf-8")
    body = text.split("<!-- matrix:begin -->")[1].split("<!-- matrix:end -->")[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in body.strip().splitlines()]
    roles = rows[0][1:]
    cells = []
    for row in rows[2:]:
        for role, cell in zip(roles, row[1:], strict=True):
            read, write = cell.split("/")
            cells.append(Cell(row[0], role, _scopes(read), _scopes(write)))
    return cells


# Scope parameters of a person, computed plainly from the world's rows (superuser).
PARAMS = """
WITH me AS (SELECT %(me)s::bigint AS id),
loads AS (SELECT t.id FROM journal.teaching_load t, me WHERE t.teacher_id = me.id),
subs AS (SELECT l.id, l.load_id FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id, me
          WHERE l.taught_by = me.id AND t.teacher_id <> me.id),
cur_groups AS (SELECT g.id FROM journal.study_group g, me WHERE g.curator_id = me.id),
children AS (SELECT g.student_id AS id FROM journal.guardian g, me WHERE g.parent_id = me.id),
wards AS (SELECT s.person_id AS id FROM journal.student s, me WHERE s.person_id = me.id
          UNION SELECT id FROM children
          UNION SELECT s.person_id FROM journal.student s WHERE s.group_id IN (SELECT id FROM cur_groups)),
wgroups AS (SELECT DISTINCT s.group_id AS id FROM journal.student s
             WHERE s.person_id IN (SELECT id FROM wards)
            UNION SELECT id FROM cur_groups),
wloads AS (SELECT t.id FROM journal.teaching_load t WHERE t.group_id IN (SELECT id FROM wgroups))
SELECT
  (SELECT coalesce(array_agg(id), '{}') FROM loads) AS loads,
  (SELECT coalesce(array_agg(id), '{}') FROM subs) AS subs,
  (SELECT coalesce(array_agg(DISTINCT t.group_id), '{}') FROM journal.teaching_load t
    WHERE t.id IN (SELECT id FROM loads UNION SELECT load_id FROM subs)) AS taught_groups,
  (SELECT coalesce(array_agg(id), '{}') FROM cur_groups) AS cur_groups,
  (SELECT coalesce(array_agg(s.person_id), '{}') FROM journal.student s
    WHERE s.group_id IN (SELECT id FROM cur_groups)) AS cur_students,
  (SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t
    WHERE t.group_id IN (SELECT id FROM cur_groups)) AS cur_loads,
  (SELECT coalesce(array_agg(id), '{}') FROM children) AS children,
  (SELECT coalesce(array_agg(id), '{}') FROM wards) AS wards,
  (SELECT coalesce(array_agg(id), '{}') FROM wgroups) AS wgroups,
  (SELECT coalesce(array_agg(id), '{}') FROM wloads) AS wloads,
  (SELECT coalesce(array_agg(DISTINCT x), '{}') FROM (
      SELECT t.teacher_id AS x FROM journal.teaching_load t WHERE t.id IN (SELECT id FROM wloads)
      UNION SELECT l.taught_by FROM journal.lesson l WHERE l.load_id IN (SELECT id FROM wloads)
      UNION SELECT g.curator_id FROM journal.study_group g
             WHERE g.id IN (SELECT id FROM wgroups) AND g.curator_id IS NOT NULL) z) AS gstaff,
  (SELECT coalesce(array_agg(DISTINCT x), '{}') FROM (
      SELECT m.thread_id AS x FROM journal.thread_member m, me WHERE m.person_id = me.id
      UNION SELECT t.id FROM journal.thread t, me WHERE t.created_by = me.id) z) AS threads,
  (SELECT login FROM journal.account a, me WHERE a.person_id = me.id) AS login
"""

STAFF_IDS = ("(SELECT person_id FROM journal.person_role "
             "WHERE role NOT IN ('student', 'parent'))")
WARD_ROWS = "student_id = ANY(%(wards)s::bigint[])"
LOAD_ROWS = "(load_id = ANY(%(loads)s::int[]) OR lesson_id = ANY(%(subs)s::int[]))"
GROUP_ROWS = "student_id = ANY(%(cur_students)s::bigint[])"
STATEMENT_OF_LOADS = ("statement_id IN (SELECT id FROM journal.statement "
                      "WHERE load_id = ANY(%(loads)s::int[]))")
PERSON_SCOPES = {
    "all": "true",
    "self": "id = %(me)s",
    "staff": f"id IN {STAFF_IDS}",
    "taught": "id IN (SELECT person_id FROM journal.student WHERE group_id = ANY(%(taught_groups)s::int[]))",
    "group": "id = ANY(%(cur_students)s::bigint[])",
    "parents": ("id IN (SELECT parent_id FROM journal.guardian "
                "WHERE student_id = ANY(%(cur_students)s::bigint[]))"),
    "child": "id = ANY(%(children)s::bigint[])",
    "gstaff": "id = ANY(%(gstaff)s::bigint[])",
}
HISTORY_JOURNAL = ("table_name IN ('lesson', 'attendance', 'mark', 'statement', "
                   "'statement_mark', 'final_mark')")
LOAD_HISTORY = ("(load_id = ANY(%(loads)s::int[]) OR (table_name IN ('lesson', 'mark', 'attendance') "
                "AND (coalesce(new_value, old_value) ->> CASE table_name WHEN 'lesson' THEN 'id' "
                "ELSE 'lesson_id' END)::int = ANY(%(subs)s::int[])))")
WARD_HISTORY = ("(student_id = ANY(%(wards)s::bigint[]) OR "
                "(student_id IS NULL AND load_id = ANY(%(wloads)s::int[])))")

# area -> table -> (row key expression, {scope: WHERE clause})
READS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "catalogs": {t: (k, {"all": "true"}) for t, k in (
        ("setting", "key"), ("academic_year", "id"), ("period", "id"), ("holiday", "id"),
        ("bell", "year_id, pair_no"), ("lesson_type", "code"), ("work_kind", "code"))},
    "curricula": {t: (k, {"all": "true"}) for t, k in (
        ("specialty", "id"), ("curriculum", "id"), ("discipline", "id"),
        ("curriculum_item", "id"))},
    "groups": {
        "study_group": ("id", {"all": "true", "child": "id = ANY(%(wgroups)s::int[])",
                               "self": "id = ANY(%(wgroups)s::int[])"}),
        "subgroup": ("id", {"all": "true", "child": "group_id = ANY(%(wgroups)s::int[])",
                            "self": "group_id = ANY(%(wgroups)s::int[])"}),
        "teaching_load": ("id", {"all": "true", "child": "id = ANY(%(wloads)s::int[])",
                                 "self": "id = ANY(%(wloads)s::int[])"}),
        "timetable_slot": ("id", {"all": "true", "child": "load_id = ANY(%(wloads)s::int[])",
                                  "self": "load_id = ANY(%(wloads)s::int[])"}),
    },
    "staff": {"staff": ("person_id", {"all": "true"})},
    "ktp": {"ktp_topic": ("id", {"all": "true", "child": "load_id = ANY(%(wloads)s::int[])",
                                 "self": "load_id = ANY(%(wloads)s::int[])"})},
    "people": {
        "person": ("id", PERSON_SCOPES),
        "person_role": ("person_id, role", {k: v.replace("id ", "person_id ", 1)
                                            for k, v in PERSON_SCOPES.items()}),
    },
    "students": {"student": ("person_id", {
        "all": "true", "self": "person_id = %(me)s",
        "taught": "group_id = ANY(%(taught_groups)s::int[])",
        "group": "group_id = ANY(%(cur_groups)s::int[])",
        "child": "person_id = ANY(%(children)s::bigint[])"})},
    "guardians": {"guardian": ("parent_id, student_id", {
        "all": "true", "group": GROUP_ROWS, "child": WARD_ROWS, "self": WARD_ROWS})},
    "accounts": {"account": ("person_id", {
        "all": "true", "self": "person_id = %(me)s",
        "group": ("person_id = ANY(%(cur_students)s::bigint[]) OR person_id IN (SELECT parent_id "
                  "FROM journal.guardian WHERE student_id = ANY(%(cur_students)s::bigint[]))")})},
    "logins": {"login_event": ("id", {"all": "true", "self": "login = %(login)s"})},
    "lessons": {"lesson": ("id", {
        "all": "true", "load": "(load_id = ANY(%(loads)s::int[]) OR id = ANY(%(subs)s::int[]))",
        "group": "load_id = ANY(%(cur_loads)s::int[])",
        "child": "load_id = ANY(%(wloads)s::int[])", "self": "load_id = ANY(%(wloads)s::int[])"})},
    "attendance": {"attendance": ("lesson_id, student_id", {
        "all": "true", "load": LOAD_ROWS, "group": GROUP_ROWS, "child": WARD_ROWS,
        "self": WARD_ROWS})},
    "marks": {"mark": ("id", {
        "all": "true", "load": LOAD_ROWS, "group": GROUP_ROWS, "child": WARD_ROWS,
        "self": WARD_ROWS})},
    "statements": {
        "statement": ("id", {"all": "true", "load": "load_id = ANY(%(loads)s::int[])",
                             "group": "load_id = ANY(%(cur_loads)s::int[])",
                             "child": "load_id = ANY(%(wloads)s::int[])",
                             "self": "load_id = ANY(%(wloads)s::int[])"}),
        "statement_mark": ("statement_id, student_id", {
            "all": "true", "load": STATEMENT_OF_LOADS, "group": GROUP_ROWS, "child": WARD_ROWS,
            "self": WARD_ROWS}),
    },
    "finals": {"final_mark": ("load_id, student_id", {
        "all": "true", "load": "load_id = ANY(%(loads)s::int[])", "group": GROUP_ROWS,
        "child": WARD_ROWS, "self": WARD_ROWS})},
    "messages": {
        "thread": ("id", {"all": "true", "own": "id = ANY(%(threads)s::bigint[])"}),
        "thread_member": ("thread_id, person_id", {
            "all": "true", "own": "thread_id = ANY(%(threads)s::bigint[])"}),
        "message": ("id", {"all": "true", "own": "thread_id = ANY(%(threads)s::bigint[])"}),
    },
    "history": {"change_log": ("id", {
        "all": "true", "journal": HISTORY_JOURNAL, "load": LOAD_HISTORY,
        "group": ("(student_id = ANY(%(cur_students)s::bigint[]) OR "
                  "(student_id IS NULL AND load_id = ANY(%(cur_loads)s::int[])))"),
        "child": WARD_HISTORY, "self": WARD_HISTORY})},
}


@dataclass(frozen=True)
class Attempt:
    """One write to try: SQL with named arguments from the world, and where it must work.

    ``args`` maps argument names to world lookups: ``"person:sa1"``, ``"lesson:la1"``,
    ``"load:la"``, ``"group:GA"``, ``"statement:la"``, ``"thread:other"``, ``"me"``, or a
    literal value.
    """

    label: str
    sql: str
    args: dict[str, Any]
    scopes: frozenset[str]


def _a(label: str, query: str, scopes: str = "", **args: Any) -> Attempt:
    return Attempt(label, query, args, frozenset({"all", *filter(None, scopes.split(","))}))


def _journal_attempts(table: str, code_update: str, insert_cols: str, insert_vals: str,
                      group_writes: bool) -> list[Attempt]:
    """Update, insert and delete on each lesson of the world for marks or attendance."""
    targets = [("la1", "la", "sa1", "sa2", "load,group"), ("lb_sub", "lb", "sb1", "sb2", "load"),
               ("lb1", "lb", "sb1", "sb2", ""), ("la2_1", "la2", "sa1", "sa2", "group"),
               ("lc1", "lc", "sc1", "sc2", "")]
    out = []
    for lesson, load, first, second, scopes in targets:
        if not group_writes:
            scopes = ",".join(s for s in scopes.split(",") if s != "group")
        where = "lesson_id = %(lesson)s AND student_id = %(student)s"
        if table == "mark":
            where += " AND work_kind = 'oral'"
        out += [
            _a(f"update {lesson}", f"UPDATE journal.{table} SET {code_update} WHERE {where}",
               scopes, lesson=f"lesson:{lesson}", student=f"person:{first}"),
            _a(f"insert {lesson}", f"INSERT INTO journal.{table} ({insert_cols}) VALUES ({insert_vals})",
               scopes, lesson=f"lesson:{lesson}", load=f"load:{load}", student=f"person:{second}"),
            _a(f"delete {lesson}", f"DELETE FROM journal.{table} WHERE {where}",
               scopes, lesson=f"lesson:{lesson}", student=f"person:{first}"),
        ]
    return out


NEW_LESSON = ("INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by) "
              "VALUES (%(load)s, current_date, 8, %(by)s)")
CREATE = "SELECT journal.create_account(%(who)s, %(login)s, %(verifier)s)"
RESET = "SELECT journal.reset_password(%(who)s, %(verifier)s)"

WRITES: dict[str, list[Attempt]] = {
    "catalogs": [
        _a("insert holiday", "INSERT INTO journal.holiday (year_id, starts_on, ends_on, title) "
                             "SELECT id, starts_on, starts_on, 'Проба' FROM journal.academic_year"),
        _a("update setting", "UPDATE journal.setting SET value = value WHERE key = 'college_name'"),
        _a("update period", "UPDATE journal.period SET title = title || '.'"),
        _a("delete holiday", "DELETE FROM journal.holiday"),
    ],
    "curricula": [
        _a("insert discipline", "INSERT INTO journal.discipline (title, short_title) "
                                "VALUES ('Проба', 'Пр')"),
        _a("update specialty", "UPDATE journal.specialty SET title = title || '.'"),
        _a("update item", "UPDATE journal.curriculum_item SET hours_total = hours_total + 1"),
        _a("delete curriculum", "DELETE FROM journal.curriculum_item"),
    ],
    "groups": [
        _a("insert subgroup", "INSERT INTO journal.subgroup (group_id, name) VALUES (%(g)s, 'П')",
           g="group:GA"),
        _a("update load", "UPDATE journal.teaching_load SET planned_hours = 70 WHERE id = %(l)s",
           l="load:la"),
        _a("update group", "UPDATE journal.study_group SET graduated_at = NULL WHERE id = %(g)s",
           g="group:GA"),
        _a("delete timetable", "DELETE FROM journal.timetable_slot WHERE load_id = %(l)s",
           "timetable", l="load:la"),
    ],
    "staff": [
        _a("insert staff", "INSERT INTO journal.staff VALUES (%(p)s, 'Проба')", p="person:pa2"),
        _a("update staff", "UPDATE journal.staff SET position = 'Проба' WHERE person_id = %(p)s",
           p="person:x_teacher"),
        _a("delete staff", "DELETE FROM journal.staff WHERE person_id = %(p)s", p="person:x_teacher"),
    ],
    "ktp": [
        *[_a(f"insert ktp {load}", "INSERT INTO journal.ktp_topic (load_id, position, title, "
             "lesson_type) VALUES (%(l)s, 2, 'Проба', 'theory')", scopes, l=f"load:{load}")
          for load, scopes in (("la", "load"), ("lb", ""), ("lc", ""))],
        *[_a(f"update ktp {load}", "UPDATE journal.ktp_topic SET title = 'Проба' "
             "WHERE load_id = %(l)s", scopes, l=f"load:{load}")
          for load, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"delete ktp {load}", "DELETE FROM journal.ktp_topic WHERE load_id = %(l)s", scopes,
             l=f"load:{load}") for load, scopes in (("la", "load"), ("lc", ""))],
    ],
    "people": [
        _a("insert person", "INSERT INTO journal.person (surname, name) VALUES ('Новый', 'Н')",
           "nonstaff"),
        _a("rename group student", "UPDATE journal.person SET surname = 'Другая' WHERE id = %(p)s",
           "nonstaff,contacts", p="person:sa2"),
        _a("rename other student", "UPDATE journal.person SET surname = 'Другая' WHERE id = %(p)s",
           "nonstaff", p="person:sb2"),
        *[_a(f"phone {who}", "UPDATE journal.person SET phone = '+79990000000' WHERE id = %(p)s",
             scopes, p=f"person:{who}")
          for who, scopes in (("sa2", "nonstaff,contacts"), ("pa2", "nonstaff,contacts"),
                              ("sb2", "nonstaff"), ("x_teacher", ""))],
        _a("role parent", "INSERT INTO journal.person_role VALUES (%(p)s, 'parent')", "nonstaff",
           p="person:sb2"),
        _a("role curator", "INSERT INTO journal.person_role VALUES (%(p)s, 'curator')",
           p="person:x_teacher"),
        _a("delete person", "DELETE FROM journal.person WHERE id = %(p)s", p="person:pa2"),
    ],
    "students": [
        _a("insert student", "INSERT INTO journal.student (person_id, group_id, record_book_no, "
           "enrolled_on) VALUES (%(p)s, %(g)s, 'З-новый', current_date)",
           p="person:newbie", g="group:GA"),
        _a("update student", "UPDATE journal.student SET record_book_no = 'З-проба' "
           "WHERE person_id = %(p)s", "contacts", p="person:sa2"),
        _a("update other student", "UPDATE journal.student SET record_book_no = 'З-проба2' "
           "WHERE person_id = %(p)s", p="person:sb2"),
        _a("move student", "UPDATE journal.student SET group_id = %(g)s WHERE person_id = %(p)s",
           p="person:sa2", g="group:GB"),
        _a("delete student", "DELETE FROM journal.student WHERE person_id = %(p)s", p="person:sa3"),
    ],
    "guardians": [
        _a("insert GA guardian", "INSERT INTO journal.guardian VALUES (%(p)s, %(s)s, 'отец')",
           "group", p="person:pa2", s="person:sa3"),
        _a("insert GB guardian", "INSERT INTO journal.guardian VALUES (%(p)s, %(s)s, 'отец')",
           p="person:pb1", s="person:sb2"),
        _a("update GA guardian", "UPDATE journal.guardian SET relation = 'опекун' "
           "WHERE student_id = %(s)s", "group", s="person:sa1"),
        _a("update GB guardian", "UPDATE journal.guardian SET relation = 'опекун' "
           "WHERE student_id = %(s)s", s="person:sb1"),
        _a("delete GA guardian", "DELETE FROM journal.guardian WHERE student_id = %(s)s", "group",
           s="person:sa2"),
        _a("delete GB guardian", "DELETE FROM journal.guardian WHERE student_id = %(s)s",
           s="person:sb1"),
    ],
    "accounts": [
        _a("create GA student", CREATE, "group,nonstaff", who="person:sa2", login="new-login"),
        _a("create GA parent", CREATE, "group,nonstaff", who="person:pa2", login="new-login"),
        _a("create GB student", CREATE, "nonstaff", who="person:sb2", login="new-login"),
        _a("create staff", CREATE, who="person:x_teacher", login="new-login"),
        _a("reset GA student", RESET, "group,nonstaff", who="person:sa3"),
        _a("reset GB parent", RESET, "nonstaff", who="person:pb1"),
        _a("reset staff", RESET, who="person:teacher2"),
        _a("block GA student", "SELECT journal.block_account(%(who)s)", who="person:sa3"),
        _a("unblock GA student", "SELECT journal.unblock_account(%(who)s)", who="person:sa3"),
    ],
    "logins": [
        Attempt("insert login", "INSERT INTO journal.login_event (login, success) "
                "VALUES ('x', true)", {}, frozenset()),
        Attempt("delete logins", "DELETE FROM journal.login_event", {}, frozenset()),
    ],
    "lessons": [
        _a("insert la", NEW_LESSON, "load,create", load="load:la", by="person:teacher"),
        _a("insert la2", NEW_LESSON, "create", load="load:la2", by="person:teacher2"),
        # nobody: the admin and the office are not teachers (only a teacher teaches, 0018),
        # and a teacher does not create lessons of someone else's load
        Attempt("insert la2 as self", NEW_LESSON, {"load": "load:la2", "by": "me"},
                frozenset()),
        _a("insert lb", NEW_LESSON, load="load:lb", by="person:teacher2"),
        _a("insert lc", NEW_LESSON, load="load:lc", by="person:teacher2"),
        *[_a(f"update {lesson}", "UPDATE journal.lesson SET topic = 'Проба' WHERE id = %(l)s",
             scopes, l=f"lesson:{lesson}")
          for lesson, scopes in (("la1", "load"), ("lb_sub", "load"), ("lb1", ""), ("la2_1", ""),
                                 ("lc1", ""))],
        _a("hand lb_sub on", "UPDATE journal.lesson SET taught_by = %(p)s WHERE id = %(l)s",
           p="person:teacher2", l="lesson:lb_sub"),
        *[_a(f"delete {lesson}", "DELETE FROM journal.lesson WHERE id = %(l)s", scopes,
             l=f"lesson:{lesson}")
          for lesson, scopes in (("la1", "load"), ("lb_sub", ""), ("lc1", ""))],
    ],
    "attendance": _journal_attempts(
        "attendance", "code = 'НН'", "lesson_id, load_id, student_id, code",
        "%(lesson)s, %(load)s, %(student)s, 'НУ'", group_writes=True),
    "marks": _journal_attempts(
        "mark", "value = '3'", "lesson_id, load_id, student_id, work_kind, value",
        "%(lesson)s, %(load)s, %(student)s, 'test', '4'", group_writes=False),
    "statements": [
        *[_a(f"insert statement {load}", "INSERT INTO journal.statement (load_id, form) "
             "VALUES (%(l)s, 'зачёт')", scopes, l=f"load:{load}")
          for load, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"update statement {s}", "UPDATE journal.statement SET held_on = current_date "
             "WHERE id = %(s)s", scopes, s=f"statement:{s}")
          for s, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"delete statement {s}", "DELETE FROM journal.statement WHERE id = %(s)s", scopes,
             s=f"statement:{s}") for s, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"update statement mark {s}", "UPDATE journal.statement_mark SET value = '3' "
             "WHERE statement_id = %(s)s", scopes, s=f"statement:{s}")
          for s, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"insert statement mark {s}", "INSERT INTO journal.statement_mark VALUES "
             "(%(s)s, %(p)s, '5')", scopes, s=f"statement:{s}", p=f"person:{p}")
          for s, p, scopes in (("la", "sa2", "load"), ("lb", "sb2", ""))],
        *[_a(f"delete statement mark {s}", "DELETE FROM journal.statement_mark "
             "WHERE statement_id = %(s)s", scopes, s=f"statement:{s}")
          for s, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"close statement {s}", "SELECT journal.close_statement(%(s)s)", scopes,
             s=f"statement:{s}") for s, scopes in (("la", "load"), ("lb", ""))],
    ],
    "finals": [
        *[_a(f"update final {load}", "UPDATE journal.final_mark SET value = '4' "
             "WHERE load_id = %(l)s", scopes, l=f"load:{load}")
          for load, scopes in (("la", "load"), ("lb", ""))],
        *[_a(f"insert final {load}", "INSERT INTO journal.final_mark (load_id, student_id, value, "
             "source) VALUES (%(l)s, %(p)s, '4', 'вручную')", scopes, l=f"load:{load}",
             p=f"person:{p}") for load, p, scopes in (("la", "sa2", "load"), ("lc", "sc2", ""))],
        *[_a(f"delete final {load}", "DELETE FROM journal.final_mark WHERE load_id = %(l)s",
             scopes, l=f"load:{load}") for load, scopes in (("la", "load"), ("lb", ""))],
    ],
    "messages": [
        Attempt("start a thread", "START", {}, frozenset({"own"})),
        Attempt("post into a foreign thread", "INSERT INTO journal.message (thread_id, author_id, "
                "body) VALUES (%(t)s, %(me)s, 'Проба')", {"t": "thread:other", "me": "me"},
                frozenset()),
        Attempt("edit a message", "UPDATE journal.message SET body = 'Проба'", {}, frozenset()),
        Attempt("delete a message", "DELETE FROM journal.message", {}, frozenset()),
    ],
    "history": [
        Attempt("insert history", "INSERT INTO journal.change_log (table_name, action, row_key) "
                "VALUES ('mark', 'INSERT', '{}')", {}, frozenset()),
        Attempt("update history", "UPDATE journal.change_log SET reason = 'подделка'", {},
                frozenset()),
        Attempt("delete history", "DELETE FROM journal.change_log", {}, frozenset()),
    ],
}
