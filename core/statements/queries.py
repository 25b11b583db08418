"""The SQL of attestation statements (R6): the list, the loads still without a statement, a
sheet's students and current marks, its reopenings, the teachers who may examine.

Every query runs on the person's own connection: row-level security decides which statements
come back. Names are built by :func:`kernel.text.short_name_sql`.
"""

from __future__ import annotations

from core.journal.load_sql import LOAD_NAMES
from kernel.text import short_name_sql

LIST = f"""
SELECT s.load_id, g.name, coalesce(sg.name, ''), d.title, p.title || ' ' || y.title, s.form,
       s.id, s.number, s.held_on, s.examiner_id, coalesce({short_name_sql('ex')}, ''),
       s.closed_at, coalesce({short_name_sql('cp')}, s.closed_by, ''),
       (SELECT count(*) FROM journal.statement_mark m WHERE m.statement_id = s.id),
       (SELECT count(*) FROM journal.student st WHERE st.group_id = t.group_id
          AND (t.subgroup_id IS NULL OR st.subgroup_id = t.subgroup_id)
          AND (st.status = 'обучается' OR EXISTS (SELECT FROM journal.statement_mark m
               WHERE m.statement_id = s.id AND m.student_id = st.person_id)))
       + (SELECT count(*) FROM journal.student st      -- transferred out: as on the sheet
           WHERE st.group_id <> t.group_id
             AND st.person_id IN (SELECT f.student_id FROM journal.student_movement f
                                   WHERE f.group_id = t.group_id)
             AND (EXISTS (SELECT FROM journal.statement_mark m
                           WHERE m.statement_id = s.id AND m.student_id = st.person_id)
                  OR (t.subgroup_id IS NULL AND journal.study_state(st.person_id, t.group_id,
                          coalesce(s.held_on, %(today)s::date)) IS NULL))),
       (t.teacher_id = %(me)s OR s.examiner_id = %(me)s),
       %(today)s::date BETWEEN y.starts_on AND y.ends_on
  FROM journal.statement s
  JOIN journal.teaching_load t ON t.id = s.load_id{LOAD_NAMES}
  LEFT JOIN journal.person ex ON ex.id = s.examiner_id
  LEFT JOIN journal.account ca ON ca.login = s.closed_by
  LEFT JOIN journal.person cp ON cp.id = ca.person_id
 WHERE %(id)s::int IS NULL OR s.id = %(id)s::int
 ORDER BY (t.teacher_id = %(me)s OR s.examiner_id = %(me)s) DESC, y.starts_on DESC, p.number DESC,
          g.name, sg.name, d.title, s.form
"""

ATTESTABLE = f"""
SELECT t.id, g.name, coalesce(sg.name, ''), d.title, p.title || ' ' || y.title, ci.attestation,
       t.teacher_id, coalesce({short_name_sql('tp')}, ''), t.teacher_id = %(me)s
  FROM journal.teaching_load t{LOAD_NAMES}
  JOIN journal.curriculum_item ci ON ci.id = t.curriculum_item_id
  LEFT JOIN journal.person tp ON tp.id = t.teacher_id
 WHERE ci.attestation = ANY(%(forms)s)
   AND p.closed_at IS NULL AND y.archived_at IS NULL
   AND (%(any)s OR t.teacher_id = %(me)s)
   AND NOT EXISTS (SELECT FROM journal.statement s WHERE s.load_id = t.id AND s.form = ci.attestation)
 ORDER BY (t.teacher_id = %(me)s) DESC, %(today)s::date > p.ends_on, p.starts_on, g.name, sg.name, d.title
"""

# A student not studying on the statement's date (or today, while it has none) is listed
# greyed when on academic leave or holding a mark, and left out otherwise (migration 0030).
# A student transferred to another group (migration 0032) stays on the old group's statements
# of the periods they studied in: a normal line when the statement's date is before the
# transfer, greyed («пер.») after it. Their subgroup here is not known, so a subgroup's
# statement lists them only when they hold a current mark of its load or of the statement.
SHEET_STUDENTS = """
SELECT x.person_id, x.full_name, x.record_book_no, x.value, coalesce(x.state, '')
  FROM (SELECT st.person_id, p.surname, p.name, p.patronymic,
               p.surname || ' ' || p.name || coalesce(' ' || nullif(p.patronymic, ''), '') AS full_name,
               st.record_book_no, sm.value,
               journal.study_state(st.person_id, t.group_id, coalesce(s.held_on, %(today)s::date)) AS state,
               st.group_id <> t.group_id AS former
          FROM journal.statement s
          JOIN journal.teaching_load t ON t.id = s.load_id
          JOIN journal.period pd ON pd.id = t.period_id
          JOIN journal.student st ON (st.group_id = t.group_id
               AND (t.subgroup_id IS NULL OR st.subgroup_id = t.subgroup_id))
            OR (st.group_id <> t.group_id
                AND CASE WHEN st.person_id IN (SELECT m.student_id FROM journal.student_movement m
                                                WHERE m.group_id = t.group_id)
                    THEN (journal.study_state(st.person_id, t.group_id, pd.starts_on) IS NULL
                          OR EXISTS (SELECT FROM journal.student_movement m
                                      WHERE m.student_id = st.person_id AND m.group_id = t.group_id
                                        AND m.on_date BETWEEN pd.starts_on AND pd.ends_on))
                         AND (t.subgroup_id IS NULL
                              OR EXISTS (SELECT FROM journal.mark k WHERE k.load_id = t.id
                                            AND k.student_id = st.person_id)
                              OR EXISTS (SELECT FROM journal.statement_mark k
                                          WHERE k.statement_id = s.id AND k.student_id = st.person_id))
                    ELSE false END)
          JOIN journal.person p ON p.id = st.person_id
          LEFT JOIN journal.statement_mark sm ON sm.statement_id = s.id AND sm.student_id = st.person_id
         WHERE s.id = %(id)s) x
 WHERE x.state IS NULL OR x.state = 'академический отпуск' OR x.value IS NOT NULL
       OR (x.former AND x.state = 'переведён')
 ORDER BY x.surname, x.name, x.patronymic, x.person_id
"""

SHEET_MARKS = """
SELECT m.student_id, m.value
  FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id
 WHERE m.load_id = (SELECT load_id FROM journal.statement WHERE id = %(id)s)
 ORDER BY l.lesson_date, l.pair_no, m.id
"""

PASS_FAIL = """SELECT t.pass_fail FROM journal.statement s JOIN journal.teaching_load t
                ON t.id = s.load_id WHERE s.id = %(id)s"""

REOPENINGS = """
SELECT changed_at, changed_by, reason FROM journal.change_log
 WHERE table_name = 'statement' AND row_key ->> 'id' = %(id)s::text
   AND old_value ->> 'closed_at' IS NOT NULL AND new_value ->> 'closed_at' IS NULL
 ORDER BY changed_at
"""

TEACHERS = f"""
SELECT p.id, {short_name_sql('p')}
  FROM journal.person p JOIN journal.person_role r ON r.person_id = p.id AND r.role = 'teacher'
 ORDER BY p.surname, p.name, p.patronymic
"""
