-- 0074: attendance summed in the database along the report's dimension (group, student,
-- month, discipline): the college's year is ~60,000 rows per student, load and month, and
-- moving them to the program to add them up cost more than the reading (issue 14's
-- benchmark). Same rights check and the same tally-and-edges reading as report_absences.

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal.report_attendance_totals(p_from date, p_to date, p_by text)
RETURNS TABLE (key1 text, key2 text, held integer, excused integer, unexcused integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to)),
    span AS (SELECT * FROM journal._whole_months(p_from, p_to)),
    parts AS (
        SELECT t.load_id, t.student_id, t.month, t.held, t.excused, t.unexcused
          FROM loads x JOIN journal.report_tally t ON t.load_id = x.load_id, span
         WHERE t.month >= span.m_first AND t.month < span.m_end AND t.held <> 0
        UNION ALL
        SELECT a.load_id, a.student_id, date_trunc('month', l.lesson_date)::date, l.hours,
               CASE WHEN a.code = 'НУ' THEN l.hours ELSE 0 END,
               CASE WHEN a.code = 'НН' THEN l.hours ELSE 0 END
          FROM loads x JOIN journal.lesson l ON l.load_id = x.load_id
          JOIN journal.attendance a ON a.lesson_id = l.id, span
         WHERE l.lesson_date BETWEEN p_from AND p_to
           AND NOT (l.lesson_date >= span.m_first AND l.lesson_date < span.m_end)),
    keyed AS (
        SELECT CASE p_by WHEN 'month' THEN to_char(p.month, 'YYYY-MM')
                         WHEN 'discipline' THEN x.discipline ELSE x.group_name END AS key1,
               CASE WHEN p_by = 'student' THEN p.student_id END AS student_id,
               p.held, p.excused, p.unexcused
          FROM parts p JOIN loads x ON x.load_id = p.load_id),
    sums AS (
        SELECT k.key1, k.student_id, sum(k.held)::int AS held, sum(k.excused)::int AS excused,
               sum(k.unexcused)::int AS unexcused
          FROM keyed k GROUP BY 1, 2)
    SELECT s.key1,
           coalesce(pr.surname || ' ' || pr.name ||
                    CASE WHEN pr.patronymic <> '' THEN ' ' || pr.patronymic ELSE '' END, ''),
           s.held, s.excused, s.unexcused
      FROM sums s LEFT JOIN journal.person pr ON pr.id = s.student_id
$$;

ALTER FUNCTION journal.report_attendance_totals(date, date, text) OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.report_attendance_totals(date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.report_attendance_totals(date, date, text) TO ej_login;
