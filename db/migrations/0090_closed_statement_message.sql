-- The refusal on a closed statement without a number read «Ведомость  закрыта …» (two
-- spaces: format() put an empty string for the missing number). The same function as in
-- 0008_locks.sql, with the message built by concat_ws, which skips what is missing.
CREATE OR REPLACE FUNCTION journal.guard_locks() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_rows text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
                              WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
                              ELSE 'SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows' END;
    v_ids integer[];
    v_msg text;
    v_closing text[];
    v_closed boolean;
BEGIN
    IF TG_TABLE_NAME IN ('lesson', 'attendance', 'mark', 'final_mark', 'ktp_topic',
                         'timetable_slot', 'statement') THEN
        EXECUTE format('SELECT array_agg(DISTINCT load_id) FROM (%s) r', v_rows) INTO v_ids;
        v_msg := journal.lock_of_loads(v_ids);
    ELSIF TG_TABLE_NAME = 'statement_mark' THEN
        EXECUTE format('SELECT array_agg(DISTINCT statement_id) FROM (%s) r', v_rows) INTO v_ids;
        SELECT concat_ws(' ', 'Ведомость', '№ ' || nullif(s.number::text, ''), 'закрыта',
                         to_char(s.closed_at, 'DD.MM.YYYY')) || ': изменения запрещены.'
          INTO v_msg FROM journal.statement s
         WHERE s.id = ANY (v_ids) AND s.closed_at IS NOT NULL LIMIT 1;
        IF v_msg IS NULL THEN
            v_msg := journal.lock_of_loads(
                ARRAY(SELECT s.load_id FROM journal.statement s WHERE s.id = ANY (v_ids)));
        END IF;
    ELSIF TG_TABLE_NAME = 'teaching_load' THEN
        EXECUTE format('SELECT array_agg(DISTINCT period_id) FROM (%s) r', v_rows) INTO v_ids;
        v_msg := journal.lock_of_periods(v_ids);
    ELSIF TG_TABLE_NAME IN ('period', 'holiday', 'bell') THEN
        EXECUTE format('SELECT array_agg(DISTINCT year_id) FROM (%s) r', v_rows) INTO v_ids;
        v_msg := journal.lock_of_years(v_ids);
    END IF;

    -- A closed statement, period or archived year: only its closing columns may change
    -- (through the functions below), and it is not deleted.
    v_closing := CASE TG_TABLE_NAME WHEN 'statement' THEN '{closed_at,closed_by}'::text[]
                                    WHEN 'period' THEN '{closed_at,closed_by}'
                                    WHEN 'academic_year' THEN '{archived_at,archived_by}' END;
    IF v_msg IS NULL AND v_closing IS NOT NULL AND TG_OP <> 'INSERT' THEN
        IF TG_OP = 'DELETE' THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM old_rows o WHERE o.%I IS NOT NULL)',
                           v_closing[1]) INTO v_closed;
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT FROM old_rows o JOIN new_rows n USING (id) '
                           'WHERE o.%I IS NOT NULL AND (to_jsonb(o) - $1) IS DISTINCT FROM '
                           '(to_jsonb(n) - $1))', v_closing[1]) INTO v_closed USING v_closing;
        END IF;
        v_msg := CASE WHEN v_closed THEN CASE TG_TABLE_NAME
            WHEN 'statement' THEN 'Ведомость закрыта: изменения запрещены.'
            WHEN 'period' THEN 'Период закрыт: изменения запрещены.'
            ELSE 'Учебный год в архиве: изменения запрещены.' END END;
    END IF;

    IF v_msg IS NOT NULL THEN
        RAISE EXCEPTION '%', v_msg USING ERRCODE = 'EJ002',
            HINT = 'Открыть закрытое может только заведующий учебной частью, указав причину.';
    END IF;
    RETURN NULL;
END $$;
