"""The page read through journal.page_rows (migration 0077) is the page the seven statements
read under row-level security, row for row, on the demo college: for the teacher, the office
and support staff, on every load of the teacher's groups (the teacher's own through the
function, the others' through the policies), with a student transferred out of a page and
students on leave or expelled in the demo's data.
"""

from __future__ import annotations

from core.journal.queries import read_page
from core.journal.service import load_page
from tests.demo_fixture import DemoDb
from tests.transfer_fixture import transfer_student

GROUP_LOADS = """
SELECT t.id FROM journal.teaching_load t
 WHERE t.group_id IN (SELECT o.group_id FROM journal.teaching_load o
                       JOIN journal.account a ON a.person_id = o.teacher_id WHERE a.login = %s)
 ORDER BY t.id
"""


def _compare(session, loads: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Assert both readings are equal on every load; return how many the function served."""
    served = 0
    with session.cursor() as cur:
        for load_id in loads:
            statements = read_page(cur.connection, load_id, whole=False)
            if session.person.has("teacher", "office", "support", "admin"):
                served += bool(cur.connection.execute("SELECT * FROM journal.page_rows(%s)",
                                                      (load_id,)).fetchall())
                assert read_page(cur.connection, load_id) == statements, load_id
    return served


def test_the_function_reads_the_page_the_policies_show(demo_db: DemoDb) -> None:
    moved = transfer_student(demo_db)
    teacher = demo_db.log_in("преподаватель")
    with demo_db.connect() as conn:
        loads = [row[0] for row in conn.execute(GROUP_LOADS, (teacher.person.login,)).fetchall()]
        own = conn.execute("SELECT count(*) FROM journal.teaching_load WHERE id = ANY(%s) "
                           "AND teacher_id = %s", (loads, teacher.person.person_id)).fetchone()[0]
        away = conn.execute("SELECT count(*) FROM journal.student s JOIN journal.teaching_load t "
                            "ON t.group_id = s.group_id WHERE t.id = ANY(%s) "
                            "AND s.status <> 'обучается'", (loads, )).fetchone()[0]
    assert moved.load_id in loads and away > 0     # the pages hold students who do not study
    assert _compare(teacher, loads) == own > 0     # their own loads; the others' fall back
    assert _compare(demo_db.log_in("работник учебной части"), loads) == len(loads)
    assert _compare(demo_db.log_in("социальный педагог"), loads) == len(loads)
    page = load_page(teacher, moved.load_id).page
    assert moved.student_id in page.row_of                       # kept on the old group's page
    assert page.away_sign(moved.student_id, moved.after) is not None
    assert page.away_sign(moved.student_id, moved.before) is None
