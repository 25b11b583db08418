-- 0072: a summary the server keeps current for the reports (issue 14): marks by value and
-- hours held / missed (НУ, НН) per load, student and month. Statement-level triggers with
-- transition tables add what a statement inserted and subtract what it deleted (one upsert
-- per statement, not per row); a lesson's date or hours changing moves its contributions; a
-- lesson deleted takes its contributions away before its marks and attendance cascade.
-- Read as the marks are (a policy like mark_select), written only by the triggers; the
-- reports read whole months from it and only the days at the edges of a date range from
-- the journal itself.

SET LOCAL search_path = pg_catalog, journal;

CREATE TABLE journal.report_tally (
    load_id     integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    student_id  bigint NOT NULL REFERENCES journal.student ON DELETE CASCADE,
    month       date NOT NULL,
    n5          integer NOT NULL DEFAULT 0,
    n4          integer NOT NULL DEFAULT 0,
    n3          integer NOT NULL DEFAULT 0,
    n2          integer NOT NULL DEFAULT 0,
    n_pass      integer NOT NULL DEFAULT 0,
    n_fail      integer NOT NULL DEFAULT 0,
    held        integer NOT NULL DEFAULT 0,
    excused     integer NOT NULL DEFAULT 0,
    unexcused   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (load_id, student_id, month)
);
CREATE INDEX report_tally_student_idx ON journal.report_tally (student_id);
ALTER TABLE journal.report_tally OWNER TO ej_owner;
ALTER TABLE journal.report_tally ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.report_tally FORCE ROW LEVEL SECURITY;
GRANT SELECT ON journal.report_tally TO ej_login, ej_backup, ej_security;
GRANT INSERT, UPDATE, DELETE ON journal.report_tally TO ej_security;
-- Whoever reads the marks and attendance reads their sums; only the triggers write.
CREATE POLICY report_tally_select ON journal.report_tally FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));

