-- 0009: logins (R13, R19). A `login` event trigger (PostgreSQL 17+) runs after every
-- successful authentication to this database, as ej_security:
--   1. superusers pass untouched (and can disable event triggers in an emergency);
--   2. an account outside the working hours that apply to its roles (setting
--      'working_hours', off by default) is refused;
--   3. failed logins the server wrote to its JSON log since the last look are imported into
--      journal.login_event, and an account with too many recent failures (setting
--      'login_lockout') is refused until the lock expires — even with the right password;
--   4. the successful login is recorded.
-- A refusal rolls back the trigger's own writes, so refusals are recorded from the server
-- log too (state 28000, ps "startup"), at the next import.
--
-- PostgreSQL cannot run SQL on a failed authentication, so failures are known only through
-- the server's log: this needs logging_collector = on and 'jsonlog' in log_destination
-- (the embedded server's configuration; without them the lockout has nothing to count).
-- Each failure is also delayed by the auth_delay module (shared_preload_libraries) where
-- the server loads it. See docs/security.md, "Brute force".

SET LOCAL search_path = pg_catalog, journal;

-- login_event.detail says what happened, in Russian: '' for a success, BAD_PASSWORD for a
-- wrong password (the only failures a lockout counts), otherwise the reason of the refusal.

-- How far the server log has been read (one row; schema ej_guard of 0006).
SET LOCAL ROLE ej_security;
CREATE TABLE ej_guard.log_position (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    file        text NOT NULL,
    read_to     bigint NOT NULL CHECK (read_to >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
RESET ROLE;

GRANT EXECUTE ON FUNCTION pg_catalog.pg_current_logfile(text) TO ej_security;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO ej_security;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)
    TO ej_security;

-- The zone in which times are shown to people (the working-hours zone).
CREATE FUNCTION journal.local_zone() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT value->>'timezone' FROM journal.setting WHERE key = 'working_hours'),
                    'UTC')
$$;

-- The detail of a failed login by a wrong password.
CREATE FUNCTION journal.bad_password() RETURNS text
LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT 'неверный пароль'::text
$$;

