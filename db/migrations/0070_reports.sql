-- 0070: the office's reports (R8, R9, R11; issue 14) as security-definer functions that
-- check the caller's right once and then read set-based without row-level security: the
-- office, director, deputies, methodologist and admin read every load; a teacher the loads
-- they teach; a curator the loads of the groups they curate; anyone else nothing. Also the
-- «замечания» (remarks on gaps in filling the journal, RUJEL-style) and the record of the
-- office's fortnightly control (regulation 3.8).

SET LOCAL search_path = pg_catalog, journal;

-- The loads the caller may report on: NULL for readers of everything (and for a superuser
-- session, which reads everything anyway: the admin's printing on the server host, the
-- benchmark's owner side), else an array (possibly empty). Raises for a session that may do
-- nothing or a role with no reports.
CREATE FUNCTION journal._report_scope() RETURNS integer[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_me bigint;
    v_roles text[];
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN NULL;
    END IF;
    SELECT m.person_id, m.roles INTO v_me, v_roles FROM journal._me() m;
    IF v_me IS NULL THEN
        RAISE EXCEPTION 'no access' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_roles && '{admin,director,deputy,office,methodologist}' THEN
        RETURN NULL;
    END IF;
    IF NOT v_roles && '{teacher,curator}' THEN
        RAISE EXCEPTION 'reports are for staff' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN journal._load_ids(v_me, v_roles)
        || coalesce((SELECT array_agg(t.id) FROM journal.teaching_load t
                      WHERE t.group_id = ANY (journal._curated_group_ids(v_me, v_roles))), '{}');
END $$;

-- The loads a report covers: in scope and with a period overlapping the dates.
CREATE FUNCTION journal._report_loads(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_id integer, group_name text, course integer,
               discipline text, teacher_id bigint, teacher text, period_id integer,
               period_ends date, subgroup_id integer, planned_hours integer, part text)
LANGUAGE sql STABLE AS $$
    WITH scope AS (SELECT journal._report_scope() AS ids)
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

-- Students of a load: the group's (or subgroup's) students who study now.
CREATE FUNCTION journal._load_students(p_load integer, p_group integer, p_subgroup integer)
RETURNS TABLE (student_id bigint, student text)
LANGUAGE sql STABLE AS $$
    SELECT s.person_id, p.surname || ' ' || p.name ||
               CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic ELSE '' END
      FROM journal.student s JOIN journal.person p ON p.id = s.person_id
     WHERE s.group_id = p_group AND (p_subgroup IS NULL OR s.subgroup_id = p_subgroup)
       AND s.status = 'обучается'
$$;

-- Gaps in filling the journal (R8, regulation 3.8) among lessons dated p_from … p_to:
--   topic       a lesson held without its topic;
--   attendance  a lesson held without attendance taken;
--   homework    a lesson held without homework;
--   late        filled more than p_late_days days after the lesson (the server's stamp);
--   no_marks    a student without a mark in the load's last p_no_marks lessons held;
--   statement   a statement not closed after the day it was held.
CREATE FUNCTION journal.report_gaps(p_from date, p_to date, p_late_days integer DEFAULT 1,
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
    marked AS (
        SELECT DISTINCT m.load_id, m.student_id
          FROM held h JOIN journal.mark m ON m.lesson_id = h.id
         WHERE h.back <= p_no_marks)
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
      FROM held h
     CROSS JOIN LATERAL journal._load_students(h.load_id, h.group_id, h.subgroup_id) s
     WHERE h.back = p_no_marks
       AND NOT EXISTS (SELECT FROM marked k
                        WHERE k.load_id = h.load_id AND k.student_id = s.student_id)
    UNION ALL
    SELECT 'statement', x.load_id, NULL, NULL, st.held_on, NULL::smallint, x.part,
           x.discipline, x.teacher_id, x.teacher, '',
           'ведомость (' || st.form || ') не закрыта после ' || to_char(st.held_on, 'DD.MM.YYYY')
      FROM loads x JOIN journal.statement st ON st.load_id = x.load_id
     WHERE st.closed_at IS NULL AND st.held_on < current_date
       AND st.held_on BETWEEN p_from AND p_to
$$;

-- Marks of every student of every load in scope over the dates, summed for the
-- performance rules (R8): numeric marks by value, pass/fail counts and the fixed final.
CREATE FUNCTION journal.report_results(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_id integer, group_name text, course integer,
               discipline text, teacher_id bigint, teacher text, student_id bigint,
               student text, n5 integer, n4 integer, n3 integer, n2 integer, n_pass integer,
               n_fail integer, final text, pass_fail boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to)),
    counts AS (
        SELECT m.load_id, m.student_id,
               count(*) FILTER (WHERE m.value = '5')::int AS n5,
               count(*) FILTER (WHERE m.value = '4')::int AS n4,
               count(*) FILTER (WHERE m.value = '3')::int AS n3,
               count(*) FILTER (WHERE m.value = '2')::int AS n2,
               count(*) FILTER (WHERE m.value = 'зачёт')::int AS n_pass,
               count(*) FILTER (WHERE m.value = 'незачёт')::int AS n_fail
          FROM loads x JOIN journal.mark m ON m.load_id = x.load_id
          JOIN journal.lesson l ON l.id = m.lesson_id
         WHERE l.lesson_date BETWEEN p_from AND p_to
         GROUP BY m.load_id, m.student_id)
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

-- Hours held and missed (НУ, НН) per student, load and month over the dates (R8).
CREATE FUNCTION journal.report_absences(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_id integer, group_name text, course integer,
               discipline text, teacher_id bigint, teacher text, student_id bigint,
               student text, month date, held integer, excused integer, unexcused integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to))
    SELECT x.load_id, x.group_id, x.group_name, x.course, x.discipline, x.teacher_id, x.teacher,
           a.student_id,
           p.surname || ' ' || p.name || CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic
                                              ELSE '' END,
           date_trunc('month', l.lesson_date)::date,
           sum(l.hours)::int,
           (sum(l.hours) FILTER (WHERE a.code = 'НУ'))::int,
           (sum(l.hours) FILTER (WHERE a.code = 'НН'))::int
      FROM loads x
      JOIN journal.lesson l ON l.load_id = x.load_id
      JOIN journal.attendance a ON a.lesson_id = l.id
      JOIN journal.person p ON p.id = a.student_id
     WHERE l.lesson_date BETWEEN p_from AND p_to
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
$$;

-- Program fulfilment per load (R8, R11): planned hours (load, curriculum, КТП by lesson
-- type), hours held by lesson type up to p_to, and hours the timetable still has after it.
CREATE FUNCTION journal.report_program(p_from date, p_to date)
RETURNS TABLE (load_id integer, group_name text, discipline text, teacher_id bigint,
               teacher text, planned integer, curriculum integer, curriculum_practical integer,
               curriculum_lab integer, ktp jsonb, held jsonb, scheduled integer,
               period_starts date, period_ends date, slots jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS MATERIALIZED (SELECT * FROM journal._report_loads(p_from, p_to))
    SELECT x.load_id, x.part, x.discipline, x.teacher_id, x.teacher, x.planned_hours,
           ci.hours_total, ci.hours_practical, ci.hours_lab,
           coalesce((SELECT jsonb_object_agg(k.lesson_type, k.hours) FROM (
                SELECT kt.lesson_type, sum(kt.hours) AS hours FROM journal.ktp_topic kt
                 WHERE kt.load_id = x.load_id GROUP BY kt.lesson_type) k), '{}'),
           coalesce((SELECT jsonb_object_agg(h.lesson_type, h.hours) FROM (
                SELECT l.lesson_type, sum(l.hours) AS hours FROM journal.lesson l
                 WHERE l.load_id = x.load_id AND l.lesson_date <= p_to
                   AND (l.filled_at IS NOT NULL OR btrim(l.topic) <> ''
                        OR EXISTS (SELECT FROM journal.attendance a WHERE a.lesson_id = l.id))
                 GROUP BY l.lesson_type) h), '{}'),
           coalesce((SELECT sum(l.hours) FROM journal.lesson l
                      WHERE l.load_id = x.load_id AND l.lesson_date > p_to), 0)::int,
           p.starts_on, p.ends_on,
           coalesce((SELECT jsonb_agg(jsonb_build_array(ts.weekday, ts.pair_no, ts.week_parity))
                       FROM journal.timetable_slot ts WHERE ts.load_id = x.load_id), '[]')
      FROM loads x
      JOIN journal.teaching_load t ON t.id = x.load_id
      JOIN journal.period p ON p.id = t.period_id
      LEFT JOIN journal.curriculum_item ci ON ci.id = t.curriculum_item_id
$$;

-- Замечания: a gap found by the control, addressed to the load's teacher, open until the
-- gap is filled. Raised by journal.raise_remarks (the office, on demand or on a schedule);
-- closed by itself (closed_at) when a later look finds the gap filled.
CREATE TABLE journal.remark (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('topic', 'attendance', 'homework', 'late',
                    'no_marks', 'statement')),
    load_id     integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    lesson_id   integer REFERENCES journal.lesson ON DELETE CASCADE,
    student_id  bigint REFERENCES journal.student ON DELETE CASCADE,
    teacher_id  bigint NOT NULL REFERENCES journal.person,
    lesson_date date,
    detail      text NOT NULL DEFAULT '',
    raised_at   timestamptz NOT NULL DEFAULT now(),
    raised_by   text NOT NULL DEFAULT session_user,
    closed_at   timestamptz
);
CREATE UNIQUE INDEX remark_open_key ON journal.remark
    (kind, load_id, coalesce(lesson_id, 0), coalesce(student_id, 0)) WHERE closed_at IS NULL;
CREATE INDEX remark_teacher_idx ON journal.remark (teacher_id) WHERE closed_at IS NULL;
CREATE INDEX remark_load_idx ON journal.remark (load_id);

-- The office's control of how the journal is kept (regulation 3.8, every two weeks): who
-- checked, when, the dates looked at and what was found.
CREATE TABLE journal.control_check (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    checked_by  bigint NOT NULL REFERENCES journal.person,
    checked_at  timestamptz NOT NULL DEFAULT now(),
    date_from   date NOT NULL,
    date_to     date NOT NULL,
    found       jsonb NOT NULL DEFAULT '{}',
    note        text NOT NULL DEFAULT '',
    CHECK (date_to >= date_from)
);

ALTER TABLE journal.remark ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.remark FORCE ROW LEVEL SECURITY;
ALTER TABLE journal.control_check ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.control_check FORCE ROW LEVEL SECURITY;
ALTER TABLE journal.remark OWNER TO ej_owner;
ALTER TABLE journal.control_check OWNER TO ej_owner;
GRANT SELECT ON journal.remark, journal.control_check TO ej_login;
GRANT SELECT ON journal.remark, journal.control_check TO ej_backup, ej_security;
GRANT INSERT, UPDATE, DELETE ON journal.remark TO ej_security;
GRANT INSERT, UPDATE, DELETE ON journal.control_check TO ej_security;

CREATE POLICY remark_select ON journal.remark FOR SELECT
    USING ((SELECT journal.reads_all()) OR teacher_id = (SELECT journal.my_person_id())
           OR load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]));
