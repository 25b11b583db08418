-- 0008: locks in the database (R6, R16). A closed statement (statement.closed_at), a closed
-- period (period.closed_at) and an archived year (academic_year.archived_at) refuse every
-- write to the rows under them — lessons, attendance, marks, statements and their marks,
-- final marks, КТП, timetable, teaching load, and the period's or year's own rows — for
-- every role, superusers included (SQLSTATE EJ002). The only way back is the admin's
-- explicit reopening with a reason, recorded in change_log by the history triggers of 0007:
--   journal.close_statement(id)            office, admin, or the load's teacher
--   journal.reopen_statement(id, reason)   admin
--   journal.close_period(id)               office, admin
--   journal.reopen_period(id, reason)      admin
--   journal.archive_year(id)               admin
--   journal.reopen_year(id, reason)        admin
-- The closing columns have no UPDATE privilege for anyone but ej_security (0003), so they
-- change only through these functions. The checks run once per statement (transition
-- tables), after the rows are written and before the statement completes.

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal.lock_of_periods(p_periods integer[]) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE WHEN y.archived_at IS NOT NULL
                THEN format('Учебный год %s в архиве: изменения запрещены.', y.title)
                ELSE format('Период «%s» %s учебного года закрыт: изменения запрещены.',
                            p.title, y.title) END
      FROM journal.period p JOIN journal.academic_year y ON y.id = p.year_id
     WHERE p.id = ANY (p_periods) AND (p.closed_at IS NOT NULL OR y.archived_at IS NOT NULL)
     ORDER BY y.archived_at IS NULL, p.id
     LIMIT 1
$$;

CREATE FUNCTION journal.lock_of_loads(p_loads integer[]) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.lock_of_periods(array_agg(DISTINCT t.period_id))
      FROM journal.teaching_load t WHERE t.id = ANY (p_loads)
$$;

CREATE FUNCTION journal.lock_of_years(p_years integer[]) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT format('Учебный год %s в архиве: изменения запрещены.', y.title)
      FROM journal.academic_year y
     WHERE y.id = ANY (p_years) AND y.archived_at IS NOT NULL
     ORDER BY y.id LIMIT 1
$$;

CREATE FUNCTION journal.guard_locks() RETURNS trigger
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
        SELECT format('Ведомость %s закрыта %s: изменения запрещены.',
                      nullif('№ ' || s.number, '№ '), to_char(s.closed_at, 'DD.MM.YYYY'))
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

DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['lesson', 'attendance', 'mark', 'final_mark', 'ktp_topic',
        'timetable_slot', 'statement', 'statement_mark', 'teaching_load', 'period',
        'academic_year', 'holiday', 'bell'] LOOP
        EXECUTE format('CREATE TRIGGER ej1_lock_ins AFTER INSERT ON journal.%I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.guard_locks()', v_table);
        EXECUTE format('CREATE TRIGGER ej1_lock_upd AFTER UPDATE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.guard_locks()', v_table);
        EXECUTE format('CREATE TRIGGER ej1_lock_del AFTER DELETE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.guard_locks()', v_table);
    END LOOP;
END $$;

-- Clear the closing columns of one statement, period or year, recording p_reason.
CREATE FUNCTION journal.reopen(p_table text, p_id integer, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_prev text := current_setting('journal.reason', true);
BEGIN
    IF btrim(coalesce(p_reason, '')) = '' THEN
        RAISE EXCEPTION 'Укажите причину: открытие закрытого записывается в историю.'
            USING ERRCODE = 'EJ001';
    END IF;
    PERFORM set_config('journal.reason', p_reason, true);
    CASE p_table
    WHEN 'statement' THEN
        UPDATE journal.statement SET closed_at = NULL, closed_by = NULL WHERE id = p_id;
    WHEN 'period' THEN
        UPDATE journal.period SET closed_at = NULL, closed_by = NULL WHERE id = p_id;
    WHEN 'academic_year' THEN
        UPDATE journal.academic_year SET archived_at = NULL, archived_by = NULL WHERE id = p_id;
    END CASE;
    PERFORM set_config('journal.reason', coalesce(v_prev, ''), true);
END $$;

CREATE FUNCTION journal.close_statement(p_statement integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE s journal.statement;
BEGIN
    SELECT * INTO s FROM journal.statement WHERE id = p_statement;
    PERFORM journal.require(journal.caller_is_superuser() OR journal.writes_all()
                            OR s.load_id = ANY (journal.my_load_ids()),
        'Закрыть ведомость может преподаватель этой нагрузки, учебная часть или заведующий.');
    IF s.id IS NULL THEN
        RAISE EXCEPTION 'Ведомость не найдена.' USING ERRCODE = 'no_data_found';
    ELSIF s.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'Ведомость уже закрыта.' USING ERRCODE = 'EJ002';
    END IF;
    UPDATE journal.statement SET closed_at = now(), closed_by = session_user WHERE id = p_statement;
END $$;

CREATE FUNCTION journal.reopen_statement(p_statement integer, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Открыть закрытую ведомость может только заведующий учебной частью.');
    IF NOT EXISTS (SELECT FROM journal.statement WHERE id = p_statement AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'Ведомость не найдена или не закрыта.' USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM journal.reopen('statement', p_statement, p_reason);
END $$;

CREATE FUNCTION journal.close_period(p_period integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.writes_all(),
        'Закрыть период может учебная часть или заведующий.');
    IF NOT EXISTS (SELECT FROM journal.period WHERE id = p_period AND closed_at IS NULL) THEN
        RAISE EXCEPTION 'Период не найден или уже закрыт.' USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE journal.period SET closed_at = now(), closed_by = session_user WHERE id = p_period;
END $$;

CREATE FUNCTION journal.reopen_period(p_period integer, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Открыть закрытый период может только заведующий учебной частью.');
    IF NOT EXISTS (SELECT FROM journal.period WHERE id = p_period AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'Период не найден или не закрыт.' USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM journal.reopen('period', p_period, p_reason);
END $$;

CREATE FUNCTION journal.archive_year(p_year integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Перевести учебный год в архив может только заведующий учебной частью.');
    IF NOT EXISTS (SELECT FROM journal.academic_year WHERE id = p_year AND archived_at IS NULL) THEN
        RAISE EXCEPTION 'Учебный год не найден или уже в архиве.' USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE journal.academic_year SET archived_at = now(), archived_by = session_user
     WHERE id = p_year;
END $$;

CREATE FUNCTION journal.reopen_year(p_year integer, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Вернуть учебный год из архива может только заведующий учебной частью.');
    IF NOT EXISTS (SELECT FROM journal.academic_year WHERE id = p_year AND archived_at IS NOT NULL) THEN
        RAISE EXCEPTION 'Учебный год не найден или не в архиве.' USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM journal.reopen('academic_year', p_year, p_reason);
END $$;

DO $$
DECLARE
    f regprocedure;
    v_public text[] := ARRAY['close_statement', 'reopen_statement', 'close_period',
        'reopen_period', 'archive_year', 'reopen_year'];
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace AND p.prosecdef
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        IF (SELECT proname FROM pg_proc WHERE oid = f) = ANY (v_public) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f);
        END IF;
    END LOOP;
END $$;
