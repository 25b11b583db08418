-- 0076: attendance by week for the attendance report's week chart (issue 14: "the week's and
-- month's attendance as a chart"). The tally (0072) holds months, so weeks are read from the
-- journal itself; only on demand (the chart by weeks), over the loads the caller may report
-- on (the same rights check as every report, journal._report_loads).

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal.report_attendance_weeks(p_from date, p_to date)
RETURNS TABLE (week date, held integer, excused integer, unexcused integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to))
    SELECT date_trunc('week', l.lesson_date)::date,
           sum(l.hours)::int,
           coalesce(sum(l.hours) FILTER (WHERE a.code = 'НУ'), 0)::int,
           coalesce(sum(l.hours) FILTER (WHERE a.code = 'НН'), 0)::int
      FROM loads x
      JOIN journal.lesson l ON l.load_id = x.load_id
      JOIN journal.attendance a ON a.lesson_id = l.id
     WHERE l.lesson_date BETWEEN p_from AND p_to
     GROUP BY 1
     ORDER BY 1
$$;

ALTER FUNCTION journal.report_attendance_weeks(date, date) OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.report_attendance_weeks(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.report_attendance_weeks(date, date) TO ej_login;