-- The statement adding (p_sign 1) or subtracting (-1) the marks of a relation (a transition
-- table's name, or a subquery in parentheses, with lesson_id, load_id, student_id, value) to
-- the tally by the lessons' months. The trigger functions EXECUTE it themselves: transition
-- tables are visible only to the trigger function's own statements.
CREATE FUNCTION journal._tally_marks_sql(p_rows text, p_sign integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
    SELECT format($q$
        INSERT INTO journal.report_tally AS t (load_id, student_id, month, n5, n4, n3, n2,
                                               n_pass, n_fail)
        SELECT r.load_id, r.student_id, date_trunc('month', l.lesson_date)::date,
               %2$s * count(*) FILTER (WHERE r.value = '5'),
               %2$s * count(*) FILTER (WHERE r.value = '4'),
               %2$s * count(*) FILTER (WHERE r.value = '3'),
               %2$s * count(*) FILTER (WHERE r.value = '2'),
               %2$s * count(*) FILTER (WHERE r.value = 'зачёт'),
               %2$s * count(*) FILTER (WHERE r.value = 'незачёт')
          FROM %1$s r JOIN journal.lesson l ON l.id = r.lesson_id
         GROUP BY 1, 2, 3
        ON CONFLICT (load_id, student_id, month) DO UPDATE
           SET n5 = t.n5 + EXCLUDED.n5, n4 = t.n4 + EXCLUDED.n4, n3 = t.n3 + EXCLUDED.n3,
               n2 = t.n2 + EXCLUDED.n2, n_pass = t.n_pass + EXCLUDED.n_pass,
               n_fail = t.n_fail + EXCLUDED.n_fail$q$, p_rows, p_sign)
$f$;

-- The same for attendance (lesson_id, load_id, student_id, code): hours held (any code) and
-- missed (НУ, НН).
CREATE FUNCTION journal._tally_attendance_sql(p_rows text, p_sign integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
    SELECT format($q$
        INSERT INTO journal.report_tally AS t (load_id, student_id, month, held, excused,
                                               unexcused)
        SELECT r.load_id, r.student_id, date_trunc('month', l.lesson_date)::date,
               %2$s * sum(l.hours),
               %2$s * coalesce(sum(l.hours) FILTER (WHERE r.code = 'НУ'), 0),
               %2$s * coalesce(sum(l.hours) FILTER (WHERE r.code = 'НН'), 0)
          FROM %1$s r JOIN journal.lesson l ON l.id = r.lesson_id
         GROUP BY 1, 2, 3
        ON CONFLICT (load_id, student_id, month) DO UPDATE
           SET held = t.held + EXCLUDED.held, excused = t.excused + EXCLUDED.excused,
               unexcused = t.unexcused + EXCLUDED.unexcused$q$, p_rows, p_sign)
$f$;

CREATE FUNCTION journal.tally_marks() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE journal._tally_marks_sql('gone', -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE journal._tally_marks_sql('came', 1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION journal.tally_attendance() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE journal._tally_attendance_sql('gone', -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE journal._tally_attendance_sql('came', 1);
    END IF;
    RETURN NULL;
END $$;

-- A lesson deleted: take its marks and attendance out before they cascade (their own
-- triggers then find no lesson and add nothing). A lesson moved to another date or given
-- other hours: take out what it added with the old date and hours, add it with the new.
CREATE FUNCTION journal.tally_lesson() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_marks text := format('(SELECT lesson_id, load_id, student_id, value FROM journal.mark '
                           'WHERE lesson_id = %s)', OLD.id);
    v_attendance text := format('(SELECT lesson_id, load_id, student_id, code '
                                'FROM journal.attendance WHERE lesson_id = %s)', OLD.id);
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- BEFORE DELETE: the lesson is still there to be joined
        EXECUTE journal._tally_marks_sql(v_marks, -1);
        EXECUTE journal._tally_attendance_sql(v_attendance, -1);
        RETURN OLD;
    END IF;
    -- AFTER UPDATE: the old month and hours come from OLD, the new ones from the table
    INSERT INTO journal.report_tally AS t (load_id, student_id, month, n5, n4, n3, n2, n_pass,
                                           n_fail)
    SELECT m.load_id, m.student_id, date_trunc('month', OLD.lesson_date)::date,
           -count(*) FILTER (WHERE m.value = '5'), -count(*) FILTER (WHERE m.value = '4'),
           -count(*) FILTER (WHERE m.value = '3'), -count(*) FILTER (WHERE m.value = '2'),
           -count(*) FILTER (WHERE m.value = 'зачёт'),
           -count(*) FILTER (WHERE m.value = 'незачёт')
      FROM journal.mark m WHERE m.lesson_id = OLD.id GROUP BY 1, 2, 3
    ON CONFLICT (load_id, student_id, month) DO UPDATE
       SET n5 = t.n5 + EXCLUDED.n5, n4 = t.n4 + EXCLUDED.n4, n3 = t.n3 + EXCLUDED.n3,
           n2 = t.n2 + EXCLUDED.n2, n_pass = t.n_pass + EXCLUDED.n_pass,
           n_fail = t.n_fail + EXCLUDED.n_fail;
    INSERT INTO journal.report_tally AS t (load_id, student_id, month, held, excused, unexcused)
    SELECT a.load_id, a.student_id, date_trunc('month', OLD.lesson_date)::date,
           -count(*) * OLD.hours, -count(*) FILTER (WHERE a.code = 'НУ') * OLD.hours,
           -count(*) FILTER (WHERE a.code = 'НН') * OLD.hours
      FROM journal.attendance a WHERE a.lesson_id = OLD.id GROUP BY 1, 2, 3
    ON CONFLICT (load_id, student_id, month) DO UPDATE
       SET held = t.held + EXCLUDED.held, excused = t.excused + EXCLUDED.excused,
           unexcused = t.unexcused + EXCLUDED.unexcused;
    EXECUTE journal._tally_marks_sql(v_marks, 1);
    EXECUTE journal._tally_attendance_sql(v_attendance, 1);
    RETURN NULL;
END $$;

CREATE TRIGGER mark_tally_ins AFTER INSERT ON journal.mark
    REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION journal.tally_marks();
CREATE TRIGGER mark_tally_upd AFTER UPDATE ON journal.mark
    REFERENCING OLD TABLE AS gone NEW TABLE AS came
    FOR EACH STATEMENT EXECUTE FUNCTION journal.tally_marks();
CREATE TRIGGER mark_tally_del AFTER DELETE ON journal.mark
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION journal.tally_marks();
CREATE TRIGGER attendance_tally_ins AFTER INSERT ON journal.attendance
    REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION journal.tally_attendance();
CREATE TRIGGER attendance_tally_upd AFTER UPDATE ON journal.attendance
    REFERENCING OLD TABLE AS gone NEW TABLE AS came
    FOR EACH STATEMENT EXECUTE FUNCTION journal.tally_attendance();
CREATE TRIGGER attendance_tally_del AFTER DELETE ON journal.attendance
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION journal.tally_attendance();
CREATE TRIGGER lesson_tally_del BEFORE DELETE ON journal.lesson
    FOR EACH ROW EXECUTE FUNCTION journal.tally_lesson();
CREATE TRIGGER lesson_tally_move AFTER UPDATE OF lesson_date, hours ON journal.lesson
    FOR EACH ROW WHEN (OLD.lesson_date IS DISTINCT FROM NEW.lesson_date
                       OR OLD.hours IS DISTINCT FROM NEW.hours)
    EXECUTE FUNCTION journal.tally_lesson();

-- What is in the journal now.
INSERT INTO journal.report_tally (load_id, student_id, month, n5, n4, n3, n2, n_pass, n_fail,
                                  held, excused, unexcused)
SELECT load_id, student_id, month, sum(n5), sum(n4), sum(n3), sum(n2), sum(n_pass),
       sum(n_fail), sum(held), sum(excused), sum(unexcused)
  FROM (SELECT m.load_id, m.student_id, date_trunc('month', l.lesson_date)::date AS month,
               count(*) FILTER (WHERE m.value = '5') AS n5,
               count(*) FILTER (WHERE m.value = '4') AS n4,
               count(*) FILTER (WHERE m.value = '3') AS n3,
               count(*) FILTER (WHERE m.value = '2') AS n2,
               count(*) FILTER (WHERE m.value = 'зачёт') AS n_pass,
               count(*) FILTER (WHERE m.value = 'незачёт') AS n_fail,
               0 AS held, 0 AS excused, 0 AS unexcused
          FROM journal.mark m JOIN journal.lesson l ON l.id = m.lesson_id GROUP BY 1, 2, 3
        UNION ALL
        SELECT a.load_id, a.student_id, date_trunc('month', l.lesson_date)::date,
               0, 0, 0, 0, 0, 0, sum(l.hours),
               coalesce(sum(l.hours) FILTER (WHERE a.code = 'НУ'), 0),
               coalesce(sum(l.hours) FILTER (WHERE a.code = 'НН'), 0)
          FROM journal.attendance a JOIN journal.lesson l ON l.id = a.lesson_id GROUP BY 1, 2, 3
       ) x
 GROUP BY 1, 2, 3;

-- The reports read whole months from the tally and the days at the range's edges from the
-- journal. [p_from, p_to] splits into the whole months inside it, [m_first, m_end), and the
-- rest.
CREATE FUNCTION journal._whole_months(p_from date, p_to date, OUT m_first date, OUT m_end date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_from = date_trunc('month', p_from)::date THEN p_from
                ELSE (date_trunc('month', p_from) + interval '1 month')::date END,
           date_trunc('month', p_to + 1)::date
$$;

CREATE OR REPLACE FUNCTION journal.report_results(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_id integer, group_name text, course integer,
               discipline text, teacher_id bigint, teacher text, student_id bigint,
               student text, n5 integer, n4 integer, n3 integer, n2 integer, n_pass integer,
               n_fail integer, final text, pass_fail boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to)),
    span AS (SELECT * FROM journal._whole_months(p_from, p_to)),
    parts AS (
        SELECT t.load_id, t.student_id, t.n5, t.n4, t.n3, t.n2, t.n_pass, t.n_fail
          FROM loads x JOIN journal.report_tally t ON t.load_id = x.load_id, span
         WHERE t.month >= span.m_first AND t.month < span.m_end
        UNION ALL
        SELECT m.load_id, m.student_id,
               (m.value = '5')::int, (m.value = '4')::int, (m.value = '3')::int,
               (m.value = '2')::int, (m.value = 'зачёт')::int, (m.value = 'незачёт')::int
          FROM loads x JOIN journal.lesson l ON l.load_id = x.load_id
          JOIN journal.mark m ON m.lesson_id = l.id, span
         WHERE l.lesson_date BETWEEN p_from AND p_to
           AND NOT (l.lesson_date >= span.m_first AND l.lesson_date < span.m_end)),
    counts AS (
        SELECT p.load_id, p.student_id, sum(p.n5)::int AS n5, sum(p.n4)::int AS n4,
               sum(p.n3)::int AS n3, sum(p.n2)::int AS n2, sum(p.n_pass)::int AS n_pass,
               sum(p.n_fail)::int AS n_fail
          FROM parts p GROUP BY 1, 2)
    SELECT x.load_id, x.group_id, x.group_name, x.course, x.discipline, x.teacher_id, x.teacher,
           s.student_id, s.student, coalesce(c.n5, 0), coalesce(c.n4, 0), coalesce(c.n3, 0),
           coalesce(c.n2, 0), coalesce(c.n_pass, 0), coalesce(c.n_fail, 0),
           CASE WHEN p_to >= x.period_ends THEN f.value END, t.pass_fail
      FROM loads x
      JOIN journal.teaching_load t ON t.id = x.load_id
     CROSS JOIN LATERAL journal._load_students(x.load_id, x.group_id, x.subgroup_id) s
      LEFT JOIN counts c ON c.load_id = x.load_id AND c.student_id = s.student_id
      LEFT JOIN journal.final_mark f ON f.load_id = x.load_id AND f.student_id = s.student_id
$$;

CREATE OR REPLACE FUNCTION journal.report_absences(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_id integer, group_name text, course integer,
               discipline text, teacher_id bigint, teacher text, student_id bigint,
               student text, month date, held integer, excused integer, unexcused integer)
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
    sums AS (
        SELECT p.load_id, p.student_id, p.month, sum(p.held)::int AS held,
               sum(p.excused)::int AS excused, sum(p.unexcused)::int AS unexcused
          FROM parts p GROUP BY 1, 2, 3)
    SELECT x.load_id, x.group_id, x.group_name, x.course, x.discipline, x.teacher_id, x.teacher,
           s.student_id,
           p.surname || ' ' || p.name || CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic
                                              ELSE '' END,
           s.month, s.held, s.excused, s.unexcused
      FROM loads x
      JOIN sums s ON s.load_id = x.load_id
      JOIN journal.person p ON p.id = s.student_id
$$;

DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND p.proname IN ('_tally_marks_sql', '_tally_attendance_sql', 'tally_marks',
                                  'tally_attendance', 'tally_lesson', '_whole_months',
                                  'report_results', 'report_absences')
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.proname LIKE 'report\_%' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f.sig);
        END IF;
    END LOOP;
END $$;
