"""Gaps, marks and absences added to the small college, with the figures worked out by hand.

Load ``la`` (group GA: sa1, sa2, sa3; teacher ``teacher``; curator ``curator``) gets, besides
the world's lesson la1 of today (marks 5 of sa1 and sa2, sa1 present):

* lesson A, today − 3, pair 2: no topic, no homework, no attendance (nothing filled);
* lesson B, today − 10, pair 1: topic and homework, filled 5 days late; marks sa1 4, sa2 2
  and 3; attendance sa1 НН, sa2 НУ, sa3 П;
* its statement held today − 2 and not closed.

Load ``lb`` (group GB, teacher2, curator2) gets lesson C, today − 1: no homework.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.security.world import World


def _one(conn: Any, query: str, args: tuple[Any, ...]) -> int:
    row = conn.execute(query, args).fetchone()
    assert row is not None
    return int(row[0])


def add_gaps(su: Any, w: World) -> dict[str, int]:
    """Add the rows above; the new lessons' ids by name."""
    today, la, lb = w.today, w.load["la"], w.load["lb"]
    teacher, teacher2 = w.person["teacher"], w.person["teacher2"]
    ids = {"A": _one(su, """INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by)
                            VALUES (%s, %s, 2, %s) RETURNING id""",
                     (la, today - dt.timedelta(days=3), teacher))}
    day_b = today - dt.timedelta(days=10)
    filled = dt.datetime.combine(day_b + dt.timedelta(days=5), dt.time(12), dt.UTC)
    ids["B"] = _one(su, """INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by,
                           topic, homework, filled_at) VALUES (%s, %s, 1, %s, 'Тема Б',
                           'Задание Б', %s) RETURNING id""", (la, day_b, teacher, filled))
    for who, value, kind in (("sa1", "4", "oral"), ("sa2", "2", "oral"), ("sa2", "3", "written")):
        su.execute("""INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)
                      VALUES (%s, %s, %s, %s, %s)""", (ids["B"], la, w.person[who], kind, value))
    for who, code in (("sa1", "НН"), ("sa2", "НУ"), ("sa3", "П")):
        su.execute("""INSERT INTO journal.attendance (lesson_id, load_id, student_id, code)
                      VALUES (%s, %s, %s, %s)""", (ids["B"], la, w.person[who], code))
    su.execute("UPDATE journal.statement SET held_on = %s WHERE id = %s",
               (today - dt.timedelta(days=2), w.statement["la"]))
    ids["C"] = _one(su, """INSERT INTO journal.lesson (load_id, lesson_date, pair_no, taught_by,
                           topic) VALUES (%s, %s, 1, %s, 'Тема В') RETURNING id""",
                    (lb, today - dt.timedelta(days=1), teacher2))
    su.execute("""INSERT INTO journal.attendance (lesson_id, load_id, student_id, code)
                  VALUES (%s, %s, %s, 'П')""", (ids["C"], lb, w.person["sb1"]))
    return ids
