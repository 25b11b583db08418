-- 0007: history of every correction (R14). Every INSERT, UPDATE and DELETE of a mark, an
-- attendance entry, a lesson record, a statement, a statement mark, a final mark, a period
-- and a year writes journal.change_log rows in the same transaction: who (session_user and
-- person_id), when, old → new (jsonb), the reason, and load_id/student_id for fast lookup. The triggers are per statement with transition tables (one INSERT … SELECT per
-- statement, so a bulk fill stays set-based), owned by ej_security, which alone may insert
-- into change_log. Nobody may change or delete history, not even its owner.
--
-- The reason comes from the client: SELECT set_config('journal.reason', 'text', true) in the
-- same transaction (db.connect.transaction(conn, reason) does it). Changing or deleting a
-- mark that has stood longer than setting 'reason_after_days' days (measured from its last
-- change) needs a non-empty reason, else the statement is refused (SQLSTATE EJ001).
--
-- Key columns never change (mark: id, lesson_id, load_id, student_id; …), so that old and new
-- rows pair by key and a mark cannot be moved to another student or lesson: delete it and
-- set a new one instead.

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal.refuse_key_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'Ключевые поля записи (%) не меняются: удалите запись и создайте новую.',
        array_to_string(TG_ARGV, ', ') USING ERRCODE = 'check_violation';
END $$;
ALTER FUNCTION journal.refuse_key_change() OWNER TO ej_owner;

CREATE TRIGGER mark_keys BEFORE UPDATE OF id, lesson_id, load_id, student_id ON journal.mark
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.lesson_id IS DISTINCT FROM NEW.lesson_id
                       OR OLD.load_id IS DISTINCT FROM NEW.load_id
                       OR OLD.student_id IS DISTINCT FROM NEW.student_id)
    EXECUTE FUNCTION journal.refuse_key_change('занятие', 'обучающийся');
CREATE TRIGGER attendance_keys BEFORE UPDATE OF lesson_id, load_id, student_id ON journal.attendance
    FOR EACH ROW WHEN (OLD.lesson_id IS DISTINCT FROM NEW.lesson_id
                       OR OLD.load_id IS DISTINCT FROM NEW.load_id
                       OR OLD.student_id IS DISTINCT FROM NEW.student_id)
    EXECUTE FUNCTION journal.refuse_key_change('занятие', 'обучающийся');
CREATE TRIGGER lesson_keys BEFORE UPDATE OF id, load_id ON journal.lesson
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.load_id IS DISTINCT FROM NEW.load_id)
    EXECUTE FUNCTION journal.refuse_key_change('нагрузка');
CREATE TRIGGER statement_keys BEFORE UPDATE OF id, load_id ON journal.statement
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.load_id IS DISTINCT FROM NEW.load_id)
    EXECUTE FUNCTION journal.refuse_key_change('нагрузка');
CREATE TRIGGER statement_mark_keys BEFORE UPDATE OF statement_id, student_id ON journal.statement_mark
    FOR EACH ROW WHEN (OLD.statement_id IS DISTINCT FROM NEW.statement_id
                       OR OLD.student_id IS DISTINCT FROM NEW.student_id)
    EXECUTE FUNCTION journal.refuse_key_change('ведомость', 'обучающийся');
CREATE TRIGGER final_mark_keys BEFORE UPDATE OF load_id, student_id ON journal.final_mark
    FOR EACH ROW WHEN (OLD.load_id IS DISTINCT FROM NEW.load_id
                       OR OLD.student_id IS DISTINCT FROM NEW.student_id)
    EXECUTE FUNCTION journal.refuse_key_change('нагрузка', 'обучающийся');
CREATE TRIGGER period_keys BEFORE UPDATE OF id ON journal.period
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION journal.refuse_key_change('код');
CREATE TRIGGER academic_year_keys BEFORE UPDATE OF id ON journal.academic_year
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION journal.refuse_key_change('код');

-- How each audited table names its rows and finds its load and student.
CREATE FUNCTION journal.history_shape(p_table text, OUT keys text[], OUT load_sql text,
    OUT student_sql text, OUT noise text[], OUT stamp text)
LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE p_table
            WHEN 'mark' THEN '{id}'::text[]
            WHEN 'attendance' THEN '{lesson_id,student_id}'
            WHEN 'statement_mark' THEN '{statement_id,student_id}'
            WHEN 'final_mark' THEN '{load_id,student_id}'
            ELSE '{id}' END,
        CASE p_table
            WHEN 'statement_mark'
                THEN '(SELECT s.load_id FROM journal.statement s WHERE s.id = r.statement_id)'
            WHEN 'period' THEN 'NULL::int' WHEN 'academic_year' THEN 'NULL::int'
            ELSE 'r.load_id' END,
        CASE WHEN p_table IN ('mark', 'attendance', 'statement_mark', 'final_mark')
             THEN 'r.student_id' ELSE 'NULL::bigint' END,
        CASE p_table WHEN 'final_mark' THEN '{fixed_at,fixed_by}'::text[]
             WHEN 'lesson' THEN '{filled_at}' ELSE '{changed_at,changed_by}' END,
        CASE p_table WHEN 'final_mark' THEN 'fixed_at'
             WHEN 'mark' THEN 'changed_at' WHEN 'statement_mark' THEN 'changed_at' END