-- Import the complete lines of one chunk (≤ 4 MiB) of a JSON server log from p_from.
CREATE FUNCTION journal.import_log_chunk(p_file text, p_from bigint,
                                         OUT next_offset bigint, OUT imported integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_chunk constant integer := 4194304;
    v_size bigint;
    v_data bytea;
    v_len integer;
    v_end integer;
    v_line text;
    j jsonb;
    v_detail text;
    v_at timestamptz;
BEGIN
    next_offset := p_from;
    imported := 0;
    IF p_file !~ '\.json$' THEN
        RETURN;
    END IF;
    v_size := (pg_stat_file(p_file, true)).size;
    IF v_size IS NULL THEN
        RETURN;
    END IF;
    IF v_size < p_from THEN                          -- the file was truncated and reused
        p_from := 0;
    END IF;
    IF v_size = p_from THEN
        next_offset := p_from;
        RETURN;
    END IF;
    v_data := pg_read_binary_file(p_file, p_from, least(v_size - p_from, v_chunk), true);
    v_len := coalesce(length(v_data), 0);
    -- Up to the last newline; a line still being written waits for the next import.
    v_end := v_len - length(decode(substring(encode(v_data, 'escape') FROM '[^\n]*$'), 'escape'));
    IF v_end = 0 THEN
        next_offset := p_from + CASE WHEN v_len >= v_chunk THEN v_len ELSE 0 END;
        RETURN;
    END IF;
    FOR v_line IN
        SELECT l FROM regexp_split_to_table(encode(substring(v_data FROM 1 FOR v_end), 'escape'),
                                            E'\n') l
         WHERE l LIKE '%"state_code":"28%' AND l LIKE '%"error_severity":"FATAL"%'
    LOOP
        BEGIN
            j := convert_from(decode(v_line, 'escape'), 'UTF8')::jsonb;
            v_at := (j->>'timestamp')::timestamptz;
        EXCEPTION WHEN others THEN
            CONTINUE;                                  -- a partial or foreign line
        END;
        CONTINUE WHEN j->>'user' IS NULL
            OR NOT (j->>'dbname' = current_database()
                    OR EXISTS (SELECT FROM journal.account a WHERE a.login = j->>'user'));
        v_detail := CASE
            WHEN j->>'state_code' = '28P01' THEN journal.bad_password()
            WHEN j->>'message' LIKE '%is not permitted to log in%'
                THEN 'вход запрещён: учётная запись заблокирована'
            WHEN coalesce(j->>'context', '') LIKE '%on_login()%' THEN j->>'message'
            ELSE 'отказ сервера: ' || coalesce(j->>'message', '') END;
        INSERT INTO journal.login_event (login, success, at, detail)
        VALUES (left(j->>'user', 63), false, v_at, left(v_detail, 300));
        imported := imported + 1;
    END LOOP;
    next_offset := p_from + v_end;
END $$;

-- Bring journal.login_event up to date with the server log; the number of rows imported.
CREATE FUNCTION journal.import_login_log() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_file text := pg_current_logfile('jsonlog');
    st ej_guard.log_position;
    r record;
    v_total integer := 0;
BEGIN
    IF v_file IS NULL THEN
        RETURN 0;                                      -- no JSON log: nothing to count
    END IF;
    -- One import at a time, serialised on a row nobody else can reach (an advisory lock
    -- could be taken and held by any logged-in person, hanging every login).
    INSERT INTO ej_guard.log_position (file, read_to)      -- first look: the recent tail only
    VALUES (v_file, greatest(coalesce((pg_stat_file(v_file, true)).size, 0) - 65536, 0))
    ON CONFLICT (id) DO NOTHING;
    SELECT * INTO st FROM ej_guard.log_position FOR UPDATE;
    IF st.file <> v_file THEN                          -- rotated: finish the previous file
        r := journal.import_log_chunk(st.file, st.read_to);
        v_total := r.imported;
        st.file := v_file;
        st.read_to := 0;
    END IF;
    r := journal.import_log_chunk(v_file, st.read_to);
    v_total := v_total + r.imported;
    UPDATE ej_guard.log_position
       SET file = v_file, read_to = r.next_offset, updated_at = now();
    RETURN v_total;
END $$;

-- Until when a login is locked by recent failed attempts; NULL when it is not.
CREATE FUNCTION journal.login_locked_until(p_login text) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH cfg AS (
        SELECT (value->>'max_failures')::int AS max_failures,
               make_interval(mins => (value->>'window_minutes')::int) AS win,
               make_interval(mins => (value->>'lock_minutes')::int) AS lock
          FROM journal.setting WHERE key = 'login_lockout'
    ), since AS (
        SELECT greatest((SELECT c.cleared_at FROM ej_guard.lockout_clear c WHERE c.login = p_login),
                        (SELECT max(e.at) FROM journal.login_event e
                          WHERE e.login = p_login AND e.success)) AS at
    ), recent AS (
        SELECT e.at FROM journal.login_event e, since
         WHERE e.login = p_login AND NOT e.success AND e.detail = journal.bad_password()
           AND e.at > coalesce(since.at, '-infinity')
         ORDER BY e.at DESC
         LIMIT (SELECT max_failures FROM cfg)
    )
    SELECT max(recent.at) + cfg.lock
      FROM recent, cfg
     GROUP BY cfg.max_failures, cfg.win, cfg.lock
    HAVING count(*) >= cfg.max_failures
       AND max(recent.at) - min(recent.at) <= cfg.win
       AND max(recent.at) + cfg.lock > now()
$$;

CREATE FUNCTION journal.on_login() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    a journal.account;
    w jsonb;
    v_until timestamptz;
BEGIN
    IF journal.caller_is_superuser() OR pg_is_in_recovery() THEN
        RETURN;
    END IF;
    -- Every login is recorded: a session that cannot write (default_transaction_read_only
    -- set by the client) does not get in unrecorded.
    IF current_setting('transaction_read_only') = 'on' THEN
        RAISE EXCEPTION 'Вход без записи в журнал входов невозможен: отключите режим '
            '«только чтение» (default_transaction_read_only).'
            USING ERRCODE = 'invalid_authorization_specification';
    END IF;
    SELECT * INTO a FROM journal.account WHERE login = session_user::text;
    IF FOUND THEN
        IF a.blocked THEN
            RAISE EXCEPTION 'Учётная запись заблокирована. Обратитесь к заведующему учебной частью.'
                USING ERRCODE = 'invalid_authorization_specification';
        END IF;
        IF journal.outside_working_hours(a.person_id) THEN
            SELECT value INTO w FROM journal.setting WHERE key = 'working_hours';
            RAISE EXCEPTION 'Доступ к журналу открыт только в рабочее время: с % до %.',
                w->>'from', w->>'to' USING ERRCODE = 'invalid_authorization_specification';
        END IF;
        BEGIN
            PERFORM journal.import_login_log();
        EXCEPTION WHEN others THEN
            RAISE WARNING 'ejournal: журнал входов не прочитан: %', SQLERRM;
        END;
        v_until := journal.login_locked_until(a.login);
        IF v_until IS NOT NULL THEN
            RAISE EXCEPTION 'Вход временно заблокирован после неудачных попыток. Повторите после % '
                'или обратитесь к заведующему учебной частью.',
                to_char(v_until AT TIME ZONE journal.local_zone(), 'HH24:MI')
                USING ERRCODE = 'invalid_authorization_specification';
        END IF;
    END IF;
    INSERT INTO journal.login_event (login, success) VALUES (session_user, true);
END $$;

-- For the admin's screen: import now.
CREATE FUNCTION journal.refresh_login_events() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Журнал входов обновляет только заведующий учебной частью.');
    RETURN journal.import_login_log();
END $$;

-- For the admin (any account) and for oneself: until when the account is locked.
CREATE FUNCTION journal.account_locked_until(p_person bigint) RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin()
                            OR p_person = journal.my_person_id(),
        'Недостаточно прав.');
    RETURN journal.login_locked_until((SELECT login FROM journal.account WHERE person_id = p_person));
END $$;

DO $$
DECLARE
    f regprocedure;
    v_public text[] := ARRAY['refresh_login_events', 'account_locked_until'];
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
    IF current_setting('server_version_num')::int >= 170000 THEN
        EXECUTE 'CREATE EVENT TRIGGER ej_login_guard ON login '
                'EXECUTE FUNCTION journal.on_login()';
    END IF;
END $$;