CREATE POLICY control_check_select ON journal.control_check FOR SELECT
    USING ((SELECT journal.reads_all()));

-- Raise remarks for every gap of the dates and close those whose gap is gone. Only readers
-- of everything (the office's control); returns (raised, closed).
CREATE FUNCTION journal.raise_remarks(p_from date, p_to date, p_late_days integer DEFAULT 1,
                                      p_no_marks integer DEFAULT 8,
                                      OUT raised integer, OUT closed integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF NOT journal.reads_all() THEN
        RAISE EXCEPTION 'only the office raises remarks' USING ERRCODE = 'insufficient_privilege';
    END IF;
    WITH gaps AS MATERIALIZED (
        SELECT * FROM journal.report_gaps(p_from, p_to, p_late_days, p_no_marks)),
    shut AS (
        UPDATE journal.remark r SET closed_at = now()
         WHERE r.closed_at IS NULL
           AND r.lesson_date BETWEEN p_from AND p_to
           AND NOT EXISTS (SELECT FROM gaps g
                            WHERE g.kind = r.kind AND g.load_id = r.load_id
                              AND coalesce(g.lesson_id, 0) = coalesce(r.lesson_id, 0)
                              AND coalesce(g.student_id, 0) = coalesce(r.student_id, 0))
        RETURNING 1),
    added AS (
        INSERT INTO journal.remark (kind, load_id, lesson_id, student_id, teacher_id,
                                    lesson_date, detail)
        SELECT g.kind, g.load_id, g.lesson_id, g.student_id, g.teacher_id, g.lesson_date,
               g.detail
          FROM gaps g
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM shut) INTO raised, closed;
END $$;

-- The caller's open remarks (a teacher's own; the office's all), after closing those whose
-- gap has been filled since they were raised: what the teacher sees at login.
CREATE FUNCTION journal.my_open_remarks()
RETURNS TABLE (id bigint, kind text, load_id integer, lesson_id integer, student_id bigint,
               lesson_date date, detail text, raised_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_me bigint := journal.my_person_id();
    v_from date;
    v_to date;
BEGIN
    IF v_me IS NULL THEN
        RAISE EXCEPTION 'no access' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT min(r.lesson_date), max(r.lesson_date) INTO v_from, v_to
      FROM journal.remark r WHERE r.closed_at IS NULL AND r.teacher_id = v_me;
    IF v_from IS NOT NULL THEN
        UPDATE journal.remark r SET closed_at = now()
         WHERE r.closed_at IS NULL AND r.teacher_id = v_me
           AND NOT EXISTS (
               SELECT FROM journal.report_gaps(v_from, v_to) g
                WHERE g.kind = r.kind AND g.load_id = r.load_id
                  AND coalesce(g.lesson_id, 0) = coalesce(r.lesson_id, 0)
                  AND coalesce(g.student_id, 0) = coalesce(r.student_id, 0));
    END IF;
    RETURN QUERY
        SELECT r.id, r.kind, r.load_id, r.lesson_id, r.student_id, r.lesson_date, r.detail,
               r.raised_at
          FROM journal.remark r
         WHERE r.closed_at IS NULL AND r.teacher_id = v_me
         ORDER BY r.lesson_date, r.id;
END $$;

-- Record one fortnightly control: the dates looked at, the counts found by kind, a note.
CREATE FUNCTION journal.record_control(p_from date, p_to date, p_found jsonb, p_note text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    IF NOT journal.reads_all() THEN
        RAISE EXCEPTION 'only the office records the control' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO journal.control_check (checked_by, date_from, date_to, found, note)
    VALUES (journal.my_person_id(), p_from, p_to, coalesce(p_found, '{}'), coalesce(p_note, ''))
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;

DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND p.proname IN ('_report_scope', '_report_loads', '_load_students',
                                  'report_gaps', 'report_results', 'report_absences',
                                  'report_program', 'raise_remarks', 'my_open_remarks',
                                  'record_control')
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.proname NOT LIKE '\_%' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f.sig);
        END IF;
    END LOOP;
END $$;
