-- 0073: the rights check of a report runs once per report, not once per load. In 0070 the
-- one-row CTE holding journal._report_scope() was inlined by the planner into the filter on
-- teaching_load, so a teacher's report evaluated the scope (their loads, their curated
-- groups) for every load of the college; MATERIALIZED keeps it one evaluation. And the
-- «no marks in the last N lessons» part of the filling control looks up, per load, who has
-- a mark since its N-th lesson from the end (through the indexes), instead of an anti-join
-- the planner ran as a nested loop over every student (2.5 s on the small demo).

SET LOCAL search_path = pg_catalog, journal;

-- The loads a report covers: in scope and with a period overlapping the dates.
CREATE OR REPLACE FUNCTION journal._report_loads(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_id integer, group_name text, course integer,
               discipline text, teacher_id bigint, teacher text, period_id integer,
               period_ends date, subgroup_id integer, planned_hours integer, part text)
LANGUAGE sql STABLE AS $$
    WITH scope AS MATERIALIZED (SELECT journal._report_scope() AS ids)
    SELECT t.id, g.id, g.name,
           (extract(year FROM y.starts_on)::int - g.admission_year + 1),
           d.title, t.teacher_id,
           tp.surname || ' ' || left(tp.name, 1) || '.' ||
               CASE WHEN tp.patronymic <> '' THEN ' ' || left(tp.patronymic, 1) || '.' ELSE '' END,
           p.id, p.ends_on, t.subgroup_id, t.planned_hours,
           g.name || coalesce(' (' || sg.name || ')', '')
      FROM scope, journal.teaching_load t
      JOIN journal.period p ON p.id = t.period_id
      JOIN journal.academic_year y ON y.id = p.year_id
      JOIN journal.study_group g ON g.id = t.group_id
      JOIN journal.discipline d ON d.id = t.discipline_id
      JOIN journal.person tp ON tp.id = t.teacher_id
      LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
     WHERE p.starts_on <= p_to AND p.ends_on >= p_from
       AND (scope.ids IS NULL OR t.id = ANY (scope.ids))
$$;


-- Gaps in filling the journal (R8, regulation 3.8) among lessons dated p_from … p_to:
--   topic       a lesson held without its topic;
--   attendance  a lesson held without attendance taken;
--   homework    a lesson held without homework;
--   late        filled more than p_late_days days after the lesson (the server's stamp);
--   no_marks    a student without a mark in the load's last p_no_marks lessons held;
--   statement   a statement not closed after the day it was held.
CREATE OR REPLACE FUNCTION journal.report_gaps(p_from date, p_to date, p_late_days integer DEFAULT 1,
                                    p_no_marks integer DEFAULT 8)
RETURNS TABLE (kind text, load_id integer, lesson_id integer, student_id bigint,
               lesson_date date, pair_no smallint, group_name text, discipline text,
               teacher_id bigint, teacher text, student text, detail text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to)),
    lessons AS MATERIALIZED (
        SELECT l.*, x.part AS group_name, x.discipline, x.teacher_id AS owner_id, x.teacher,
               x.group_id, x.subgroup_id
          FROM loads x JOIN journal.lesson l ON l.load_id = x.load_id
         WHERE l.lesson_date BETWEEN p_from AND least(p_to, current_date)),
    held AS (
        SELECT l.*, row_number() OVER (PARTITION BY l.load_id
                                       ORDER BY l.lesson_date DESC, l.pair_no DESC) AS back
          FROM lessons l),
    anchors AS MATERIALIZED (
        -- the load's p_no_marks-th lesson from the end, with who has a mark since then
        SELECT h.*,
               coalesce((SELECT array_agg(DISTINCT m.student_id)
                           FROM journal.lesson r JOIN journal.mark m ON m.lesson_id = r.id
                          WHERE r.load_id = h.load_id
                            AND (r.lesson_date, r.pair_no) >= (h.lesson_date, h.pair_no)
                            AND r.lesson_date <= least(p_to, current_date)), '{}') AS marked
          FROM held h WHERE h.back = p_no_marks)
    SELECT 'topic', l.load_id, l.id, NULL::bigint, l.lesson_date, l.pair_no, l.group_name,
           l.discipline, l.owner_id, l.teacher, '', 'нет темы занятия'
      FROM lessons l WHERE btrim(l.topic) = '' AND l.ktp_topic_id IS NULL
    UNION ALL
    SELECT 'attendance', l.load_id, l.id, NULL, l.lesson_date, l.pair_no, l.group_name,
           l.discipline, l.owner_id, l.teacher, '', 'посещаемость не отмечена'
      FROM lessons l
     WHERE NOT EXISTS (SELECT FROM journal.attendance a WHERE a.lesson_id = l.id)
    UNION ALL
    SELECT 'homework', l.load_id, l.id, NULL, l.lesson_date, l.pair_no, l.group_name,
           l.discipline, l.owner_id, l.teacher, '', 'нет домашнего задания'
      FROM lessons l
     WHERE btrim(l.homework || l.homework_pages || l.homework_tasks || l.homework_practical) = ''
    UNION ALL
    SELECT 'late', l.load_id, l.id, NULL, l.lesson_date, l.pair_no, l.group_name,
           l.discipline, l.owner_id, l.teacher, '',
           'заполнено ' || to_char(l.filled_at, 'DD.MM.YYYY') || ' — через '
               || (l.filled_at::date - l.lesson_date) || ' дн.'
      FROM lessons l WHERE l.filled_at::date - l.lesson_date > p_late_days
    UNION ALL
    SELECT 'no_marks', h.load_id, h.id, s.student_id, h.lesson_date, h.pair_no, h.group_name,
           h.discipline, h.owner_id, h.teacher, s.student,
           'нет отметок за последние ' || p_no_marks || ' занятий'
      FROM anchors h
     CROSS JOIN LATERAL journal._load_students(h.load_id, h.group_id, h.subgroup_id) s
     WHERE NOT s.student_id = ANY (h.marked)
    UNION ALL
    SELECT 'statement', x.load_id, NULL, NULL, st.held_on, NULL::smallint, x.part,
           x.discipline, x.teacher_id, x.teacher, '',
           'ведомость (' || st.form || ') не закрыта после ' || to_char(st.held_on, 'DD.MM.YYYY')
      FROM loads x JOIN journal.statement st ON st.load_id = x.load_id
     WHERE st.closed_at IS NULL AND st.held_on < current_date
       AND st.held_on BETWEEN p_from AND p_to
$$;


ALTER FUNCTION journal._report_loads(date, date) OWNER TO ej_security;
ALTER FUNCTION journal.report_gaps(date, date, integer, integer) OWNER TO ej_security;
