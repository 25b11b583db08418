-- 0077: the journal page read by one security-definer function that checks the caller's
-- right once (issue 14). Read as seven statements under row-level security, every statement
-- evaluated the policies' identity helpers again (my_load_ids(), my_taught_group_ids(), …;
-- the page cost 1.7–1.8× the owner's reads). journal.page_rows(load) decides once whether
-- the caller reads the WHOLE page under the policies and then returns its rows without
-- per-row policy cost; anyone else gets no rows, and the program reads their page through
-- the policies as before (a substitute, a teacher whose load was handed over, a curator:
-- the policies show them parts of a page, and those parts stay the policies' to decide).
--
-- Who reads the whole page (each row of every table the page reads passes a policy):
--   * readers of all marks (admin, director, deputy, office, methodologist, support): every
--     select policy of the page's tables starts with reads_all_marks() or is_staff();
--   * the teacher of the load (teacher role, teaching_load.teacher_id = me), when the load's
--     group is one of my_taught_group_ids() (a year that is not archived): lessons, marks
--     and attendance by my_load_ids(), statements and their marks by my_statement_ids(),
--     the group's students by my_taught_group_ids(), students transferred out of it (and
--     their movements and names) by my_former_student_ids(), the students' names by
--     my_student_ids(). The names of the lessons' teachers follow the person policy itself
--     (evaluated once, only when a name is not already one of the page's students or me).
--   * a superuser (no policies apply): the benchmark's owner side reads the same way.

SET LOCAL search_path = pg_catalog, journal;

-- 'all', 'teacher' or NULL (not the whole page: no rows). Internal: no EXECUTE for anyone.
CREATE FUNCTION journal._page_reader(p_load integer) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_me bigint;
    v_roles text[];
    v_teacher bigint;
    v_group integer;
    v_archived timestamptz;
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN 'all';
    END IF;
    SELECT m.person_id, m.roles INTO v_me, v_roles FROM journal._me() m;
    IF v_me IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_roles && '{admin,director,deputy,office,methodologist,support}' THEN
        RETURN 'all';
    END IF;
    IF NOT 'teacher' = ANY (v_roles) THEN
        RETURN NULL;
    END IF;
    SELECT t.teacher_id, t.group_id, y.archived_at INTO v_teacher, v_group, v_archived
      FROM journal.teaching_load t
      JOIN journal.period p ON p.id = t.period_id
      JOIN journal.academic_year y ON y.id = p.year_id
     WHERE t.id = p_load;
    IF v_teacher IS DISTINCT FROM v_me THEN
        RETURN NULL;
    END IF;
    -- v_group ∈ journal._taught_group_ids(v_me, v_roles) (0060), asked for this group only.
    IF v_archived IS NULL OR EXISTS (
        SELECT FROM journal.teaching_load t
          JOIN journal.period p ON p.id = t.period_id
          JOIN journal.academic_year y ON y.id = p.year_id
         WHERE t.group_id = v_group AND y.archived_at IS NULL
           AND (t.teacher_id = v_me
                OR EXISTS (SELECT FROM journal.lesson l WHERE l.load_id = t.id AND l.taught_by = v_me)
                OR EXISTS (SELECT FROM journal.substitution x
                            WHERE x.load_id = t.id AND x.substitute_id = v_me))) THEN
        RETURN 'teacher';
    END IF;
    RETURN NULL;
END $$;

-- The page's rows, one row per part and one array per column (core/journal/queries.py zips
-- them back into the statements' rows; a page of 5,000 marks parses several times faster as
-- arrays than as 5,000 rows): part 1 the load, 2 students, 3 lessons, 4 people, 5 marks,
-- 6 attendance, 7 statement marks, 8 movements; i1 is never NULL in a row of a part.
CREATE FUNCTION journal.page_rows(p_load integer)
RETURNS TABLE (part smallint, i1 bigint[], i2 bigint[], i3 bigint[], i4 bigint[],
               i5 bigint[], i6 bigint[], i7 bigint[], t1 text[], t2 text[], t3 text[],
               t4 text[], d1 date[], d2 date[], b1 boolean[], b2 boolean[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_reader text := journal._page_reader(p_load);
    v_group integer;
    v_sub integer;
    v_me bigint;
    v_students bigint[];
    v_teachers bigint[];
BEGIN
    IF v_reader IS NULL THEN
        RETURN;
    END IF;
    SELECT t.group_id, t.subgroup_id INTO v_group, v_sub FROM journal.teaching_load t WHERE t.id = p_load;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    v_me := (SELECT m.person_id FROM journal._me() m);
    -- the page's students: the group's and those who moved out of it (STUDENTS, MOVEMENTS)
    v_students := ARRAY(SELECT s.person_id FROM journal.student s WHERE s.group_id = v_group
                        UNION
                        SELECT f.student_id FROM journal.student_movement f
                         WHERE f.group_id = v_group);
    v_teachers := ARRAY(SELECT l.taught_by FROM journal.lesson l WHERE l.load_id = p_load
                        UNION
                        SELECT t.teacher_id FROM journal.teaching_load t WHERE t.id = p_load);
    RETURN QUERY
    SELECT 1::smallint, ARRAY[t.id::bigint], ARRAY[t.period_id::bigint], ARRAY[t.group_id::bigint],
           ARRAY[t.subgroup_id::bigint], ARRAY[t.discipline_id::bigint], ARRAY[t.teacher_id],
           ARRAY[t.planned_hours::bigint], ARRAY[g.name], ARRAY[coalesce(sg.name, '')],
           ARRAY[d.title], ARRAY[p.title], ARRAY[p.starts_on], ARRAY[p.ends_on],
           ARRAY[t.pass_fail], ARRAY[p.closed_at IS NOT NULL OR y.archived_at IS NOT NULL]
      FROM journal.teaching_load t
      JOIN journal.study_group g ON g.id = t.group_id
      JOIN journal.discipline d ON d.id = t.discipline_id
      JOIN journal.period p ON p.id = t.period_id
      JOIN journal.academic_year y ON y.id = p.year_id
      LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
     WHERE t.id = p_load
    UNION ALL
    SELECT 2::smallint, array_agg(x.id), NULL, NULL, NULL, NULL, NULL, NULL, array_agg(x.sub),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM (SELECT s.person_id AS id, CASE WHEN s.group_id = v_group THEN sg.name END AS sub
              FROM journal.student s
              LEFT JOIN journal.subgroup sg ON sg.id = s.subgroup_id
             WHERE s.group_id = v_group
               AND (v_sub IS NULL OR s.subgroup_id = v_sub)
               AND (s.status IN ('обучается', 'академический отпуск')
                    OR EXISTS (SELECT FROM journal.mark m
                                WHERE m.load_id = p_load AND m.student_id = s.person_id))
            UNION ALL
            SELECT s.person_id, NULL FROM journal.student s
             WHERE s.person_id IN (SELECT f.student_id FROM journal.student_movement f
                                    JOIN journal.student n ON n.person_id = f.student_id
                                   WHERE f.group_id = v_group AND n.group_id <> v_group)
               AND (EXISTS (SELECT FROM journal.mark m
                             WHERE m.load_id = p_load AND m.student_id = s.person_id)
                    OR EXISTS (SELECT FROM journal.attendance a
                                WHERE a.load_id = p_load AND a.student_id = s.person_id)
                    OR (v_sub IS NULL AND EXISTS (SELECT FROM journal.lesson l WHERE l.load_id = p_load
                            AND journal.study_state(s.person_id, v_group, l.lesson_date) IS NULL)))) x
    UNION ALL
    SELECT 3::smallint, array_agg(l.id::bigint ORDER BY l.lesson_date, l.pair_no),
           array_agg(l.pair_no::bigint ORDER BY l.lesson_date, l.pair_no),
           array_agg(l.taught_by ORDER BY l.lesson_date, l.pair_no),
           array_agg(l.hours::bigint ORDER BY l.lesson_date, l.pair_no), NULL, NULL, NULL,
           array_agg(lt.short ORDER BY l.lesson_date, l.pair_no),
           array_agg(l.topic ORDER BY l.lesson_date, l.pair_no),
           array_agg(l.work_kind ORDER BY l.lesson_date, l.pair_no), NULL,
           array_agg(l.lesson_date ORDER BY l.lesson_date, l.pair_no), NULL,
           array_agg(l.taught_by <> t.teacher_id ORDER BY l.lesson_date, l.pair_no), NULL
      FROM journal.lesson l
      JOIN journal.teaching_load t ON t.id = l.load_id
      JOIN journal.lesson_type lt ON lt.code = l.lesson_type
     WHERE l.load_id = p_load
    UNION ALL
    SELECT 4::smallint, array_agg(p.id), NULL, NULL, NULL, NULL, NULL, NULL, array_agg(p.surname),
           array_agg(p.name), array_agg(p.patronymic), NULL, NULL, NULL, NULL, NULL
      FROM journal.person p
     WHERE p.id = ANY (v_students)
        OR (p.id = ANY (v_teachers)
            -- the person policy (0005, 0032) for the teachers' names, evaluated once if at all
            AND (v_reader = 'all' OR p.id = v_me
                 OR p.id = ANY ((SELECT journal.staff_ids())::bigint[])
                 OR p.id = ANY ((SELECT journal.my_student_ids())::bigint[])
                 OR p.id = ANY ((SELECT journal.my_person_ids())::bigint[])
                 OR p.id = ANY ((SELECT journal.my_former_student_ids())::bigint[])))
    UNION ALL
    SELECT 5::smallint, array_agg(m.student_id ORDER BY m.id),
           array_agg(m.lesson_id::bigint ORDER BY m.id), NULL, NULL, NULL, NULL, NULL,
           array_agg(m.work_kind ORDER BY m.id), array_agg(m.value ORDER BY m.id),
           NULL, NULL, NULL, NULL, NULL, NULL
      FROM journal.mark m WHERE m.load_id = p_load
    UNION ALL
    SELECT 6::smallint, array_agg(a.student_id), array_agg(a.lesson_id::bigint), NULL, NULL,
           NULL, NULL, NULL, array_agg(a.code), NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM journal.attendance a WHERE a.load_id = p_load
    UNION ALL
    SELECT 7::smallint, array_agg(sm.student_id), NULL, NULL, NULL, NULL, NULL, NULL,
           array_agg(sm.value), array_agg(s.form), NULL, NULL, NULL, NULL,
           array_agg(s.closed_at IS NOT NULL), NULL
      FROM journal.statement s JOIN journal.statement_mark sm ON sm.statement_id = s.id
     WHERE s.load_id = p_load
    UNION ALL
    SELECT 8::smallint, array_agg(m.student_id ORDER BY m.student_id, m.on_date, m.id),
           array_agg(m.group_id::bigint ORDER BY m.student_id, m.on_date, m.id),
           NULL, NULL, NULL, NULL, NULL,
           array_agg(m.kind ORDER BY m.student_id, m.on_date, m.id), NULL, NULL, NULL,
           array_agg(m.on_date ORDER BY m.student_id, m.on_date, m.id),
           array_agg(m.until_on ORDER BY m.student_id, m.on_date, m.id), NULL, NULL
      FROM journal.student_movement m
     WHERE m.student_id = ANY (v_students);
END $$;

ALTER FUNCTION journal._page_reader(integer) OWNER TO ej_security;
ALTER FUNCTION journal.page_rows(integer) OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal._page_reader(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION journal.page_rows(integer) FROM PUBLIC;
-- Those who may read a whole page; a curator, parent or student reads through the policies.
GRANT EXECUTE ON FUNCTION journal.page_rows(integer)
    TO ej_admin, ej_director, ej_deputy, ej_office, ej_methodologist, ej_support, ej_teacher;