$$;

CREATE FUNCTION journal.reason_after_days() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT value::text::int FROM journal.setting WHERE key = 'reason_after_days'), 3)
$$;

CREATE FUNCTION journal.record_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    s record;
    v_reason text := journal.current_reason();
    v_key text;
    v_using text;
    v_days integer;
    v_stale boolean;
    v_insert text := 'INSERT INTO journal.change_log (table_name, action, row_key, old_value, '
        'new_value, reason, changed_by, person_id, load_id, student_id) ';
BEGIN
    SELECT * INTO s FROM journal.history_shape(TG_TABLE_NAME);
    v_using := array_to_string(s.keys, ', ');
    SELECT 'jsonb_build_object(' || string_agg(format('%L, r.%I', k, k), ', ') || ')'
      INTO v_key FROM unnest(s.keys) k;

    -- A mark that has stood for more than N days changes only with a reason.
    IF s.stamp IS NOT NULL AND TG_OP <> 'INSERT' AND v_reason = '' THEN
        v_days := journal.reason_after_days();
        IF TG_OP = 'DELETE' THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM old_rows o WHERE o.%I < now() - $1)',
                           s.stamp)
               INTO v_stale USING make_interval(days => v_days);
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT FROM old_rows o JOIN new_rows n USING (%s) '
                           'WHERE o.%I < now() - $1 AND (to_jsonb(o) - $2) IS DISTINCT FROM '
                           '(to_jsonb(n) - $2))', v_using, s.stamp)
               INTO v_stale USING make_interval(days => v_days), s.noise;
        END IF;
        IF v_stale THEN
            RAISE EXCEPTION 'Отметка выставлена более % дн. назад: исправление требует причины.',
                v_days USING ERRCODE = 'EJ001',
                HINT = 'Укажите причину исправления и сохраните ещё раз.';
        END IF;
    END IF;

    IF TG_OP = 'INSERT' THEN
        EXECUTE v_insert || format('SELECT $1, $2, %s, NULL, to_jsonb(r), $3, session_user, $4, '
                                   '%s, %s FROM new_rows r', v_key, s.load_sql, s.student_sql)
            USING TG_TABLE_NAME, TG_OP, v_reason, journal.session_person_id();
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE v_insert || format('SELECT $1, $2, %s, to_jsonb(r), NULL, $3, session_user, $4, '
                                   '%s, %s FROM old_rows r', v_key, s.load_sql, s.student_sql)
            USING TG_TABLE_NAME, TG_OP, v_reason, journal.session_person_id();
    ELSE
        EXECUTE v_insert || format('SELECT $1, $2, %s, to_jsonb(o), to_jsonb(r), $3, session_user, '
                                   '$4, %s, %s FROM old_rows o JOIN new_rows r USING (%s) '
                                   'WHERE (to_jsonb(o) - $5) IS DISTINCT FROM (to_jsonb(r) - $5)',
                                   v_key, s.load_sql, s.student_sql, v_using)
            USING TG_TABLE_NAME, TG_OP, v_reason, journal.session_person_id(), s.noise;
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['mark', 'attendance', 'lesson', 'statement', 'statement_mark',
                                   'final_mark', 'period', 'academic_year'] LOOP
        EXECUTE format('CREATE TRIGGER ej2_history_ins AFTER INSERT ON journal.%I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_history()', v_table);
        EXECUTE format('CREATE TRIGGER ej2_history_upd AFTER UPDATE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_history()', v_table);
        EXECUTE format('CREATE TRIGGER ej2_history_del AFTER DELETE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_history()', v_table);
    END LOOP;
END $$;

-- History is append-only, for its owner and superusers too.
CREATE FUNCTION journal.refuse_history_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'История исправлений не изменяется и не удаляется.'
        USING ERRCODE = 'insufficient_privilege';
END $$;
ALTER FUNCTION journal.refuse_history_change() OWNER TO ej_owner;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON journal.change_log
    FOR EACH ROW EXECUTE FUNCTION journal.refuse_history_change();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON journal.change_log
    FOR EACH STATEMENT EXECUTE FUNCTION journal.refuse_history_change();

DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace AND p.prosecdef
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
