-- 0050: the catalogue's writers (issue 13). The office (учебная часть) keeps the catalogue
-- with the admin: specialties, curricula and their items, disciplines, groups, subgroups,
-- the teaching load, its timetable and its КТП. Teachers and curators change none of it (a
-- teacher keeps the КТП of their own loads; a curator keeps their group's people, 0012/0016).
-- The year itself (settings, years, periods, holidays, bells) and staff positions stay the
-- admin's. Every correction of the catalogue leaves a change_log row (R14); new rows do not.

SET LOCAL search_path = pg_catalog, journal;

GRANT INSERT, UPDATE, DELETE ON journal.specialty, journal.curriculum, journal.discipline,
    journal.curriculum_item, journal.study_group, journal.subgroup, journal.teaching_load,
    journal.timetable_slot, journal.ktp_topic
    TO ej_office;

DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['specialty', 'curriculum', 'discipline', 'curriculum_item',
        'study_group', 'subgroup', 'teaching_load', 'timetable_slot']
    LOOP
        EXECUTE format('DROP POLICY %1$s_insert ON journal.%1$I', v_table);
        EXECUTE format('DROP POLICY %1$s_update ON journal.%1$I', v_table);
        EXECUTE format('DROP POLICY %1$s_delete ON journal.%1$I', v_table);
        EXECUTE format($f$CREATE POLICY %1$s_insert ON journal.%1$I FOR INSERT
            WITH CHECK ((SELECT journal.writes_all()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_update ON journal.%1$I FOR UPDATE
            USING ((SELECT journal.writes_all())) WITH CHECK ((SELECT journal.writes_all()))$f$,
            v_table);
        EXECUTE format($f$CREATE POLICY %1$s_delete ON journal.%1$I FOR DELETE
            USING ((SELECT journal.writes_all()))$f$, v_table);
    END LOOP;
END $$;

DROP POLICY ktp_topic_insert ON journal.ktp_topic;
DROP POLICY ktp_topic_update ON journal.ktp_topic;
DROP POLICY ktp_topic_delete ON journal.ktp_topic;
CREATE POLICY ktp_topic_insert ON journal.ktp_topic FOR INSERT
    WITH CHECK ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY ktp_topic_update ON journal.ktp_topic FOR UPDATE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY ktp_topic_delete ON journal.ktp_topic FOR DELETE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));

-- History of the catalogue's corrections, per statement. Trigger arguments: the row's key
-- columns, the SQL of its load and of its student over the row ``r``, and columns whose
-- change another trigger already records (teaching_load.teacher_id: the handover, 0017).
CREATE FUNCTION journal.record_catalogue_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_keys text[] := string_to_array(TG_ARGV[0], ',');
    v_load text := TG_ARGV[1];
    v_student text := TG_ARGV[2];
    v_noise text[] := string_to_array(TG_ARGV[3], ',');
    v_key text;
    v_insert text := 'INSERT INTO journal.change_log (table_name, action, row_key, old_value, '
        'new_value, reason, changed_by, person_id, load_id, student_id) ';
BEGIN
    SELECT 'jsonb_build_object(' || string_agg(format('%L, r.%I', k, k), ', ') || ')'
      INTO v_key FROM unnest(v_keys) k;
    IF TG_OP = 'DELETE' THEN
        EXECUTE v_insert || format('SELECT $1, $2, %s, to_jsonb(r), NULL, $3, session_user, $4, '
                                   '%s, %s FROM old_rows r', v_key, v_load, v_student)
            USING TG_TABLE_NAME, TG_OP, journal.current_reason(), journal.session_person_id();
    ELSE
        EXECUTE v_insert || format('SELECT $1, $2, %s, to_jsonb(o), to_jsonb(r), $3, session_user, '
                                   '$4, %s, %s FROM old_rows o JOIN new_rows r USING (%s) '
                                   'WHERE (to_jsonb(o) - $5) IS DISTINCT FROM (to_jsonb(r) - $5)',
                                   v_key, v_load, v_student, array_to_string(v_keys, ', '))
            USING TG_TABLE_NAME, TG_OP, journal.current_reason(), journal.session_person_id(),
                  v_noise;
    END IF;
    RETURN NULL;
END $$;
ALTER FUNCTION journal.record_catalogue_history() OWNER TO ej_security;
REVOKE ALL ON FUNCTION journal.record_catalogue_history() FROM PUBLIC;

DO $$
DECLARE v record;
BEGIN
    FOR v IN SELECT * FROM (VALUES
            ('person', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('staff', 'person_id', 'NULL::int', 'NULL::bigint', ''),
            ('student', 'person_id', 'NULL::int', 'r.person_id', ''),
            ('guardian', 'parent_id,student_id', 'NULL::int', 'r.student_id', ''),
            ('specialty', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('curriculum', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('discipline', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('curriculum_item', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('study_group', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('subgroup', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('teaching_load', 'id', 'r.id', 'NULL::bigint', 'teacher_id'),
            ('timetable_slot', 'id', 'r.load_id', 'NULL::bigint', ''),
            ('ktp_topic', 'id', 'r.load_id', 'NULL::bigint', ''),
            ('holiday', 'id', 'NULL::int', 'NULL::bigint', ''),
            ('bell', 'year_id,pair_no', 'NULL::int', 'NULL::bigint', '')
        ) AS t (tab, keys, load_sql, student_sql, noise)
    LOOP
        EXECUTE format('CREATE TRIGGER ej3_catalogue_history_upd AFTER UPDATE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_catalogue_history(%L, %L, %L, %L)',
            v.tab, v.keys, v.load_sql, v.student_sql, v.noise);
        EXECUTE format('CREATE TRIGGER ej3_catalogue_history_del AFTER DELETE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_catalogue_history(%L, %L, %L, %L)',
            v.tab, v.keys, v.load_sql, v.student_sql, v.noise);
    END LOOP;
END $$;
