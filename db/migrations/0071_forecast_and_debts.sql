-- 0071: forecast, risk and academic debts for the reports (R9; issue 14). Same shape as 0070:
-- security-definer functions that check the caller's right once (journal._report_scope).
-- Retake dates of academic debts: insert-only rows (a new date is a new row, so the history
-- of every date set stays), written by the office and the admin.

SET LOCAL search_path = pg_catalog, journal;

-- What the forecast of R9 needs per student and load, up to p_to: the dated marks with
-- their kind of work, НУ and НН hours, lessons held, lessons planned (planned hours / 2).
CREATE FUNCTION journal.report_forecast(p_from date, p_to date, p_group integer DEFAULT NULL)
RETURNS TABLE (load_id integer, group_id integer, group_name text, discipline text,
               teacher_id bigint, teacher text, student_id bigint, student text,
               lessons_planned integer, lessons_held integer, pass_fail boolean, marks jsonb,
               excused integer, unexcused integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (
        SELECT * FROM journal._report_loads(p_from, p_to) x
         WHERE p_group IS NULL OR x.group_id = p_group),
    held AS MATERIALIZED (
        SELECT l.id, l.load_id, l.lesson_date, l.hours
          FROM loads x JOIN journal.lesson l ON l.load_id = x.load_id
         WHERE l.lesson_date <= p_to),
    marks AS (
        SELECT m.load_id, m.student_id,
               jsonb_agg(jsonb_build_array(h.lesson_date, m.value, m.work_kind)
                         ORDER BY h.lesson_date, m.id) AS marks
          FROM held h JOIN journal.mark m ON m.lesson_id = h.id
         GROUP BY m.load_id, m.student_id),
    missed AS (
        SELECT a.load_id, a.student_id,
               (sum(h.hours) FILTER (WHERE a.code = 'НУ'))::int AS excused,
               (sum(h.hours) FILTER (WHERE a.code = 'НН'))::int AS unexcused
          FROM held h JOIN journal.attendance a ON a.lesson_id = h.id
         WHERE a.code <> 'П'
         GROUP BY a.load_id, a.student_id),
    counts AS (SELECT h.load_id, count(*)::int AS n FROM held h GROUP BY h.load_id)
    SELECT x.load_id, x.group_id, x.part, x.discipline, x.teacher_id, x.teacher, s.student_id,
           s.student, greatest(1, x.planned_hours / 2), coalesce(c.n, 0), t.pass_fail,
           coalesce(mk.marks, '[]'), coalesce(ms.excused, 0), coalesce(ms.unexcused, 0)
      FROM loads x
      JOIN journal.teaching_load t ON t.id = x.load_id
     CROSS JOIN LATERAL journal._load_students(x.load_id, x.group_id, x.subgroup_id) s
      LEFT JOIN counts c ON c.load_id = x.load_id
      LEFT JOIN marks mk ON mk.load_id = x.load_id AND mk.student_id = s.student_id
      LEFT JOIN missed ms ON ms.load_id = x.load_id AND ms.student_id = s.student_id
$$;

CREATE TABLE journal.retake (
    statement_id  integer NOT NULL REFERENCES journal.statement ON DELETE CASCADE,
    student_id    bigint NOT NULL REFERENCES journal.student ON DELETE CASCADE,
    retake_on     date NOT NULL,
    note          text NOT NULL DEFAULT '',
    set_at        timestamptz NOT NULL DEFAULT now(),
    set_by        text NOT NULL DEFAULT session_user,
    PRIMARY KEY (statement_id, student_id, set_at)
);
CREATE INDEX retake_student_idx ON journal.retake (student_id);
ALTER TABLE journal.retake OWNER TO ej_owner;
ALTER TABLE journal.retake ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.retake FORCE ROW LEVEL SECURITY;
GRANT SELECT ON journal.retake TO ej_login, ej_backup, ej_security;
GRANT INSERT ON journal.retake TO ej_admin, ej_office;

CREATE POLICY retake_select ON journal.retake FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR statement_id = ANY ((SELECT journal.my_statement_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));
CREATE POLICY retake_insert ON journal.retake FOR INSERT
    WITH CHECK ((SELECT journal.writes_all()) AND set_by = session_user::text);

-- Academic debts (R9): a 2, незачёт or неявка in a closed statement held in the dates, with
-- the latest retake date set for it (NULL: not set yet).
CREATE FUNCTION journal.report_debts(p_from date, p_to date)
RETURNS TABLE (statement_id integer, load_id integer, group_name text, discipline text,
               teacher text, form text, held_on date, student_id bigint, student text,
               value text, retake_on date, note text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to))
    SELECT st.id, x.load_id, x.part, x.discipline, x.teacher, st.form, st.held_on,
           sm.student_id,
           p.surname || ' ' || p.name || CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic
                                              ELSE '' END,
           sm.value, r.retake_on, coalesce(r.note, '')
      FROM loads x
      JOIN journal.statement st ON st.load_id = x.load_id
      JOIN journal.statement_mark sm ON sm.statement_id = st.id
      JOIN journal.person p ON p.id = sm.student_id
      LEFT JOIN LATERAL (SELECT r.retake_on, r.note FROM journal.retake r
                          WHERE r.statement_id = st.id AND r.student_id = sm.student_id
                          ORDER BY r.set_at DESC LIMIT 1) r ON true
     WHERE st.closed_at IS NOT NULL AND sm.value IN ('2', 'незачёт', 'неявка')
       AND (st.held_on IS NULL OR st.held_on BETWEEN p_from AND p_to)
$$;

DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND p.proname IN ('report_forecast', 'report_debts')
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f.sig);
    END LOOP;
END $$;
